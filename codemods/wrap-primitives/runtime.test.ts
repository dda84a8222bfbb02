/**
 * The forms the transform writes really govern at runtime: a program is transformed, then run as a
 * real Node process against the real enforce mock with the real `@governor/sdk` (its built `dist/`,
 * as customers install it, without `enable()`). Under a deny-all policy no side effect happens; under
 * allow-all each one happens and the mock saw a decision for it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../../enforce-mock/index.js";
import { wrapPrimitives } from "./transform.js";

const run = promisify(execFile);
const SDK_DIR = fileURLToPath(new URL("../../sdk/", import.meta.url));

/** A CommonJS agent helper using fs, a promisified exec alias, spawnSync and global fetch. */
const CJS_PROGRAM = `const fs = require("fs");
const path = require("path");
const { exec, spawnSync } = require("child_process");
const { promisify } = require("util");
const sh = promisify(exec);

async function attempt(results, name, action) {
  try {
    await action();
    results[name] = "ran";
  } catch (error) {
    results[name] = error.name;
  }
}

async function main() {
  const out = process.argv[2];
  const results = {};
  await attempt(results, "fs", () => fs.writeFileSync(path.join(out, "written.txt"), "x"));
  await attempt(results, "exec", () => sh("node -e \\"require('fs').writeFileSync('exec.txt', 'y')\\"", { cwd: out }));
  await attempt(results, "spawn", () => spawnSync(process.execPath, ["-e", "require('fs').writeFileSync('spawn.txt', 'z')"], { cwd: out }));
  await attempt(results, "fetch", () => fetch(process.env.TARGET_URL));
  console.log(JSON.stringify(results));
}
main();
`;

/** The same through ESM namespace and named imports. */
const ESM_PROGRAM = `import * as fs from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const out = process.argv[2];
const results = {};
for (const [name, action] of [
  ["fs", () => fs.promises.writeFile(join(out, "written.txt"), "x")],
  ["rm", () => fs.rmSync(join(out, "keep.txt"))],
  ["spawn", () => spawnSync(process.execPath, ["-e", "require('fs').writeFileSync('spawn.txt', 'z')"], { cwd: out })],
  ["fetch", () => globalThis.fetch(process.env.TARGET_URL)],
]) {
  try {
    await action();
    results[name] = "ran";
  } catch (error) {
    results[name] = error.name;
  }
}
console.log(JSON.stringify(results));
`;

let mock: MockServer;
let target: Server;
let targetUrl: string;
let targetHits = 0;
let root: string;

beforeAll(async () => {
  expect(existsSync(join(SDK_DIR, "dist/index.js")), "build the SDK first (npm run build)").toBe(true);
  mock = await startMockServer({ policy: "deny-all" });
  target = createServer((_req, res) => {
    targetHits++;
    res.end("ok");
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const address = target.address() as { port: number };
  targetUrl = `http://127.0.0.1:${address.port}/side-effect`;
  root = mkdtempSync(join(tmpdir(), "wrap-primitives-runtime-"));
  mkdirSync(join(root, "node_modules/@governor"), { recursive: true });
  symlinkSync(SDK_DIR, join(root, "node_modules/@governor/sdk"), "dir");
});

afterAll(async () => {
  await mock?.close();
  await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Transforms `program`, writes it into a fresh work directory and runs it; returns what happened. */
async function runTransformed(name: string, program: string, moduleSystem: "esm" | "cjs", transform = true) {
  const transformed = transform
    ? wrapPrimitives.run({ path: name, source: program, moduleSystem })
    : { source: program, edits: [] };
  if (transform) expect(transformed.edits.length).toBeGreaterThan(0);
  const work = mkdtempSync(join(root, "work-"));
  writeFileSync(join(work, "keep.txt"), "keep");
  const file = join(root, `${work.slice(root.length + 1)}-${name}`);
  writeFileSync(file, transformed.source);
  const hitsBefore = targetHits;
  const decisionsBefore = mock.decisions().length;
  const { stdout } = await run(process.execPath, [file, work], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      GOVERNOR_ENFORCE_URL: mock.url,
      GOVERNOR_API_KEY: "test-key",
      GOVERNOR_FAIL_MODE: "closed",
      TARGET_URL: targetUrl,
    },
    timeout: 60_000,
  });
  return {
    results: JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, string>,
    fetched: targetHits - hitsBefore,
    decisions: mock.decisions().length - decisionsBefore,
    files: ["written.txt", "exec.txt", "spawn.txt", "keep.txt"].filter((f) => existsSync(join(work, f))),
    source: transformed.source,
  };
}

describe("wrapped call sites at runtime", () => {
  it("deny-all: a CommonJS program's fs, exec (promisified), spawnSync and fetch never happen", async () => {
    mock.installPolicy("deny-all");
    const outcome = await runTransformed("agent.cjs", CJS_PROGRAM, "cjs");
    expect(outcome.source).toContain("const sh = promisify(govern(exec));");
    expect(outcome.results).toEqual({
      fs: "GovernorDeniedError",
      exec: "GovernorDeniedError",
      spawn: "GovernorDeniedError",
      fetch: "GovernorDeniedError",
    });
    expect(outcome.files).toEqual(["keep.txt"]);
    expect(outcome.fetched).toBe(0);
    expect(outcome.decisions).toBeGreaterThanOrEqual(4);
  });

  it("control: without the transform, deny-all stops nothing (enable() was never called)", async () => {
    mock.installPolicy("deny-all");
    const outcome = await runTransformed("agent-plain.cjs", CJS_PROGRAM, "cjs", false);
    expect(outcome.results).toEqual({ fs: "ran", exec: "ran", spawn: "ran", fetch: "ran" });
    expect(outcome.fetched).toBe(1);
    expect(outcome.decisions).toBe(0);
  });

  it("allow-all: the same program's side effects all happen, each after a decision", async () => {
    mock.installPolicy("allow-all");
    const outcome = await runTransformed("agent-allowed.cjs", CJS_PROGRAM, "cjs");
    expect(outcome.results).toEqual({ fs: "ran", exec: "ran", spawn: "ran", fetch: "ran" });
    expect(outcome.files).toEqual(["written.txt", "exec.txt", "spawn.txt", "keep.txt"]);
    expect(outcome.fetched).toBe(1);
    expect(outcome.decisions).toBeGreaterThanOrEqual(4);
  });

  it("deny-all: ESM namespace and named imports are governed too", async () => {
    mock.installPolicy("deny-all");
    const outcome = await runTransformed("agent.mjs", ESM_PROGRAM, "esm");
    expect(outcome.source).toContain("govern(fs).rmSync(");
    expect(outcome.results).toEqual({
      fs: "GovernorDeniedError",
      rm: "GovernorDeniedError",
      spawn: "GovernorDeniedError",
      fetch: "GovernorDeniedError",
    });
    expect(outcome.files).toEqual(["keep.txt"]);
    expect(outcome.fetched).toBe(0);
  });
});
