/**
 * One proxied MCP session: a client on one side (served over any MCP transport), the governed server
 * on the other (reached through the MCP SDK's `Client`). Built on the SDK's `Server` and `Client`
 * classes; no JSON-RPC is written by hand.
 *
 * Everything passes through unchanged: initialize (the client's own capabilities and identity go to
 * the server, the server's capabilities, identity and instructions come back), every request either
 * way (tools/list, resources, prompts, completions, logging, sampling, elicitation, roots, tasks, and
 * methods this code has never heard of), every notification either way (list_changed, resource
 * updates, log messages), progress (relayed under the sender's own token, in order) and cancellation (an aborted
 * request is cancelled on the other side). The one exception: a `tools/call` is decided by the
 * policy service first (see {@link governedToolCall}), and only an ALLOW reaches the server.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Protocol, RequestHandlerExtra, RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ErrorCode,
  InitializeRequestSchema,
  McpError,
  ResultSchema,
  type ClientCapabilities,
  type Implementation,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type Notification,
  type Request,
  type Result,
} from "@modelcontextprotocol/sdk/types.js";
import { governor, GovernorDeniedError, GovernorError } from "@governor/sdk";
import { createDownstreamTransport, describeDownstream, type DownstreamSpec } from "./downstream.js";
import { toolCallIntent, type ToolDescription } from "./intent.js";
import type { OverrideLookup } from "./overrides.js";
import { notRunResult } from "./results.js";

/** No time limit of the proxy's own on a forwarded request: the client keeps its own timeouts. */
const NO_TIMEOUT_MS = 2_147_483_647;

/** Options of one proxied session. */
export interface SessionOptions {
  downstream: DownstreamSpec;
  /** The server's name in intents (`context.mcp_server`, and the resource name where nothing better names it). Default: the name the server reports. */
  serverName?: string;
  /** Finds the intent override of a tool (see `overrides.ts`). */
  overrides?: OverrideLookup;
  /** Where diagnostics go (never stdout: that may carry the protocol). */
  log: (line: string) => void;
}

/** Why a session ended. */
export type SessionEnd =
  | { reason: "client-closed" }
  | { reason: "server-exited"; message: string }
  | { reason: "server-failed-to-start"; message: string };

/** A running session. */
export interface ProxySession {
  /** Settles when either side goes away; by then the governed server has been stopped. */
  ended: Promise<SessionEnd>;
  /** Ends the session: closes both sides (a stdio server process is stopped). */
  close(): Promise<void>;
}

/** Either side, seen generically: any request, notification and result. */
type AnyProtocol = Protocol<Request, Notification, Result>;
type Extra = RequestHandlerExtra<Request, Notification>;

/**
 * Progress of requests in flight, by the token their sender chose. The token goes through unchanged,
 * and the far side's progress notifications are relayed as the transport reads them: the SDK handles
 * a notification a microtask after the message it came in, so a last progress read together with its
 * response would otherwise be dropped.
 */
type ProgressRelay = Map<string | number, (notification: JSONRPCNotification) => void>;

/** When `message` is progress for a request in flight, relays it and returns true. */
function relayProgress(relay: ProgressRelay, message: JSONRPCMessage): boolean {
  if (!("method" in message) || message.method !== "notifications/progress" || "id" in message) return false;
  const token = (message.params as { progressToken?: string | number } | undefined)?.progressToken;
  const send = token === undefined ? undefined : relay.get(token);
  if (send === undefined) return false;
  send(message as JSONRPCNotification);
  return true;
}

/**
 * Forwards a request to the other side and returns its result as it came (the SDK's `ResultSchema`
 * keeps every field). Its progress token goes along unchanged; `relay` passes the far side's progress
 * back, related to the caller's request.
 */
function forward(to: AnyProtocol, request: JSONRPCRequest, extra: Extra, relay: ProgressRelay): Promise<Result> {
  const options: RequestOptions = { signal: extra.signal, timeout: NO_TIMEOUT_MS };
  const token = request.params?._meta?.progressToken;
  const params = request.params;
  const sent = to.request(
    params === undefined ? { method: request.method } : { method: request.method, params },
    ResultSchema,
    options,
  );
  if (token === undefined) return sent;
  relay.set(token, (notification) => {
    void extra
      .sendNotification({ method: notification.method, params: notification.params } as never)
      .catch(() => undefined);
  });
  return sent.finally(() => relay.delete(token));
}

/** The server's transport, with its progress notifications for the client relayed as they are read. */
class ProgressRelayTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];

  constructor(
    private readonly inner: Transport,
    relay: ProgressRelay,
  ) {
    inner.onmessage = (message, extra) => {
      if (!relayProgress(relay, message)) this.onmessage?.(message, extra);
    };
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport["send"]>[1]): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Holds the client's messages until the proxy has reached the governed server: the first one,
 * `initialize`, says which capabilities and identity to present to it. Then the proxy's `Server`
 * connects here and receives them in order.
 */
