import { tool } from "@openai/agents";
import { governTool, governor } from "@governor/sdk";
import { StructuredTool } from "@langchain/core/tools";
import { z } from "zod";

export const getWeather = tool({
  name: "get_weather",
  parameters: z.object({ city: z.string() }),
  execute: governTool({ tool: "get_weather", action: "read", resource: { type: "external_api", name: "weather" } }, async ({ city }) => city),
});

export class Lookup extends StructuredTool {
  name = "lookup_user";
  description = "Look up a user";
  schema = z.object({ id: z.string() });

  async _call({ id }: { id: string }) {
    return governor.withIntent({ action: "read", resource: { type: "database", name: "user" }, context: { tool: "lookup_user" } }, async () => {
    return id;
    });
  }
}

// Scoped by hand, inside the handler: left as it is.
export const purge = tool({
  name: "purge_cache",
  parameters: z.object({}),
  execute: async () => governor.withIntent({ action: "delete", resource: { type: "filesystem" } }, async () => "purged"),
});

export const archive = tool({
  name: "archive_orders",
  parameters: z.object({}),
  async execute() {
    return governor.withIntent({ action: "write", resource: { type: "database", name: "order" } }, async () => "archived");
  },
});
