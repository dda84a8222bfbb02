import { governTool } from "@governor/sdk";
// A hand-rolled agent loop: the model picks a tool by name, we run its handler.
export const tools = [
  {
    name: "search_orders",
    description: "Search orders by customer",
    parameters: {
      type: "object",
      properties: { customerName: { type: "string" } },
      required: ["customerName"],
    },
    handler: governTool({ tool: "search_orders", action: "read", resource: { type: "database", name: "order" }, data: { pii: true } }, async (args: { customerName: string }) => [`order for ${args.customerName}`]),
  },
  {
    type: "function",
    function: {
      name: "upload_document",
      description: "Upload a document to storage",
      parameters: { type: "object", properties: { path: { type: "string" } } },
    },
    run: governTool({ tool: "upload_document", action: "write", resource: { type: "filesystem" } }, async function (args: { path: string }) {
      return `uploaded ${args.path}`;
    }),
  },
];

// Not a tool: no JSON-schema parameters.
export const job = { name: "nightly", run: () => 1 };
