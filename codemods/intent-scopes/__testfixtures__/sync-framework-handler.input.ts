// Framework handlers are awaited by the framework: a synchronous one is wrapped all the same.
import { tool } from "@openai/agents";
import { z } from "zod";

export const addNumbers = tool({
  name: "add_numbers",
  description: "Add two numbers",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});

export const now = tool({
  name: "get_time",
  description: "Get the current time",
  parameters: z.object({}),
  execute() {
    return new Date().toISOString();
  },
});