class InitializeGate implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  private readonly held: Array<Parameters<NonNullable<Transport["onmessage"]>>> = [];
  private opened = false;

  constructor(
    private readonly inner: Transport,
    private readonly onInitialize: (request: JSONRPCRequest) => void,
    private readonly onInnerClose: () => void,
    relay: ProgressRelay,
  ) {
    inner.onmessage = (message, extra) => {
      if (relayProgress(relay, message)) return;
      if (this.opened && this.onmessage) return this.onmessage(message, extra);
      this.held.push([message, extra]);
      if ("method" in message && message.method === "initialize" && "id" in message) this.onInitialize(message);
    };
    inner.onclose = () => {
      this.onclose?.();
      this.onInnerClose();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  /** Starts listening to the client (before any `Server` is attached). */
  listen(): Promise<void> {
    return this.inner.start();
  }

  async start(): Promise<void> {
    // Delivered after connect() returns, so the Server's handlers are all in place.
    queueMicrotask(() => {
      this.opened = true;
      for (const [message, extra] of this.held.splice(0)) this.onmessage?.(message, extra);
    });
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport["send"]>[1]): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Starts proxying the client connected through `clientTransport` (not started yet) to the governed
 * server. The server is reached when the client's `initialize` arrives.
 */
export function startProxySession(clientTransport: Transport, options: SessionOptions): ProxySession {
  let resolveEnded!: (end: SessionEnd) => void;
  const ended = new Promise<SessionEnd>((resolve) => (resolveEnded = resolve));
  let finished = false;
  let server: Server | undefined;
  let client: Client | undefined;
  let upstreamInitialized = false;
  let clientReady!: () => void;
  const clientInitialized = new Promise<void>((resolve) => (clientReady = resolve));
  const tools = new Map<string, ToolDescription & { outputSchema?: unknown }>();
  // Progress for requests the client sent (relayed from the server), and for requests the server sent.
  const toServerRelay: ProgressRelay = new Map();
  const toClientRelay: ProgressRelay = new Map();
  const target = describeDownstream(options.downstream);

  const finish = async (end: SessionEnd): Promise<void> => {
    if (finished) return;
    finished = true;
    // Both closes are idempotent; closing the client stops a stdio server process (stdin end, then SIGTERM, then SIGKILL).
    await Promise.allSettled([client?.close(), server?.close(), gate.close()]);
    resolveEnded(end);
  };

  const gate = new InitializeGate(
    clientTransport,
    (initialize) => void connect(initialize),
    () => void finish({ reason: "client-closed" }),
    toClientRelay,
  );

  async function connect(initialize: JSONRPCRequest): Promise<void> {
    const params = (initialize.params ?? {}) as { capabilities?: ClientCapabilities; clientInfo?: Implementation };
    // The server sees the real client: its identity and capabilities (sampling, elicitation, roots) as declared.
    const { tasks: _tasks, ...capabilities } = params.capabilities ?? {};
    const downstreamClient = new Client(params.clientInfo ?? { name: "governor-init-proxy", version: "0" }, {
      capabilities,
    });
    client = downstreamClient;
    downstreamClient.onerror = (error) => options.log(`the MCP server sent something unreadable: ${error.message}`);
    downstreamClient.onclose = () => {
      if (finished) return;
      const message = `The MCP server behind the proxy (${target}) closed the connection: it exited or crashed.`;
      options.log(message);
      // Let replies to requests that just failed reach the client before its side closes.
      setTimeout(() => void finish({ reason: "server-exited", message }), 50);
    };
    // Requests from the server (sampling, elicitation, roots) go to the client once it is initialized.
    downstreamClient.fallbackRequestHandler = async (request, extra) => {
      await clientInitialized;
      return forward(server as unknown as AnyProtocol, request, extra as unknown as Extra, toClientRelay);
    };
    downstreamClient.fallbackNotificationHandler = async (notification) => {
      if (notification.method === "notifications/tools/list_changed") tools.clear();
      // Before the client is initialized there is nobody to tell (a server may announce a list change at start).
      if (server?.transport === undefined || !upstreamInitialized) return;
      await server.notification(notification);
    };

    try {
      await downstreamClient.connect(
        new ProgressRelayTransport(await createDownstreamTransport(options.downstream), toServerRelay),
      );
    } catch (error) {
      // The client went away while the server was starting: nothing to report to anyone.
      if (finished) return;
      const message = `Could not start or reach the MCP server behind the proxy (${target}): ${(error as Error).message}`;
      options.log(message);
      // Answer the client's initialize with that error (through a Server, so the reply is well formed), then end.
      const failing = new Server({ name: "governor-init-proxy", version: "0" }, { capabilities: {} });
      failing.setRequestHandler(InitializeRequestSchema, () => {
        throw new McpError(ErrorCode.InternalError, message);
      });
      server = failing;
      await failing.connect(gate);
      setTimeout(() => void finish({ reason: "server-failed-to-start", message }), 50);
      return;
    }

    const info = downstreamClient.getServerVersion() ?? { name: "mcp-server", version: "0" };
    const instructions = downstreamClient.getInstructions();
    const proxyServer = new Server(info, {
      capabilities: downstreamClient.getServerCapabilities() ?? {},
      ...(instructions === undefined ? {} : { instructions }),
    });
    server = proxyServer;
    // The SDK's Server answers logging/setLevel itself when logging is declared: the server behind must get it.
    proxyServer.removeRequestHandler("logging/setLevel");
    proxyServer.oninitialized = () => {
      upstreamInitialized = true;
      clientReady();
    };
    proxyServer.onerror = (error) => options.log(`client connection: ${error.message}`);
    proxyServer.fallbackNotificationHandler = async (notification) => {
      await downstreamClient.notification(notification as never);
    };
    proxyServer.fallbackRequestHandler = async (request, extra) => {
      try {
        if (request.method === "tools/call") return await governedToolCall(request, extra as unknown as Extra);
        const result = await forward(
          downstreamClient as unknown as AnyProtocol,
          request,
          extra as unknown as Extra,
          toServerRelay,
        );
        if (request.method === "tools/list") rememberTools(result);
        return result;
      } catch (error) {
        throw explain(error);
      }
    };
    await proxyServer.connect(gate);
  }

  function rememberTools(result: Result): void {
    const list = (result as { tools?: unknown }).tools;
    if (!Array.isArray(list)) return;
    for (const tool of list as Array<ToolDescription & { outputSchema?: unknown }>) {
      if (typeof tool?.name === "string") tools.set(tool.name, tool);
    }
  }

  /** The tool's description from tools/list; listed now if the client called it without listing first. */
  async function describeTool(name: string): Promise<ToolDescription & { outputSchema?: unknown }> {
    if (!tools.has(name) && client !== undefined) {
      let cursor: string | undefined;
      try {
        do {
          const page = await client.listTools(cursor === undefined ? undefined : { cursor });
          rememberTools(page);
          cursor = page.nextCursor;
        } while (cursor !== undefined && !tools.has(name));
      } catch {
        // A server that cannot list its tools still gets the call decided, from the name alone.
      }
    }
    return tools.get(name) ?? { name };
  }

  /**
   * Decides a `tools/call` before it may reach the server: `ALLOW` forwards it; `DENY`, or no
   * decision at all (fail closed), answers a tool result with `isError: true` and the reason, and
   * the server never sees the call.
   */
  async function governedToolCall(request: JSONRPCRequest, extra: Extra): Promise<Result> {
    const params = request.params as { name?: unknown; arguments?: unknown } | undefined;
    if (typeof params?.name !== "string") {
      throw new McpError(ErrorCode.InvalidParams, "tools/call needs params.name, the tool's name.");
    }
    const args =
      params.arguments !== null && typeof params.arguments === "object" && !Array.isArray(params.arguments)
        ? (params.arguments as Record<string, unknown>)
        : {};
    const tool = await describeTool(params.name);
    const serverName = options.serverName ?? client?.getServerVersion()?.name ?? "mcp-server";
    const intent = toolCallIntent(serverName, tool, args, options.overrides?.(serverName, params.name));
    try {
      return await governor.withIntent(intent, () =>
        forward(client as unknown as AnyProtocol, request, extra, toServerRelay),
      );
    } catch (error) {
      if (!(error instanceof GovernorError)) throw error;
      const hasOutputSchema = tool.outputSchema !== undefined;
      if (error instanceof GovernorDeniedError) {
        return notRunResult(
          {
            decision: "DENY",
            ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
            reason: error.reason,
            nextSteps: error.nextSteps,
            code: error.code,
            server: serverName,
            tool: params.name,
            intent: error.intent,
          },
          hasOutputSchema,
        );
      }
      return notRunResult(
        {
          decision: "UNAVAILABLE",
          reason: error.message,
          nextSteps: [
            ...(error.hint === undefined ? [] : [error.hint]),
            "Retrying may work once the policy service answers; nothing ran.",
          ],
          code: error.code,
          server: serverName,
          tool: params.name,
          intent,
        },
        hasOutputSchema,
      );
    }
  }

  /** A request that failed because the server went away says so, rather than "Connection closed". */
  function explain(error: unknown): unknown {
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      return new McpError(
        ErrorCode.InternalError,
        `The MCP server behind the proxy (${target}) closed the connection (it exited or crashed) before answering.`,
      );
    }
    return error;
  }

  gate.listen().catch((error: unknown) => {
    options.log(`could not listen to the client: ${(error as Error).message}`);
    void finish({ reason: "client-closed" });
  });

  return { ended, close: () => finish({ reason: "client-closed" }) };
}
