import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findToolSites } from "./sites.js";

const fixture = (name: string) => readFileSync(new URL(`./__testfixtures__/${name}`, import.meta.url), "utf8");
const summary = (name: string) =>
  findToolSites(fixture(name), `src/${name}`).map((s) => [
    s.framework,
    s.pattern,
    s.toolName,
    s.line,
    s.wrapped,
    s.hasTodo,
  ]);

describe("findToolSites", () => {
  it("finds OpenAI Agents tools, arrow and method handlers", () => {
    expect(summary("openai-agents.input.ts")).toEqual([
      ["openai-agents", "tool({ execute })", "get_weather", 5, false, false],
      ["openai-agents", "tool({ execute })", "refund_order", 15, false, false],
    ]);
  });

  it("resolves aliases, namespaces, the realtime entry points and require destructuring", () => {
    expect(summary("aliased-import.input.ts").map((s) => s[2])).toEqual(["send_slack_message", "list_files"]);
    expect(summary("openai-realtime.input.ts").map((s) => s[2])).toEqual(["lookup_booking"]);
    expect(summary("commonjs-require.input.ts").map((s) => s[2])).toEqual(["save_note"]);
  });

  it("finds LlamaIndex.TS tools from their framework row alone: tool({ execute }), tool(fn, config), FunctionTool.from", () => {
    expect(summary("llamaindex-tool.input.ts")).toEqual([
      ["llamaindex", "tool({ execute })", "get_weather", 5, false, false],
      ["llamaindex", "tool(fn, { name })", "query_knowledge_base", 20, false, false],
      ["llamaindex", "FunctionTool.from(fn, { name })", "delete_ticket", 26, false, false],
    ]);
    expect(summary("llamaindex-already-applied.input.ts").map((s) => [s[2], s[4]])).toEqual([
      ["get_weather", true],
      ["query_knowledge_base", true],
      ["delete_ticket", true],
    ]);
  });

  it("ignores a same-named tool() from another module and a shadowing parameter", () => {
    expect(summary("unrelated-tool.input.ts")).toEqual([]);
    expect(summary("shadowed.input.ts").map((s) => s[2])).toEqual(["delete_order"]);
  });

  it("names Vercel AI tools by the key the model sees, and skips client-side tools", () => {
    expect(summary("vercel-ai-tool.input.ts")).toEqual([
      ["vercel-ai", "tool({ execute })", "weather", 5, false, false],
      ["vercel-ai", "tool({ execute })", "createInvoice", 17, false, false],
    ]);
    expect(summary("vercel-ai-inline.input.ts").map((s) => [s[1], s[2]])).toEqual([
      ["streamText({ tools: { name: { execute } } })", "searchDocs"],
      ["streamText({ tools: { name: { execute } } })", "deleteRecords"],
    ]);
  });

  it("finds LangChain, Mastra, MCP and plain schema tools", () => {
    expect(summary("langchain-tool-fn.input.ts").map((s) => [s[0], s[1], s[2]])).toEqual([
      ["langchain", "tool(fn, { name })", "query_database"],
    ]);
    expect(summary("langchain-dynamic.input.ts").map((s) => [s[1], s[2]])).toEqual([
      ["new DynamicStructuredTool({ func })", "write_file"],
      ["new DynamicTool({ func })", "run_command"],
    ]);
    expect(summary("langchain-structured-tool.input.ts").map((s) => [s[1], s[2], s[3]])).toEqual([
      ["class extends StructuredTool { _call }", "send_email", 9],
    ]);
    expect(summary("mastra-create-tool.input.ts").map((s) => [s[0], s[2]])).toEqual([["mastra", "get-stock-price"]]);
    expect(summary("mcp-server-tool.input.ts").map((s) => [s[1], s[2]])).toEqual([
      ["server.tool(…)", "read_file"],
      ["server.registerTool(…)", "create_ticket"],
      ["server.tool(…)", "delete_user"],
    ]);
    expect(summary("mcp-low-level-switch.input.ts").map((s) => [s[2], s[3]])).toEqual([
      ["get_weather", 8],
      ["run_script", 12],
    ]);
    expect(summary("mcp-low-level-dynamic.input.ts")).toEqual([
      ["mcp", "setRequestHandler(CallToolRequestSchema)", undefined, 7, false, true],
    ]);
    expect(summary("plain-function-schema.input.ts").map((s) => [s[0], s[1], s[2]])).toEqual([
      ["plain", "{ name, parameters, handler }", "search_orders"],
      ["plain", "{ name, parameters, run }", "upload_document"],
      ["plain", "{ name, parameters, handler }", "delete_customer"],
    ]);
  });

  it("reports wrapped sites and their TODO markers", () => {
    expect(summary("already-applied.input.ts").map((s) => [s[2], s[4], s[5]])).toEqual([
      ["get_weather", true, false],
      ["lookup_user", true, false],
      ["purge_cache", true, false],
      ["archive_orders", true, false],
    ]);
    expect(summary("ambiguous-todo.output.ts").map((s) => [s[2], s[4], s[5]])).toEqual([
      ["do_magic", true, true],
      ["notify_team", true, true],
    ]);
    expect(summary("mcp-low-level-dynamic.output.ts").map((s) => [s[4], s[5]])).toEqual([[true, true]]);
    expect(summary("mcp-low-level-switch.output.ts").map((s) => [s[2], s[4]])).toEqual([
      ["get_weather", true],
      ["run_script", true],
    ]);
  });

  it("marks an unwrapped site whose intent cannot be inferred", () => {
    expect(summary("ambiguous-todo.input.ts").map((s) => [s[2], s[4], s[5]])).toEqual([
      ["do_magic", false, true],
      ["notify_team", false, true],
    ]);
  });

  it("resolves whole-module requires, require(...).member and the langchain/tools entry point", () => {
    const source = [
      'const agents = require("@openai/agents");',
      'const tool = require("ai").tool;',
      'const { DynamicTool } = require("langchain/tools");',
      'agents.tool({ name: "get_user", parameters: {}, execute: async () => 1 });',
      'const pingApi = tool({ description: "Ping the API", inputSchema: {}, execute: async () => 1 });',
      'new DynamicTool({ name: "run_job", description: "Run a job", func: async () => "ok" });',
    ].join("\n");
    expect(findToolSites(source, "src/x.js").map((s) => [s.framework, s.toolName])).toEqual([
      ["openai-agents", "get_user"],
      ["vercel-ai", "pingApi"],
      ["langchain", "run_job"],
    ]);
  });

  it("finds Vercel AI dynamicTool()", () => {
    const source =
      'import { dynamicTool } from "ai";\nexport const runSql = dynamicTool({ description: "Run SQL", inputSchema: {}, execute: async () => 1 });\n';
    expect(findToolSites(source, "src/x.ts").map((s) => [s.pattern, s.toolName])).toEqual([
      ["dynamicTool({ execute })", "runSql"],
    ]);
  });

  it("names a default-exported tool after its file", () => {
    const source =
      'import { createTool } from "@mastra/core/tools";\nexport default createTool({ description: "d", inputSchema: {}, execute: async () => 1 });\n';
    expect(findToolSites(source, "src/tools/get-weather.ts").map((s) => s.toolName)).toEqual(["get-weather"]);
  });

  it("counts scopes from the edge entry as applied", () => {
    const sites = findToolSites(fixture("edge-route.output.ts"), "app/api/chat/route.ts");
    expect(sites.map((s) => [s.toolName, s.wrapped])).toEqual([["sendSlackMessage", true]]);
    expect(findToolSites(fixture("edge-route.input.ts"), "app/api/chat/route.ts")[0]?.wrapped).toBe(false);
  });
});
