import { tool } from "llamaindex";
import { FunctionTool } from "@llamaindex/core/tools";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const weatherTool = tool({
  name: "get_weather",
  description: "Get the current weather for a city",
  parameters: z.object({ city: z.string() }),
  execute: governTool({ tool: "get_weather", action: "read", resource: { type: "external_api", name: "api.weather.example.com" } }, async ({ city }) => {
    const response = await fetch(`https://api.weather.example.com/v1/current?city=${city}`);
    return await response.text();
  }),
});

const queryKnowledgeBase = async ({ question }: { question: string }) => {
  const response = await fetch(`https://kb.example.com/search?q=${question}`);
  return await response.text();
};

export const kbTool = tool(governTool({ tool: "query_knowledge_base", action: "read", resource: { type: "external_api", name: "kb.example.com" } }, queryKnowledgeBase), {
  name: "query_knowledge_base",
  description: "Search the knowledge base for an answer",
  parameters: z.object({ question: z.string() }),
});

export const deleteTicketTool = FunctionTool.from(
  governTool({ tool: "delete_ticket", action: "delete", resource: { type: "external_api", name: "tickets.example.com" } }, async ({ id }: { id: string }) => {
    const response = await fetch(`https://tickets.example.com/api/tickets/${id}`, { method: "DELETE" });
    return response.ok ? "deleted" : "failed";
  }),
  {
    name: "delete_ticket",
    description: "Delete a support ticket",
    parameters: z.object({ id: z.string() }),
  },
);
