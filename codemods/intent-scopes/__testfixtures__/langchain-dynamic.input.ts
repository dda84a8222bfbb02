import { DynamicStructuredTool, DynamicTool } from "@langchain/core/tools";
import { z } from "zod";

export const writeFile = new DynamicStructuredTool({
  name: "write_file",
  description: "Write text to a file on disk",
  schema: z.object({ path: z.string(), content: z.string() }),
  func: async ({ path, content }) => `wrote ${content.length} bytes to ${path}`,
});

export const runCommand = new DynamicTool({
  name: "run_command",
  description: "Run a shell command",
  async func(command: string) {
    return `ran ${command}`;
  },
});
