/**
 * The docs MCP server over Streamable HTTP at `/mcp`, stateless: every POST gets a fresh server and
 * transport, so any number of instances can sit behind a load balancer.
 *
 * Safety: bound to 127.0.0.1 by default; Host and Origin headers are checked against an allow-list
 * (DNS-rebinding protection); binding to any other address requires a bearer token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHttpGuard, listenForMcp, sendJsonRpcError } from "../core/http-guard.js";

export { isLoopbackHost } from "../core/http-guard.js";

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

/**
 * Starts the server.
 *
 * @throws GovernorInitError `INVALID_INPUT` when bound to a non-loopback address without a token;
 *   `SERVICE_UNAVAILABLE` when the port cannot be bound.
 */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? (process.env.GOVERNOR_MCP_TOKEN || undefined);
  const guard = createHttpGuard({
    host,
    ...(token === undefined ? {} : { token }),
    ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
  });

  // Loaded here, not at module load, so importing this file (for --help) stays cheap.
  const [{ StreamableHTTPServerTransport }, { createGovernorMcpServer }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/streamableHttp.js"),
    import("./server.js"),
  ]);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://placeholder");
    if (url.pathname !== "/mcp") return sendJsonRpcError(res, 404, "Not found: the MCP endpoint is /mcp.");

    if (!guard(req, res)) return;
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

  const { port, url } = await listenForMcp(httpServer, host, options.port ?? 0);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
