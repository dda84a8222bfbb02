/**
 * A plain tool whose handler is synchronous is left unwrapped by apply (governTool would make it
 * return a Promise to the project's own loop), and `check` lists it as a tool handler without a scope.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apply, check, plan } from "../../codemods/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TOOLS = `import { writeFileSync } from "node:fs";

let written = 0;

export const tools = [
  {
    name: "save_report",
    description: "Write a report file",
    parameters: { type: "object", properties: { file: { type: "string" }, body: { type: "string" } } },
    handler: (args: { file: string; body: string }): number => {
      writeFileSync(args.file, args.body);
      return written + 1;
    },
  },
  {
    name: "get_weather",
    description: "Get the weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
    handler: async (args: { city: string }) => (await fetch("https://wttr.in/" + args.city)).text(),
  },
];
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "gi-sync-handler-"));
  dirs.push(dir);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "sync-agent", type: "module" }, null, 2) + "\n");
  writeFileSync(join(dir, "src/tools.ts"), TOOLS);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
  return dir;
}

describe("synchronous plain tool handlers", () => {
  it("apply leaves them unwrapped with a warning; check reports them as tool handlers without a scope", async () => {
    const dir = project();
    const planned = await plan(dir, { mode: "scopes" });
    const warnings = JSON.stringify(planned);
    expect(warnings).toContain("synchronous handler left alone");
    await apply(dir, { mode: "scopes", allowDirty: true });
    const source = readFileSync(join(dir, "src/tools.ts"), "utf8");
    expect(source).toContain("handler: (args: { file: string; body: string }): number => {");
    expect(source).toMatch(/handler: governTool\(\{ tool: "get_weather"/);
    const report = await check(dir);
    expect(report.unscopedTools.map((t) => t.toolName)).toEqual(["save_report"]);
    expect(report.summary.unscopedTools).toBe(1);
  });
});
