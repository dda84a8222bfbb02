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
    run: governTool({ tool: "upload_document", action: "write", resource: { type: "filesystem" }, resourceNameFrom: "path" }, async function (args: { path: string }) {
      return `uploaded ${args.path}`;
    }),
  },
];

// Not a tool: no JSON-schema parameters.
export const job = { name: "nightly", run: () => 1 };

// Not a function: a flag that happens to be called `run`.
const enabled = true;
export const flagged = { name: "flagged", parameters: { type: "object", properties: {} }, run: enabled };

async function deleteCustomer(args: { customerId: string }) {
  return `deleted ${args.customerId}`;
}
export const byReference = { name: "delete_customer", parameters: { type: "object", properties: { customerId: { type: "string" } } }, handler: governTool({ tool: "delete_customer", action: "delete", resource: { type: "database", name: "customer" } }, deleteCustomer) };
