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
  // The client closing the pipe ends the session; the process then exits once pending output is
  // flushed (no process.exit, which could cut off a response still being written).
  process.stdin.once("end", () => void server.close());
  await server.connect(new StdioServerTransport());
}
