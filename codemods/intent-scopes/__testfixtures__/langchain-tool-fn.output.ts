import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { governTool } from "@governor/sdk";

export const queryDatabase = tool(
  governTool({ tool: "query_database", action: "read", resource: { type: "database" } }, async ({ sql }) => {
    return runQuery(sql);
  }),
  {
    name: "query_database",
    description: "Run a read-only SQL query",
    schema: z.object({ sql: z.string() }),
  },
);

declare function runQuery(sql: string): Promise<string>;
