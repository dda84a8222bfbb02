import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const server = new McpServer({ name: "files", version: "1.0.0" });

server.tool("read_file", "Read a file from the workspace", { path: z.string() }, async ({ path }) => ({
  content: [{ type: "text", text: `contents of ${path}` }],
}));

server.registerTool(
  "create_ticket",
  {
    title: "Create ticket",
    description: "Open a support ticket",
    inputSchema: { title: z.string(), reporterEmail: z.string() },
  },
  async ({ title }) => ({ content: [{ type: "text", text: `opened ${title}` }] }),
);

export function registerMore(mcp: McpServer) {
  mcp.tool("delete_user", { userId: z.string() }, async ({ userId }) => ({
    content: [{ type: "text", text: `deleted ${userId}` }],
  }));
}
