// Framework handlers are awaited by the framework: a synchronous one is wrapped all the same.
import { tool } from "@openai/agents";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const addNumbers = tool({
  name: "add_numbers",
  description: "Add two numbers",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: governTool({ tool: "add_numbers", action: "write", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" } }, ({ a, b }) => String(a + b)),
});

export const now = tool({
  name: "get_time",
  description: "Get the current time",
  parameters: z.object({}),
  execute: governTool({ tool: "get_time", action: "read", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" } }, function () {
    return new Date().toISOString();
  }),
});
