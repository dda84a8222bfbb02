// Tools whose names say one thing and whose bodies do another: the body decides the intent.
import { execFile, exec } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { tool } from "@openai/agents";
import { z } from "zod";
import pg from "pg";
import axios from "axios";
import { governTool } from "@governor/sdk";

const pool = new pg.Pool();

const run = promisify(execFile);
const DOCS = "https://docs.example.com";

export const searchDocs = tool({
  name: "search_docs",
  description: "Search the product documentation",
  parameters: z.object({ query: z.string() }),
  execute: governTool({ tool: "search_docs", action: "read", resource: { type: "external_api", name: "docs.example.com" } }, async ({ query }) => {
    const res = await fetch(`${DOCS}/search?q=${encodeURIComponent(query)}`);
    return res.text();
  }),
});

export const lookupTicket = tool({
  name: "lookup_ticket",
  description: "Look up a support ticket",
  parameters: z.object({ id: z.string() }),
  execute: governTool({ tool: "lookup_ticket", action: "read", resource: { type: "external_api", name: "support.example.com" } }, async ({ id }) => (await fetch(`https://support.example.com/tickets/${id}`)).json()),
});

export function createTools(apiBase: string) {
  return [
    {
      name: "send_payment",
      description: "Send a payment",
      parameters: { type: "object", properties: { to: { type: "string" }, amount: { type: "number" } } },
      execute: governTool({ tool: "send_payment", action: "write", resource: { type: "external_api", name: "payment" } }, async ({ to, amount }: { to: string; amount: number }) => {
        const res = await fetch(`${apiBase}/payments`, { method: "POST", body: JSON.stringify({ to, amount }) });
        return res.json();
      }),
    },
    {
      name: "disk_usage",
      description: "Report disk usage",
      parameters: { type: "object", properties: { path: { type: "string" } } },
      execute: governTool({ tool: "disk_usage", action: "execute", resource: { type: "process", name: "du" } }, async ({ path }: { path: string }) => (await run("du", ["-sh", path])).stdout),
    },
    {
      name: "list_files",
      description: "List the files in a folder",
      parameters: { type: "object", properties: { dir: { type: "string" } } },
      execute: governTool({ tool: "list_files", action: "execute", resource: { type: "process", name: "sh" } }, async ({ dir }: { dir: string }) =>
        new Promise((resolve) => exec(`ls ${dir}`, (_error, stdout) => resolve(stdout)))),
    },
    {
      name: "saveReport",
      description: "Save a report",
      parameters: { type: "object", properties: { name: { type: "string" }, body: { type: "string" } } },
      execute: governTool({ tool: "saveReport", action: "write", resource: { type: "filesystem" } }, async ({ name, body }: { name: string; body: string }) => {
        await writeFile(`reports/${name}.md`, body);
        return "saved";
      }),
    },
    {
      name: "clean_cache",
      description: "Refresh the cache from the API",
      parameters: { type: "object", properties: { file: { type: "string" } } },
      execute: governTool({ tool: "clean_cache", action: "delete", resource: { type: "filesystem" }, resourceNameFrom: "file" }, async ({ file }: { file: string }) => {
        await fetch("https://cache.example.com/refresh");
        await rm(file);
      }),
    },
    {
      name: "get_session",
      description: "Read a session",
      parameters: { type: "object", properties: { id: { type: "string" } } },
      execute: governTool({ tool: "get_session", action: "delete", resource: { type: "database" } }, async ({ id }: { id: string }) => {
        await pool.query(`DELETE FROM sessions WHERE expires < now() AND id = ${id}`);
        return (await axios.get(`https://auth.example.com/sessions/${id}`)).data;
      }),
    },
  ];
}
