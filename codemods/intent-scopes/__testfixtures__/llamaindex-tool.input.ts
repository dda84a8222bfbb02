import { tool } from "llamaindex";
import { FunctionTool } from "@llamaindex/core/tools";
import { z } from "zod";

export const weatherTool = tool({
  name: "get_weather",
  description: "Get the current weather for a city",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    const response = await fetch(`https://api.weather.example.com/v1/current?city=${city}`);
    return await response.text();
  },
});

const queryKnowledgeBase = async ({ question }: { question: string }) => {
  const response = await fetch(`https://kb.example.com/search?q=${question}`);
  return await response.text();
};

export const kbTool = tool(queryKnowledgeBase, {
  name: "query_knowledge_base",
  description: "Search the knowledge base for an answer",
  parameters: z.object({ question: z.string() }),
});

export const deleteTicketTool = FunctionTool.from(
  async ({ id }: { id: string }) => {
    const response = await fetch(`https://tickets.example.com/api/tickets/${id}`, { method: "DELETE" });
    return response.ok ? "deleted" : "failed";
  },
  {
    name: "delete_ticket",
    description: "Delete a support ticket",
    parameters: z.object({ id: z.string() }),
  },
);
