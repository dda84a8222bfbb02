import { streamText } from "ai";
import { openai } from "@ai-sdk/openai";
import { z } from "zod";

export function chat(messages: any[]) {
  return streamText({
    model: openai("gpt-4o"),
    messages,
    tools: {
      searchDocs: {
        description: "Search the product documentation",
        parameters: z.object({ query: z.string() }),
        execute: async ({ query }: { query: string }) => [`result for ${query}`],
      },
      deleteRecords: {
        description: "Delete all records matching a filter",
        parameters: z.object({ ids: z.array(z.string()) }),
        async execute({ ids }: { ids: string[] }) {
          return { deleted: ids.length };
        },
      },
    },
  });
}
