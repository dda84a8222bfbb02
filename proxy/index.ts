/**
 * The governing MCP proxy: sits between an MCP client (a coding agent, an agent framework) and an
 * MCP server the customer did not write, passes the protocol through unchanged, and lets a
 * `tools/call` reach the server only after an ALLOW from the policy service, through
 * `@governor/sdk` (its enforce client, decision cache, signed-token check, fail mode and audit).
 *
 * Anything exported here is public API of the proxy engine (the CLI's `governor-init proxy` calls it).
 */
import { configureGovernor, stderrLog } from "./configure.js";
import { overrideLookup } from "./overrides.js";
import type { ProxyOptions } from "./options.js";
import { startProxySession, type SessionEnd } from "./session.js";

export { downstreamEnv, describeDownstream, WITHHELD_ENV, type DownstreamSpec } from "./downstream.js";
export { toolCallIntent, UNKNOWN_ACTION, UNKNOWN_RESOURCE_TYPE, type ToolDescription } from "./intent.js";
export {
  intentOverrideSchema,
  loadOverrides,
  overrideLookup,
  overridesFileSchema,
  parseOverrides,
  type IntentOverride,
  type OverrideLookup,
} from "./overrides.js";
export { DECISION_META_KEY, notRunResult, type ProxyDecisionReport } from "./results.js";
export { startProxySession, type ProxySession, type SessionEnd, type SessionOptions } from "./session.js";
export { configureGovernor } from "./configure.js";
export { startHttpProxy, type HttpProxyOptions, type RunningHttpProxy } from "./http.js";
export type { ProxyOptions } from "./options.js";

/**
 * Serves the proxy to one client over stdin/stdout until either side goes away. Stdout carries the
 * protocol only; diagnostics go to stderr. The governed server is stopped when the client
 * disconnects, and the session ends (with the reason) when the server exits.
 */
export async function runStdioProxy(options: ProxyOptions): Promise<SessionEnd> {
  const log = options.log ?? stderrLog;
  configureGovernor({ ...options, log });
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const session = startProxySession(new StdioServerTransport(), {
    downstream: options.downstream,
    ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
    ...(options.overrides === undefined ? {} : { overrides: overrideLookup(options.overrides) }),
    log,
  });
  const stop = () => void session.close();
  // The client closing the pipe ends the session (the SDK's stdio transport does not watch for it).
  process.stdin.once("end", stop);
  process.stdin.once("close", stop);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of signals) process.once(signal, stop);
  // A client killed outright may leave the pipe open (a wrapper such as `npx` in between): when the
  // proxy is re-parented, its client is gone, and so must the server be.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 2000);
  watchdog.unref();
  const end = await session.ended;
  clearInterval(watchdog);
  for (const signal of signals) process.off(signal, stop);
  return end;
}
