import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectTestRunner, isTestFile, wireTests } from "./test-runner.js";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "gi-test-runner-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: "app", scripts }, null, 2) + "\n";

describe("detectTestRunner", () => {
  it("reads the runner from the test script (vitest, jest, mocha, ava, node --test)", () => {
    expect(detectTestRunner(project({ "package.json": pkg({ test: "vitest run" }) }))?.runner).toBe("vitest");
    expect(detectTestRunner(project({ "package.json": pkg({ test: "jest --ci" }) }))?.runner).toBe("jest");
    expect(detectTestRunner(project({ "package.json": pkg({ test: "mocha 'test/**/*.js'" }) }))?.runner).toBe("mocha");
    expect(detectTestRunner(project({ "package.json": pkg({ test: "ava" }) }))?.runner).toBe("ava");
    expect(detectTestRunner(project({ "package.json": pkg({ test: "node --test test/" }) }))?.runner).toBe("node:test");
    expect(detectTestRunner(project({ "package.json": pkg({ "test:unit": "vitest" }) }))).toMatchObject({
      runner: "vitest",
      script: "test:unit",
    });
    expect(detectTestRunner(project({ "package.json": pkg({ start: "node ." }) }))).toBeNull();
  });

  it("knows test files", () => {
    for (const file of ["__tests__/a.js", "src/a.test.ts", "src/a.spec.mjs", "test/helpers.js", "test/fixtures/x.js"])
      expect(isTestFile(file), file).toBe(true);
    for (const file of ["src/a.ts", "src/testing.ts", "lib/contest.js"]) expect(isTestFile(file), file).toBe(false);
  });
});

describe("wireTests (dry run: the diff, nothing written)", () => {
  it("jest, mocha and node:test: one flag in the test script and a setup file", () => {
    const cases = [
      ["jest --ci", "jest --globalSetup ./governor.test-setup.cjs --ci", "governor.test-setup.cjs"],
      ["mocha test/", "mocha --require ./governor.test-setup.cjs test/", "governor.test-setup.cjs"],
      ["node --test test/", "node --import ./governor.test-setup.mjs --test test/", "governor.test-setup.mjs"],
    ] as const;
    for (const [script, wired, setup] of cases) {
      const root = project({ "package.json": pkg({ test: script }) });
      const outcome = wireTests(root, { dryRun: true });
      expect(outcome.status, script).toBe("wired");
      expect(outcome.files).toEqual([setup, "package.json"]);
      const diff = outcome.diffs.find((d) => d.path === "package.json")!.diff;
      expect(diff).toContain(`+    "test": "${wired}"`);
      expect(readFileSync(path.join(root, "package.json"), "utf8")).toBe(pkg({ test: script }));
    }
  });

  it("vitest: a config of its own gets test.globalSetup; no config gets a vitest.config.mjs", () => {
    const withConfig = project({
      "package.json": pkg({ test: "vitest run" }),
      "vitest.config.ts":
        'import { defineConfig } from "vitest/config";\nexport default defineConfig({ test: { include: ["src/**/*.test.ts"] } });\n',
    });
    const outcome = wireTests(withConfig, { dryRun: true });
    expect(outcome.files).toEqual(["governor.test-setup.mjs", "vitest.config.ts"]);
    expect(outcome.diffs[1]!.diff).toContain('test: { globalSetup: ["./governor.test-setup.mjs"], include');
    const bare = wireTests(project({ "package.json": pkg({ test: "vitest run" }) }), { dryRun: true });
    expect(bare.files).toEqual(["governor.test-setup.mjs", "vitest.config.mjs"]);
  });

  it("says why when it cannot wire safely: a global setup of its own, ava, no runner", () => {
    const own = project({
      "package.json": pkg({ test: "vitest run" }),
      "vitest.config.mjs": 'export default { test: { globalSetup: ["./db.mjs"] } };\n',
    });
    expect(wireTests(own, { dryRun: true })).toMatchObject({
      status: "manual",
      reason: expect.stringContaining("has a globalSetup already"),
    });
    expect(wireTests(project({ "package.json": pkg({ test: "ava" }) }), { dryRun: true })).toMatchObject({
      status: "manual",
      reason: expect.stringContaining("ava has no global setup"),
    });
    expect(wireTests(project({ "package.json": pkg({ start: "node ." }) }), { dryRun: true })).toMatchObject({
      status: "no-runner",
      reason: expect.stringContaining("looked for vitest, jest, mocha, ava and node --test"),
    });
  });
});
