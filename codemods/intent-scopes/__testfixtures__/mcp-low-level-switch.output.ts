import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { governor } from "@governor/sdk";

const server = new Server({ name: "ops", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  switch (request.params.name) {
    case "get_weather": return governor.withIntent({ action: "read", resource: { type: "external_api", name: "weather" }, context: { tool: "get_weather" } }, async () => {
      const city = String(request.params.arguments?.city);
      return { content: [{ type: "text", text: `sunny in ${city}` }] };
    });
    case "run_script":
      return governor.withIntent({ action: "execute", resource: { type: "process" }, context: { tool: "run_script" } }, async () => {
      console.error("running");
      return { content: [{ type: "text", text: "done" }] };
      });
    default:
      throw new Error(`Unknown tool: ${request.params.name}`);
  }
});
