import { DynamicStructuredTool, DynamicTool } from "@langchain/core/tools";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const writeFile = new DynamicStructuredTool({
  name: "write_file",
  description: "Write text to a file on disk",
  schema: z.object({ path: z.string(), content: z.string() }),
  func: governTool({ tool: "write_file", action: "write", resource: { type: "filesystem" }, resourceNameFrom: "path" }, async ({ path, content }) => `wrote ${content.length} bytes to ${path}`),
});

export const runCommand = new DynamicTool({
  name: "run_command",
  description: "Run a shell command",
  func: governTool({ tool: "run_command", action: "execute", resource: { type: "process" } }, async function (command: string) {
    return `ran ${command}`;
  }),
});
