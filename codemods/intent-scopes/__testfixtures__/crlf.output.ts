import { tool } from "@openai/agents";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const runTests = tool({
  name: "run_test_script",
  description: "Run the test script",
  parameters: z.object({ pattern: z.string() }),
  execute: governTool({ tool: "run_test_script", action: "execute", resource: { type: "process" } }, async ({ pattern }) => {
    return `ran ${pattern}`;
  }),
});
