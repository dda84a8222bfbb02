import { describe, expect, it } from "vitest";
import { runFixtureCases } from "../shared/fixture-harness.js";
import { intentScopes } from "./transform.js";
import { readFileSync } from "node:fs";

runFixtureCases(intentScopes, new URL("./__testfixtures__/", import.meta.url));

const fixture = (name: string) => readFileSync(new URL(`./__testfixtures__/${name}`, import.meta.url), "utf8");

describe("intent-scopes transform", () => {
  it("reports each edit as an intent-scope with a site id", () => {
    const out = intentScopes.run({
      path: "src/agent.ts",
      source: fixture("openai-agents.input.ts"),
      moduleSystem: "esm",
    });
    expect(out.edits).toEqual([
      {
        kind: "intent-scope",
        line: 5,
        description: "governTool around get_weather (intent from its body: fetch GET to wttr.in)",
        siteId: "src/agent.ts:5:27:intent-scope",
      },
      {
        kind: "intent-scope",
        line: 15,
        description: "governTool around refund_order",
        siteId: "src/agent.ts:15:28:intent-scope",
      },
    ]);
  });

  it("leaves excluded sites alone and still scopes the others", () => {
    const source = fixture("openai-agents.input.ts");
    const out = intentScopes.run({
      path: "src/agent.ts",
      source,
      moduleSystem: "esm",
      excludedSites: new Set(["src/agent.ts:5:27:intent-scope"]),
    });
    expect(out.edits.map((e) => e.line)).toEqual([15]);
    expect(out.source).toContain("execute: async ({ city }) =>");
    expect(out.source).toContain('governTool({ tool: "refund_order"');
  });

  it("excluding every site changes nothing, not even the import", () => {
    const source = fixture("openai-agents.input.ts");
    const out = intentScopes.run({
      path: "src/agent.ts",
      source,
      moduleSystem: "esm",
      excludedSites: new Set(["src/agent.ts:5:27:intent-scope", "src/agent.ts:15:28:intent-scope"]),
    });
    expect(out).toEqual({ source, edits: [] });
  });

  it("warns about TODO intents and about sites it cannot scope", () => {
    const todo = intentScopes.run({
      path: "src/a.ts",
      source: fixture("ambiguous-todo.input.ts"),
      moduleSystem: "esm",
    });
    expect(todo.warnings?.map((w) => w.line)).toEqual([4, 11]);
    expect(todo.edits.every((e) => e.description.includes("TODO(governor)"))).toBe(true);

    const grouped = [
      'import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";',
      "server.setRequestHandler(CallToolRequestSchema, async (request) => {",
      "  switch (request.params.name) {",
      '    case "a":',
      '    case "b":',
      "      return { content: [] };",
      '    case "get_user": {',
      "      if (request.params.arguments) break;",
      "      return { content: [] };",
      "    }",
      "  }",
      "  return { content: [] };",
      "});",
      "declare const server: any;",
    ].join("\n");
    const out = intentScopes.run({ path: "src/low.ts", source: grouped, moduleSystem: "esm" });
    // No case can be scoped safely, so the whole handler gets one scope named at run time.
    expect(out.edits).toHaveLength(1);
    expect(out.source).toContain("context: { tool: request.params.name }");
  });

  it("mightApply rejects files that name no framework and hold no schema objects", () => {
    expect(intentScopes.mightApply('import express from "express";\nexport const x = 1;\n')).toBe(false);
    expect(intentScopes.mightApply('import { tool } from "@openai/agents";')).toBe(true);
    expect(
      intentScopes.mightApply("const t = { name: 'x', parameters: { type: 'object', properties: {} }, handler() {} };"),
    ).toBe(true);
    expect(intentScopes.mightApply('import { tool } from "./tools";\ntool({ execute() {} });')).toBe(false);
  });

  it("throws a PARSE_ERROR for a file that does not parse", () => {
    expect(() =>
      intentScopes.run({ path: "src/bad.ts", source: 'import { tool } from "ai";\ntool({', moduleSystem: "esm" }),
    ).toThrow(expect.objectContaining({ code: "PARSE_ERROR" }));
  });

  it("does not import governTool over the file's own binding of that name", () => {
    const source = [
      'import { tool } from "@openai/agents";',
      "const governTool = (x: unknown) => x;",
      'export const t = tool({ name: "get_weather", parameters: {}, execute: async () => 1 });',
      "",
    ].join("\n");
    const out = intentScopes.run({ path: "src/x.ts", source, moduleSystem: "esm" });
    expect(out.source).toBe(source);
    expect(out.warnings?.[0]?.message).toContain("already declares its own `governTool`");
  });

  it("in an edge file imports from the edge entry, and applying twice changes nothing", () => {
    const source = fixture("vercel-ai-tool.input.ts");
    const once = intentScopes.run({ path: "app/api/chat/route.ts", source, moduleSystem: "esm", runtime: "edge" });
    expect(once.source).toContain('import { governTool } from "@governor/sdk/edge";');
    expect(once.source).not.toMatch(/from "@governor\/sdk";/);
    expect(once.edits).toHaveLength(2);
    const twice = intentScopes.run({
      path: "app/api/chat/route.ts",
      source: once.source,
      moduleSystem: "esm",
      runtime: "edge",
    });
    expect(twice.source).toBe(once.source);
    expect(twice.edits).toEqual([]);
    // The same file read as Node code: the edge entry's governTool still counts as applied.
    expect(intentScopes.run({ path: "src/x.ts", source: once.source, moduleSystem: "esm" }).source).toBe(once.source);
  });

  it("uses a name already bound from the other entry instead of importing it twice", () => {
    const source = [
      'import { tool } from "ai";',
      'import { governTool as gt } from "@governor/sdk";',
      'export const t = tool({ description: "Send an email", inputSchema: {}, execute: async () => 1 });',
      "",
    ].join("\n");
    const out = intentScopes.run({ path: "app/route.ts", source, moduleSystem: "esm", runtime: "edge" });
    expect(out.edits).toHaveLength(1);
    expect(out.source).toContain("execute: gt({");
    expect(out.source).not.toContain("@governor/sdk/edge");
  });
});

describe("synchronous plain handlers", () => {
  it("leaves a synchronous plain handler alone with a warning, and still wraps one that returns a promise", () => {
    const out = intentScopes.run({
      path: "src/tools.ts",
      source: fixture("sync-plain-handler.input.ts"),
      moduleSystem: "esm",
    });
    expect(out.edits).toEqual([]);
    expect(out.warnings?.map((w) => w.line)).toEqual([7, 16]);
    for (const warning of out.warnings ?? [])
      expect(warning.message).toContain(
        "synchronous handler left alone: governTool would make it async; make it async or scope it with governor.withIntent",
      );
    const promised = intentScopes.run({
      path: "src/tools.ts",
      source: fixture("promise-plain-handler.input.ts"),
      moduleSystem: "esm",
    });
    expect(promised.edits.map((e) => e.description)).toEqual([
      "governTool around fetch_page (intent from its body: fetch GET)",
      "governTool around read_note",
    ]);
    expect(promised.warnings).toBeUndefined();
  });

  it("wraps a synchronous framework handler: the framework awaits it", () => {
    const out = intentScopes.run({
      path: "src/tools.ts",
      source: fixture("sync-framework-handler.input.ts"),
      moduleSystem: "esm",
    });
    expect(out.edits.map((e) => e.description)).toEqual([
      expect.stringContaining("governTool around add_numbers"),
      expect.stringContaining("governTool around get_time"),
    ]);
  });
});
