/**
 * The docs MCP server over Streamable HTTP at `/mcp`, stateless: every POST gets a fresh server and
 * transport, so any number of instances can sit behind a load balancer.
 *
 * Safety: bound to 127.0.0.1 by default; Host and Origin headers are checked against an allow-list
 * (DNS-rebinding protection); binding to any other address requires a bearer token.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Address to bind. Default `127.0.0.1`. Anything but loopback requires {@link HttpServerOptions.token}. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Bearer token clients must send (`Authorization: Bearer …`). Defaults to `GOVERNOR_MCP_TOKEN`. */
  token?: string;
  /**
   * Host names (without port) accepted in the Host and Origin headers. Defaults to the loopback names
   * for a loopback bind, or the bound address otherwise; `0.0.0.0`/`::` binds accept any host (the
   * token guards them).
   */
  allowedHosts?: string[];
  /** Directories paths are confined to (default: the working directory). */
  roots?: string[];
  /** Version reported in `initialize`. */
  version?: string;
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** The endpoint, such as `http://127.0.0.1:4319/mcp`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"];

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

function sendJsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

function hostnameOf(value: string, withScheme: boolean): string | undefined {
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Starts the server.
 *
 * @throws GovernorInitError `INVALID_INPUT` when bound to a non-loopback address without a token;
 *   `SERVICE_UNAVAILABLE` when the port cannot be bound.
 */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? (process.env.GOVERNOR_MCP_TOKEN || undefined);
  const loopback = isLoopbackHost(host);
  if (!loopback && !token) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Refusing to serve on ${host} without a bearer token.`, {
      suggestion: "Pass --token <secret> (or set GOVERNOR_MCP_TOKEN), or keep the default host 127.0.0.1.",
    });
  }
  const wildcard = host === "0.0.0.0" || host === "::";
  const allowedHosts = options.allowedHosts ?? (loopback ? LOOPBACK_NAMES : wildcard ? undefined : [host]);
  const allowed = allowedHosts?.map((h) => h.toLowerCase());
  const expectedToken = token ? digest(`Bearer ${token}`) : undefined;

  // Loaded here, not at module load, so importing this file (for --help) stays cheap.
  const [{ StreamableHTTPServerTransport }, { createGovernorMcpServer }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/streamableHttp.js"),
    import("./server.js"),
  ]);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://placeholder");
    if (url.pathname !== "/mcp") return sendJsonRpcError(res, 404, "Not found: the MCP endpoint is /mcp.");

    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example.
    if (allowed) {
      const hostname = hostnameOf(req.headers.host ?? "", false);
      if (!hostname || !allowed.includes(hostname.toLowerCase())) {
        return sendJsonRpcError(res, 403, `Invalid Host header: ${req.headers.host ?? "(none)"}`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined) {
        const originHost = hostnameOf(origin, true);
        if (!originHost || !allowed.includes(originHost.toLowerCase())) {
          return sendJsonRpcError(res, 403, `Invalid Origin header: ${origin}`);
        }
      }
    }
    if (expectedToken) {
      const given = digest(req.headers.authorization ?? "");
      if (!timingSafeEqual(given, expectedToken)) {
        return sendJsonRpcError(res, 401, "Missing or wrong bearer token.", { "www-authenticate": "Bearer" });
      }
    }
    // Stateless: there is no session to stream to (GET) or end (DELETE).
    if (req.method !== "POST") {
      return sendJsonRpcError(res, 405, "Method not allowed: this server is stateless; POST JSON-RPC to /mcp.", {
        allow: "POST",
      });
    }

    const server = createGovernorMcpServer({ roots: options.roots, useClientRoots: false, version: options.version });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const httpServer: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`[governor-mcp] request failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) sendJsonRpcError(res, 500, "Internal server error");
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error) =>
      reject(
        new GovernorInitError(ErrorCodes.SERVICE_UNAVAILABLE, `Cannot listen on ${host}:${options.port ?? 0}.`, {
          cause: error,
          suggestion: "Pick another port with --port, or stop whatever holds this one.",
        }),
      ),
    );
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
