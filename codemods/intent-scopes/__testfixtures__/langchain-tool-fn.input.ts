import { tool } from "@langchain/core/tools";
import { z } from "zod";

export const queryDatabase = tool(
  async ({ sql }) => {
    return runQuery(sql);
  },
  {
    name: "query_database",
    description: "Run a read-only SQL query",
    schema: z.object({ sql: z.string() }),
  },
);

declare function runQuery(sql: string): Promise<string>;
