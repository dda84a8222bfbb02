import { tool } from "@openai/agents";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const deleteOrder = tool({
  name: "delete_order",
  parameters: z.object({ id: z.string() }),
  execute: governTool({ tool: "delete_order", action: "delete", resource: { type: "database", name: "order" } }, async ({ id }) => `deleted ${id}`),
});

export function makeTools(tool: (def: { name: string; execute: () => Promise<number> }) => unknown) {
  // This `tool` is a parameter that shadows the import: left alone.
  return tool({ name: "local", execute: async () => 1 });
}
