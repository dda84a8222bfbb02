import { Agent, run, tool } from "@openai/agents";
import { z } from "zod";
import { governTool } from "@governor/sdk";

// Reads the forecast from a public weather API.
export const getWeather = tool({
  name: "get_weather",
  description: "Get the current weather for a city",
  parameters: z.object({ city: z.string() }),
  execute: governTool({ tool: "get_weather", action: "read", resource: { type: "external_api", name: "wttr.in" } }, async ({ city }) => {
    const response = await fetch(`https://wttr.in/${encodeURIComponent(city)}?format=3`);
    return response.text();
  }),
});

export const refundOrder = tool({
  name: "refund_order",
  description: "Refund a customer's order",
  parameters: z.object({ orderId: z.string(), customerEmail: z.string() }),
  execute: governTool({ tool: "refund_order", action: "write", resource: { type: "database", name: "order" }, data: { pii: true } }, async function ({ orderId }) {
    return `refunded ${orderId}`;
  }),
});

export const agent = new Agent({ name: "Support", tools: [getWeather, refundOrder] });
await run(agent, "What's the weather in Paris?");
