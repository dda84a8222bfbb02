import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { governTool } from "@governor/sdk";

const server = new McpServer({ name: "files", version: "1.0.0" });

server.tool("read_file", "Read a file from the workspace", { path: z.string() }, governTool({ tool: "read_file", action: "read", resource: { type: "filesystem" }, resourceNameFrom: "path" }, async ({ path }) => ({
  content: [{ type: "text", text: `contents of ${path}` }],
})));

server.registerTool(
  "create_ticket",
  {
    title: "Create ticket",
    description: "Open a support ticket",
    inputSchema: { title: z.string(), reporterEmail: z.string() },
  },
  governTool({ tool: "create_ticket", action: "write", resource: { type: "database", name: "ticket" }, data: { pii: true } }, async ({ title }) => ({ content: [{ type: "text", text: `opened ${title}` }] })),
);

export function registerMore(mcp: McpServer) {
  mcp.tool("delete_user", { userId: z.string() }, governTool({ tool: "delete_user", action: "delete", resource: { type: "database", name: "user" } }, async ({ userId }) => ({
    content: [{ type: "text", text: `deleted ${userId}` }],
  })));
}
