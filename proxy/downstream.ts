/**
 * The MCP server behind the proxy: a command the proxy starts and talks to over stdio, or a
 * Streamable HTTP endpoint. Transports are the MCP SDK's own.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** Where the governed server is. */
export type DownstreamSpec =
  | {
      kind: "stdio";
      command: string;
      args: string[];
      /** Extra environment for the server (on top of the proxy's own, minus the Governor's secrets). */
      env?: Record<string, string>;
      cwd?: string;
    }
  | {
      kind: "http";
      /** The server's Streamable HTTP endpoint. */
      url: string;
      /** Headers sent with every request (`Authorization: Bearer …`, API keys). */
      headers?: Record<string, string>;
    };

/**
 * Variables the governed server never receives: they are the proxy's credentials toward the policy
 * service, and the server is exactly the code the proxy does not trust with them.
 */
export const WITHHELD_ENV = ["GOVERNOR_API_KEY", "GOVERNOR_DECISION_SECRET"] as const;

/** The server's environment: the proxy's own (as the client would have given it), minus {@link WITHHELD_ENV}. */
export function downstreamEnv(
  extra: Record<string, string> = {},
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !(WITHHELD_ENV as readonly string[]).includes(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** A short name of the downstream for messages: the command line or the URL. */
export function describeDownstream(spec: DownstreamSpec): string {
  return spec.kind === "stdio" ? [spec.command, ...spec.args].join(" ") : spec.url;
}

/** Creates (does not start) the transport to the governed server. */
export async function createDownstreamTransport(spec: DownstreamSpec): Promise<Transport> {
  if (spec.kind === "stdio") {
    const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
    // stderr is inherited: the server's logs reach the client's log as they would without the proxy.
    return new StdioClientTransport({
      command: spec.command,
      args: spec.args,
      env: downstreamEnv(spec.env),
      cwd: spec.cwd,
      stderr: "inherit",
    });
  }
  const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  return new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers ?? {} } });
}
