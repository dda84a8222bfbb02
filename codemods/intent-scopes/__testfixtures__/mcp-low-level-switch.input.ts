import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server({ name: "ops", version: "1.0.0" }, { capabilities: { tools: {} } });

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  switch (request.params.name) {
    case "get_weather": {
      const city = String(request.params.arguments?.city);
      return { content: [{ type: "text", text: `sunny in ${city}` }] };
    }
    case "run_script":
      console.error("running");
      return { content: [{ type: "text", text: "done" }] };
    default:
      throw new Error(`Unknown tool: ${request.params.name}`);
  }
});
