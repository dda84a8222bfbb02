import { generateText, tool } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";
import { governTool } from "@governor/sdk";

const weatherTool = tool({
  description: "Get the weather in a location",
  inputSchema: z.object({ location: z.string() }),
  execute: governTool({ tool: "weather", action: "read", resource: { type: "external_api", name: "weather" } }, async ({ location }) => ({ location, temperature: 21 })),
});

export async function answer(prompt: string) {
  return generateText({
    model: openai("gpt-4o"),
    prompt,
    tools: {
      weather: weatherTool,
      createInvoice: tool({
        description: "Create an invoice for a customer",
        inputSchema: z.object({ customerId: z.string(), amount: z.number() }),
        execute: governTool({ tool: "createInvoice", action: "write", resource: { type: "database", name: "invoice" } }, async ({ customerId, amount }) => ({ id: `${customerId}-${amount}` })),
      }),
      confirm: tool({
        description: "Ask the user to confirm (runs in the browser)",
        inputSchema: z.object({ message: z.string() }),
      }),
    },
  });
}
