"use server";
import { streamText, tool } from "ai";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export async function ask(question: string) {
  const result = streamText({
    model: "openai/gpt-4o",
    prompt: question,
    tools: {
      getStripeBalance: tool({
        description: "Get the Stripe account balance",
        inputSchema: z.object({}),
        execute: governTool({ tool: "getStripeBalance", action: "read", resource: { type: "external_api", name: "stripe" } }, async () => ({ balance: 100 })),
      }),
    },
  });
  return <div>{await result.text}</div>;
}
