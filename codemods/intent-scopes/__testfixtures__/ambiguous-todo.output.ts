import { tool } from "@openai/agents";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const magic = tool({
  name: "do_magic",
  description: "Makes things happen",
  parameters: z.object({ level: z.number() }),
  execute: governTool({ tool: "do_magic", action: "TODO(governor): choose an action (read, write, delete, execute)", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" } }, async ({ level }) => `magic x${level}`),
});

export const sendEmail = tool({
  name: "notify_team",
  parameters: z.object({ message: z.string() }),
  execute: governTool({ tool: "notify_team", action: "write", resource: { type: "TODO(governor): choose a resource type (database, external_api, filesystem, process)" } }, async ({ message }) => message),
});
