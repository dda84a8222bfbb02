/**
 * The docs MCP server over stdio. Stdout carries the protocol and nothing else; every log line goes
 * to stderr.
 */
import type { GovernorMcpServerOptions } from "./server.js";

/** Serves on stdin/stdout until the client closes the pipe. Resolves once connected. */
export async function runStdioServer(options: GovernorMcpServerOptions = {}): Promise<void> {
  const [{ StdioServerTransport }, { createGovernorMcpServer }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("./server.js"),
  ]);
  const server = createGovernorMcpServer(options);
  const transport = new StdioServerTransport();
  // The client going away ends the process; no dangling timers or sockets keep it alive.
  transport.onclose = () => process.exit(0);
  process.stdin.on("end", () => void server.close());
  await server.connect(transport);
}
