import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const handlers: Record<string, (args: unknown) => Promise<string>> = {};
const server = new Server({ name: "dispatch", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const handler = handlers[request.params.name];
  if (!handler) throw new Error(`Unknown tool: ${request.params.name}`);
  const text = await handler(request.params.arguments);
  return { content: [{ type: "text", text }] };
});
