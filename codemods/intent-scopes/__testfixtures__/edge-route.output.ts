import { streamText, tool } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";
import { governTool } from "@governor/sdk/edge";

export const runtime = "edge";

export async function POST(request: Request) {
  const { messages } = await request.json();
  const result = streamText({
    model: openai("gpt-4o"),
    messages,
    tools: {
      sendSlackMessage: tool({
        description: "Send a message to a Slack channel",
        inputSchema: z.object({ channel: z.string(), text: z.string() }),
        execute: governTool({ tool: "sendSlackMessage", action: "write", resource: { type: "external_api", name: "slack.com" } }, async ({ channel, text }) => {
          const response = await fetch("https://slack.com/api/chat.postMessage", {
            method: "POST",
            body: JSON.stringify({ channel, text }),
          });
          return response.json();
        }),
      }),
    },
  });
  return result.toTextStreamResponse();
}
