/**
 * Hybrid mode runs intent-scopes and then wrap-primitives on the same file. Site ids and reported lines
 * must keep referring to the ORIGINAL file (what `detect` reports and what users exclude by), even though
 * wrap-primitives sees the text intent-scopes left.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apply, detect, plan } from "../index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-hybrid-ids-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

// A package nothing starts (no entrypoint, no start script): hybrid wraps all of it, after scoping its tools.
const AGENT = [
  'import { tool } from "ai";',
  'import { z } from "zod";',
  "",
  "export const weather = tool({",
  '  description: "Get the weather for a city",',
  "  parameters: z.object({ city: z.string() }),",
  "  execute: async ({ city }) => {",
  "    const res = await fetch(`https://api.weather.example/${city}`);",
  "    return res.json();",
  "  },",
  "});",
  "",
  "export async function ping() {",
  '  return fetch("https://status.example.com/ping");',
  "}",
  "",
  "export async function report(body: string) {",
  '  return fetch("https://status.example.com/report", { method: "POST", body });',
  "}",
  "",
].join("\n");

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("hybrid site ids drift", () => {
  it("honours an excluded site id from detect after intent-scopes edited the file, and reports original positions", async () => {
    const root = project({ "package.json": '{ "name": "agent", "type": "module" }', "src/agent.ts": AGENT });
    const detected = await detect(root);
    const fetches = detected.primitiveSites.filter((s) => s.path === "src/agent.ts");
    expect(fetches.map((s) => s.line)).toEqual([
      lineOf(AGENT, "fetch(`"),
      lineOf(AGENT, 'fetch("https://status.example.com/ping'),
      lineOf(AGENT, 'fetch("https://status.example.com/report'),
    ]);
    const [inTool, ping, reportSite] = fetches as [(typeof fetches)[0], (typeof fetches)[0], (typeof fetches)[0]];
    const toolSite = detected.toolSites.find((s) => s.path === "src/agent.ts")!;
    expect(toolSite).toBeDefined();

    const { report, changes } = await plan(root, { mode: "hybrid", exclude: { sites: [ping.siteId] } });
    const after = changes.find((c) => c.path === "src/agent.ts")!.after;

    // The excluded call is untouched; the others (in the scoped handler and after the excluded one) are wrapped.
    expect(after).toContain('  return fetch("https://status.example.com/ping");\n');
    expect(after).toContain("await govern(fetch)(`https://api.weather.example/${city}`)");
    expect(after).toContain('return govern(fetch)("https://status.example.com/report"');
    expect(after).toContain("governTool(");

    // Every reported line and site id refers to the original file, as detect reported it.
    const edits = report.files.find((f) => f.path === "src/agent.ts")!.edits;
    expect(edits.map((e) => ({ kind: e.kind, line: e.line, siteId: e.siteId }))).toEqual([
      { kind: "intent-scope", line: toolSite.line, siteId: toolSite.siteId },
      { kind: "wrap-primitive", line: inTool.line, siteId: inTool.siteId },
      { kind: "wrap-primitive", line: reportSite.line, siteId: reportSite.siteId },
    ]);

    // apply writes exactly what plan showed.
    await apply(root, { mode: "hybrid", exclude: { sites: [ping.siteId] }, allowDirty: true });
    expect(readFileSync(join(root, "src/agent.ts"), "utf8")).toBe(after);
  });

  it("excluding the wrap site inside the tool handler leaves that call alone and still wraps the rest", async () => {
    const root = project({ "package.json": '{ "name": "agent", "type": "module" }', "src/agent.ts": AGENT });
    const detected = await detect(root);
    const inTool = detected.primitiveSites.find((s) => s.path === "src/agent.ts")!;
    const { changes } = await plan(root, { mode: "hybrid", exclude: { sites: [inTool.siteId] } });
    const after = changes.find((c) => c.path === "src/agent.ts")!.after;
    expect(after).toContain("await fetch(`https://api.weather.example/${city}`)");
    expect(after).toContain('return govern(fetch)("https://status.example.com/ping")');
    expect(after).toContain('return govern(fetch)("https://status.example.com/report"');
  });
});
