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
