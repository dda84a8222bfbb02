/**
 * The layering check: dependency-cruiser with `.dependency-cruiser.cjs` over the whole repository
 * (engines never import front ends, nothing imports upward, no cycles), and the same rules over a
 * small tree that breaks each of them, so the check is known to fail when it should.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../", import.meta.url));
const config = join(repo, ".dependency-cruiser.cjs");
const depcruise = join(repo, "node_modules/.bin/depcruise");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string, targets: string[]): { violations: Violation[]; modules: number } {
  const run = spawnSync(depcruise, ["--config", config, "--output-type", "json", ...targets], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`depcruise failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

describe("layering", () => {
  it("holds over the repository", () => {
    const { violations, modules } = cruise(repo, ["."]);
    expect(modules).toBeGreaterThan(150);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  const scratch = mkdtempSync(join(tmpdir(), "governor-layering-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("fails on each kind of breach", () => {
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }),
      "cli/run.ts": `export const run = 1;\n`,
      "mcp-server/server.ts": `import type { Context } from "./tools/docs.js";\nexport const server = 1;\nexport type C = Context;\n`,
      "mcp-server/tools/docs.ts": `import type { server } from "../server.js";\nexport type Context = typeof server;\n`,
      "core/explain.ts": `export async function f() { return import("../enforce-mock/canonicalize.js"); }\n`,
      "enforce-mock/canonicalize.ts": `import { plan } from "../codemods/plan.js";\nexport const c = plan;\n`,
      "codemods/plan.ts": `import { run } from "../cli/run.js";\nexport const plan = run;\n`,
      "templates/frameworks.ts": `import { c } from "../enforce-mock/canonicalize.js";\nexport const t = c;\n`,
      // A new engine directory is covered by the general rule.
      "proxy/server.ts": `import { server } from "../mcp-server/server.js";\nexport const p = server;\n`,
      "sdk/src/index.ts": `import { t } from "../../templates/frameworks.js";\nexport const s = t;\n`,
      // Tests may import anything.
      "codemods/plan.test.ts": `import { run } from "../cli/run.js";\nexport const x = run;\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    const { violations } = cruise(scratch, ["."]);
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "engine-imports-front-end: codemods/plan.ts → cli/run.ts",
        "engine-imports-front-end: proxy/server.ts → mcp-server/server.ts",
        "core-is-the-foundation: core/explain.ts → enforce-mock/canonicalize.ts",
        "enforce-mock-below-engines: enforce-mock/canonicalize.ts → codemods/plan.ts",
        "templates-are-data: templates/frameworks.ts → enforce-mock/canonicalize.ts",
        "sdk-is-its-own-package: sdk/src/index.ts → templates/frameworks.ts",
        "no-circular: mcp-server/server.ts → mcp-server/tools/docs.ts",
      ]),
    );
    expect(found.filter((f) => f.includes(".test.ts"))).toEqual([]);
  });
});
