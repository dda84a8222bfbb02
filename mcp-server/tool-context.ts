/** What every tool registration gets. Its own module, so `server.ts` and `tools/*` do not import each other. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

/** What every tool registration gets: the server, and the roots paths are confined to. */
export interface ToolContext {
  server: McpServer;
  /** Real directories every path argument must stay inside. */
  roots(): Promise<string[]>;
  env: Record<string, string | undefined>;
}
