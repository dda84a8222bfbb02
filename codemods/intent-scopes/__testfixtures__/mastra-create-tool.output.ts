import { createTool } from "@mastra/core/tools";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const stockPriceTool = createTool({
  id: "get-stock-price",
  description: "Fetch the latest stock price for a ticker",
  inputSchema: z.object({ ticker: z.string() }),
  outputSchema: z.object({ price: z.number() }),
  execute: governTool({ tool: "get-stock-price", action: "read", resource: { type: "external_api", name: "api.example.com" } }, async ({ context }) => {
    const response = await fetch(`https://api.example.com/stocks/${context.ticker}`);
    return { price: Number(await response.text()) };
  }),
});
