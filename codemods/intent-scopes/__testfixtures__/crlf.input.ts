import { tool } from "@openai/agents";
import { z } from "zod";

export const runTests = tool({
  name: "run_test_script",
  description: "Run the test script",
  parameters: z.object({ pattern: z.string() }),
  execute: async ({ pattern }) => {
    return `ran ${pattern}`;
  },
});
