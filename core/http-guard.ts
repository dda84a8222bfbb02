/**
 * The protection every Streamable HTTP endpoint governor-init serves puts in front of MCP: loopback by
 * default, Host and Origin checked against an allow-list (DNS rebinding), and a bearer token required
 * for any other bind address. Shared by the docs MCP server and the governing proxy.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCodes, GovernorInitError } from "./errors.js";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"];

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Writes a JSON-RPC error body with an HTTP status (for requests refused before MCP sees them). */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
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

/** Options of {@link createHttpGuard}. */
export interface HttpGuardOptions {
  /** The bind address. */
  host: string;
  /** Bearer token clients must send; required for a non-loopback host. */
  token?: string;
  /** Host names accepted in Host and Origin; default the loopback names (loopback bind) or the bind address. */
  allowedHosts?: string[];
}

/**
 * Builds the check for one server. It answers a refused request itself (403 / 401) and returns
 * false; true means the request may go on.
 *
 * @throws GovernorInitError `INVALID_INPUT` for a non-loopback host without a token.
 */
export function createHttpGuard(options: HttpGuardOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { host, token } = options;
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
  return (req, res) => {
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example.
    if (allowed) {
      const hostname = hostnameOf(req.headers.host ?? "", false);
      if (!hostname || !allowed.includes(hostname.toLowerCase())) {
        sendJsonRpcError(res, 403, `Invalid Host header: ${req.headers.host ?? "(none)"}`);
        return false;
      }
      const origin = req.headers.origin;
      if (origin !== undefined) {
        const originHost = hostnameOf(origin, true);
        if (!originHost || !allowed.includes(originHost.toLowerCase())) {
          sendJsonRpcError(res, 403, `Invalid Origin header: ${origin}`);
          return false;
        }
      }
    }
    if (expectedToken) {
      const given = digest(req.headers.authorization ?? "");
      if (!timingSafeEqual(given, expectedToken)) {
        sendJsonRpcError(res, 401, "Missing or wrong bearer token.", { "www-authenticate": "Bearer" });
        return false;
      }
    }
    return true;
  };
}

/**
 * Starts `httpServer` listening on `host:port` (0: any free port) and returns the port and the `/mcp`
 * URL clients reach it at; a port that cannot be had is a clear error with what to do.
 */
export async function listenForMcp(
  httpServer: Server,
  host: string,
  port: number,
): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error) =>
      reject(
        new GovernorInitError(ErrorCodes.SERVICE_UNAVAILABLE, `Cannot listen on ${host}:${port}.`, {
          cause: error,
          suggestion: "Pick another port with --port, or stop whatever holds this one.",
        }),
      ),
    );
    httpServer.listen(port, host, () => resolve());
  });
  const bound = (httpServer.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return { port: bound, url: `http://${shownHost}:${bound}/mcp` };
}
