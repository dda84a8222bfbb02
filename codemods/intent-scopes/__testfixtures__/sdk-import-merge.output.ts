import { governor, governTool } from "@governor/sdk";
import { tool } from "@openai/agents";
import { z } from "zod";

governor.enable();

export const fetchUrl = tool({
  name: "fetch_url",
  description: "Fetch a web page",
  parameters: z.object({ url: z.string() }),
  execute: governTool({ tool: "fetch_url", action: "read", resource: { type: "external_api" }, resourceNameFrom: "url" }, async ({ url }) => (await fetch(url)).text()),
});
