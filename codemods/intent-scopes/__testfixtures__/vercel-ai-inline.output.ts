import { streamText } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export function chat(messages: any[]) {
  return streamText({
    model: openai("gpt-4o"),
    messages,
    tools: {
      searchDocs: {
        description: "Search the product documentation",
        parameters: z.object({ query: z.string() }),
        execute: governTool({ tool: "searchDocs", action: "read", resource: { type: "filesystem" } }, async ({ query }: { query: string }) => [`result for ${query}`]),
      },
      deleteRecords: {
        description: "Delete all records matching a filter",
        parameters: z.object({ ids: z.array(z.string()) }),
        execute: governTool({ tool: "deleteRecords", action: "delete", resource: { type: "database", name: "record" }, data: { volume: "bulk" } }, async function ({ ids }: { ids: string[] }) {
          return { deleted: ids.length };
        }),
      },
    },
  });
}
