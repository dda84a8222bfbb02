/**
 * The proxy served over Streamable HTTP at `/mcp`, with sessions: each client session gets its own
 * governed server (a stdio server is started per session, as the client would have started it), so
 * the server's requests to the client (sampling, elicitation, roots) reach the right client.
 *
 * Safety as `governor-init mcp --http`: loopback by default; Host and Origin checked (DNS
 * rebinding); any other bind address needs a bearer token (see `core/http-guard.ts`).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createHttpGuard, listenForMcp, sendJsonRpcError } from "../core/http-guard.js";
import { overrideLookup } from "./overrides.js";
import { startProxySession, type ProxySession } from "./session.js";
import { configureGovernor } from "./configure.js";
import type { ProxyOptions } from "./options.js";

/** Options of {@link startHttpProxy}. */
export interface HttpProxyOptions extends ProxyOptions {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Bind address, default `127.0.0.1`; anything else needs {@link HttpProxyOptions.token}. */
  host?: string;
  /** Bearer token clients must send. Default `GOVERNOR_MCP_TOKEN`. */
  token?: string;
}

/** A running HTTP proxy. */
export interface RunningHttpProxy {
  /** `http://127.0.0.1:PORT/mcp`. */
  url: string;
  port: number;
  /** Stops serving and ends every session (their servers stopped). */
  close(): Promise<void>;
}

/**
 * Serves the proxy over Streamable HTTP until closed.
 *
 * @throws GovernorInitError `INVALID_INPUT` (non-loopback without a token, a bad `GOVERNOR_*`);
 *   `SERVICE_UNAVAILABLE` when the port cannot be bound.
 */
export async function startHttpProxy(options: HttpProxyOptions): Promise<RunningHttpProxy> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[governor-proxy] ${line}\n`));
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? (process.env.GOVERNOR_MCP_TOKEN || undefined);
  const guard = createHttpGuard({ host, ...(token === undefined ? {} : { token }) });
  configureGovernor({ ...options, log });
  const { StreamableHTTPServerTransport } = await import("@modelcontextprotocol/sdk/server/streamableHttp.js");
  const overrides = options.overrides === undefined ? undefined : overrideLookup(options.overrides);
  const sessions = new Map<
    string,
    { transport: InstanceType<typeof StreamableHTTPServerTransport>; session: ProxySession }
  >();

  const httpServer: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://placeholder");
    if (url.pathname !== "/mcp") return sendJsonRpcError(res, 404, "Not found: the MCP endpoint is /mcp.");
    if (!guard(req, res)) return;
    const id = req.headers["mcp-session-id"];
    const existing = typeof id === "string" ? sessions.get(id) : undefined;
    if (typeof id === "string" && existing === undefined) {
      return sendJsonRpcError(res, 404, "Unknown or ended session: start a new one with initialize.");
    }
    if (existing !== undefined) {
      existing.transport.handleRequest(req, res).catch((error: unknown) => failed(res, error));
      return;
    }
    // No session yet: this must be an initialize; the SDK's transport answers anything else with an error.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, { transport, session });
      },
    });
    const session = startProxySession(transport, {
      downstream: options.downstream,
      ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
      ...(overrides === undefined ? {} : { overrides }),
      log,
    });
    void session.ended.then(() => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    });
    transport
      .handleRequest(req, res)
      .then(() => {
        // Refused before a session began (not an initialize): nothing to keep.
        if (transport.sessionId === undefined) void session.close();
      })
      .catch((error: unknown) => failed(res, error));
  });

  function failed(res: import("node:http").ServerResponse, error: unknown): void {
    log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) sendJsonRpcError(res, 500, "Internal server error");
    else res.end();
  }

  const { port, url } = await listenForMcp(httpServer, host, options.port ?? 0);
  return {
    url,
    port,
    close: async () => {
      await Promise.allSettled([...sessions.values()].map(({ session }) => session.close()));
      await new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      });
    },
  };
}
