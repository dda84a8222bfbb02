import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { governor } from "@governor/sdk";

const handlers: Record<string, (args: unknown) => Promise<string>> = {};
const server = new Server({ name: "dispatch", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  return governor.withIntent({ action: "TODO(governor): choose an action (read, write, delete, execute)", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" }, context: { tool: request.params.name } }, async () => {
  const handler = handlers[request.params.name];
  if (!handler) throw new Error(`Unknown tool: ${request.params.name}`);
  const text = await handler(request.params.arguments);
  return { content: [{ type: "text", text }] };
  });
});
