"use server";
import { streamText, tool } from "ai";
import { z } from "zod";

export async function ask(question: string) {
  const result = streamText({
    model: "openai/gpt-4o",
    prompt: question,
    tools: {
      getStripeBalance: tool({
        description: "Get the Stripe account balance",
        inputSchema: z.object({}),
        execute: async () => ({ balance: 100 }),
      }),
    },
  });
  return <div>{await result.text}</div>;
}
