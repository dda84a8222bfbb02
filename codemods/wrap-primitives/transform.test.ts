import { describe, expect, it } from "vitest";
import { runFixtureCases } from "../shared/fixture-harness.js";
import { wrapPrimitives, wrapSiteId } from "./transform.js";
import { WRAP_EXAMPLES, wrapFallbackSnippet } from "../../templates/snippets/wrap.js";

runFixtureCases(wrapPrimitives, new URL("./__testfixtures__/", import.meta.url));

const SOURCE = [
  'import { exec } from "node:child_process";',
  "",
  "export async function run() {",
  '  exec("ls");',
  '  await fetch("https://example.com");',
  "}",
  "",
].join("\n");

describe("wrap-primitives transform", () => {
  it("reports one wrap-primitive edit per site, with the line and a stable site id", () => {
    const out = wrapPrimitives.run({ path: "src/run.ts", source: SOURCE, moduleSystem: "esm" });
    expect(out.edits).toEqual([
      {
        kind: "wrap-primitive",
        line: 4,
        description: "wrap exec(...) with govern()",
        siteId: "src/run.ts:4:3:wrap-primitive",
      },
      {
        kind: "wrap-primitive",
        line: 5,
        description: "wrap fetch(...) with govern()",
        siteId: "src/run.ts:5:9:wrap-primitive",
      },
    ]);
  });

  it("edge files import from @governor/sdk/edge and leave Node-only sites alone with a warning", () => {
    const out = wrapPrimitives.run({ path: "src/run.ts", source: SOURCE, moduleSystem: "esm", runtime: "edge" });
    expect(out.source).toContain('import { govern } from "@governor/sdk/edge";');
    expect(out.source).not.toContain('"@governor/sdk";');
    expect(out.source).toContain('  exec("ls");');
    expect(out.source).toContain('await govern(fetch)("https://example.com")');
    expect(out.edits.map((edit) => edit.line)).toEqual([5]);
    expect(out.warnings).toEqual([{ line: 4, message: expect.stringContaining("does not exist on edge runtimes") }]);
    // The edge import counts as the SDK's govern: a second run changes nothing.
    expect(
      wrapPrimitives.run({ path: "src/run.ts", source: out.source, moduleSystem: "esm", runtime: "edge" }).source,
    ).toBe(out.source);
  });

  it("leaves excluded sites alone and still adds the import for the others", () => {
    const excluded = new Set([wrapSiteId("src/run.ts", { line: 4, column: 3 })]);
    const out = wrapPrimitives.run({
      path: "src/run.ts",
      source: SOURCE,
      moduleSystem: "esm",
      excludedSites: excluded,
    });
    expect(out.source).toContain('  exec("ls");');
    expect(out.source).toContain('  await govern(fetch)("https://example.com");');
    expect(out.source).toContain('import { govern } from "@governor/sdk";');
    expect(out.edits.map((edit) => edit.line)).toEqual([5]);
  });

  it("changes nothing, not even the import, when every site is excluded", () => {
    const excluded = new Set(["src/run.ts:4:3:wrap-primitive", "src/run.ts:5:9:wrap-primitive"]);
    const out = wrapPrimitives.run({
      path: "src/run.ts",
      source: SOURCE,
      moduleSystem: "esm",
      excludedSites: excluded,
    });
    expect(out.source).toBe(SOURCE);
    expect(out.edits).toEqual([]);
  });

  it("covers an axios instance's calls with one edit where it is created", () => {
    const source = 'import axios from "axios";\nconst api = axios.create();\napi.get("/a");\napi.post("/b");\n';
    const out = wrapPrimitives.run({ path: "a.ts", source, moduleSystem: "esm" });
    expect(out.edits).toHaveLength(1);
    expect(out.edits[0]!.description).toBe("govern the axios instance from axios.create(...)");
    expect(out.source).toContain('const api = govern(axios.create());\napi.get("/a");');
  });

  it("puts the import before a wrapped call that starts the file", () => {
    const out = wrapPrimitives.run({ path: "a.js", source: 'fetch("https://example.com");\n', moduleSystem: "cjs" });
    expect(out.source).toBe('const { govern } = require("@governor/sdk");\ngovern(fetch)("https://example.com");\n');
  });

  it("nests wraps that share an offset correctly", () => {
    const source = 'import axios from "axios";\naxios.create().get("/x");\n';
    const out = wrapPrimitives.run({ path: "a.ts", source, moduleSystem: "esm" });
    expect(out.source).toContain('govern(axios.create()).get("/x");');
  });

  it('warns instead of editing a "use client" module, and where govern means something else', () => {
    const client = wrapPrimitives.run({
      path: "a.tsx",
      source: '"use client";\nexport const f = () => fetch("/api");\n',
      moduleSystem: "esm",
    });
    expect(client.edits).toEqual([]);
    expect(client.warnings?.[0]?.message).toMatch(/use client/);

    const shadowed = wrapPrimitives.run({
      path: "a.ts",
      source: 'export function f(govern: unknown) {\n  return fetch("/api");\n}\n',
      moduleSystem: "esm",
    });
    expect(shadowed.edits).toEqual([]);
    expect(shadowed.warnings).toEqual([{ line: 2, message: expect.stringContaining("fetch(...) left unwrapped") }]);
  });

  it("rejects files without a primitive by text, and throws PARSE_ERROR on broken ones that might have one", () => {
    expect(wrapPrimitives.mightApply("export const add = (a: number, b: number) => a + b;\n")).toBe(false);
    expect(wrapPrimitives.mightApply('import { writeFile } from "node:fs";\n')).toBe(true);
    // `fetch` as somebody's method is not global fetch.
    expect(wrapPrimitives.mightApply("export const get = (client) => client.fetch(url) && this.fetch();\n")).toBe(
      false,
    );
    expect(wrapPrimitives.mightApply("globalThis.fetch(url);\n")).toBe(true);
    expect(wrapPrimitives.mightApply("window?.fetch(url);\n")).toBe(true);
    expect(wrapPrimitives.mightApply('global["fetch"](url);\n')).toBe(true);
    expect(wrapPrimitives.mightApply("export default () => govern(fetch)(url);\n")).toBe(true);
    // A file that only reads with fs cannot hold an fs write site.
    expect(wrapPrimitives.mightApply('import { readFileSync } from "node:fs";\nreadFileSync("a");\n')).toBe(false);
    expect(wrapPrimitives.mightApply('import fs from "fs";\nimport cp from "child_process";\n')).toBe(true);
    expect(() => wrapPrimitives.run({ path: "a.ts", source: "fetch(", moduleSystem: "esm" })).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
  });
});

describe("the wizard's copy-paste forms", () => {
  it.each(WRAP_EXAMPLES.map((example) => [example.before, example]))(
    "the transform writes %s as shown",
    (_, example) => {
      const source = `${example.from}\nexport async function f(url, init, config, baseURL, options, command, args, path, data, sql, params) {\n  ${example.before};\n}\n`;
      const out = wrapPrimitives.run({ path: "src/example.js", source, moduleSystem: "esm" });
      expect(out.source).toContain(`  ${example.after};\n`);
      expect(out.edits).toHaveLength(1);
    },
  );

  it("prints the import line and the forms of the kinds asked for", () => {
    const snippet = wrapFallbackSnippet(["sql"], "cjs");
    expect(snippet).toBe(
      'const { govern } = require("@governor/sdk");\n\n// await pool.query(sql, params)  →  await govern(pool).query(sql, params)\n',
    );
  });
});
