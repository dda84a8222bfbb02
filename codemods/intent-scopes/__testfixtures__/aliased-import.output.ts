import { tool as defineTool } from "@openai/agents";
import * as agents from "@openai/agents-realtime";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const sendSlack = defineTool({
  name: "send_slack_message",
  description: "Post a message to a Slack channel",
  parameters: z.object({ channel: z.string(), text: z.string() }),
  execute: governTool({ tool: "send_slack_message", action: "write", resource: { type: "external_api", name: "slack" } }, async ({ channel, text }) => postToSlack(channel, text)),
});

export const listFiles = agents.tool({
  name: "list_files",
  parameters: z.object({ dir: z.string() }),
  execute: governTool({ tool: "list_files", action: "read", resource: { type: "filesystem" } }, listFilesHandler),
});

declare function postToSlack(channel: string, text: string): Promise<string>;
declare function listFilesHandler(input: { dir: string }): Promise<string[]>;
