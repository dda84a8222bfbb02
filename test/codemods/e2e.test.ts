/**
 * End to end over the sample agent projects in test/fixtures/: copy → detect → plan → apply →
 * `tsc --noEmit` → check passes → undo restores the original bytes.
 *
 * Copies live under test/codemods/.work/ (git-ignored) rather than the OS temp dir so that module
 * resolution walks up to the repository's node_modules: the real framework packages and the
 * `@governor/sdk` workspace package give tsc real types to check the rewritten code against.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { apply, check, detect, plan, undo } from "../../codemods/index.js";
import type { FrameworkId } from "../../codemods/types.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(repo, "test/fixtures");
const work = join(repo, "test/codemods/.work");
const tsc = join(repo, "node_modules/typescript/bin/tsc");

/** The framework each sample project must be detected as (`plain` has no package to detect by). */
const EXPECTED: Record<string, FrameworkId | null> = {
  "openai-agents": "openai-agents",
  "vercel-ai": "vercel-ai",
  langchain: "langchain",
  langgraph: "langgraph",
  mastra: "mastra",
  mcp: "mcp",
  express: "express",
  nextjs: "nextjs",
  plain: null,
};

/** sha256 of every file under `dir` except .git, by relative path. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      if (name === ".git") continue;
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "ignore" });
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe("codemods end to end on sample projects", () => {
  it("has a sample project for every framework", () => {
    // Not framework samples: the first-hour suites' projects with their own tests, and the SARIF schema.
    const others = ["sarif", "tested-app", "tested-app-jest"];
    expect(
      readdirSync(fixtures)
        .filter((name) => !others.includes(name))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, framework] of Object.entries(EXPECTED)) {
    it(`${name}: detect → plan → apply → tsc → check → undo`, async () => {
      mkdirSync(work, { recursive: true });
      const dir = join(work, `${name}-${process.pid}`);
      rmSync(dir, { recursive: true, force: true });
      cpSync(join(fixtures, name), dir, { recursive: true });
      created.push(dir);
      git(dir, "init", "-q");
      git(dir, "add", "-A");
      git(dir, "-c", "user.email=e2e@example.com", "-c", "user.name=e2e", "commit", "-qm", "sample");
      const original = hashTree(dir);

      const detected = await detect(dir);
      expect(detected.warnings).toEqual([]);
      const root = detected.packages[0]!;
      if (framework) expect(root.frameworks).toContain(framework);
      expect(root.entrypoints.length).toBeGreaterThan(0);
      expect(detected.primitiveSites.length).toBeGreaterThan(0);

      const before = await check(dir);
      expect(before.ok).toBe(false);

      const planned = await plan(dir);
      expect(planned.report.skipped).toEqual([]);
      expect(planned.changes.length).toBeGreaterThan(0);
      expect(planned.report.summary.edits).toBeGreaterThan(0);

      const applied = await apply(dir);
      expect(applied.written.sort()).toEqual(planned.changes.map((c) => c.path).sort());
      expect((await apply(dir)).written).toEqual([]);

      const typecheck = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit"], {
        encoding: "utf8",
      });
      expect(typecheck.stdout + typecheck.stderr, "tsc --noEmit after apply").toBe("");
      expect(typecheck.status).toBe(0);

      const after = await check(dir);
      expect(after.findings, "check after apply").toEqual([]);
      expect(after.ok).toBe(true);

      const undone = undo(dir);
      expect(undone.leftAlone).toEqual([]);
      expect(undone.manifestRemoved).toBe(true);
      expect(hashTree(dir)).toEqual(original);
      // tsc over real framework typings takes 5-25 s on a shared 2-core machine.
    }, 180_000);
  }

  it("express in preload mode: only package.json changes, check passes, undo restores it", async () => {
    mkdirSync(work, { recursive: true });
    const dir = join(work, `express-preload-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(fixtures, "express"), dir, { recursive: true });
    created.push(dir);
    const original = hashTree(dir);
    expect((await check(dir)).ok).toBe(false);

    const applied = await apply(dir, { mode: "preload" });
    expect(applied.written).toEqual(["package.json"]);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('NODE_OPTIONS="--require @governor/sdk/register" node dist/src/server.js');
    expect(pkg.scripts.dev).toBe('NODE_OPTIONS="--require @governor/sdk/register" ts-node src/server.ts');
    expect((await check(dir)).findings).toEqual([]);

    expect(undo(dir).manifestRemoved).toBe(true);
    expect(hashTree(dir)).toEqual(original);
  });
});
