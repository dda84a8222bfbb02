/**
 * Regression: a worker_threads Worker started after enable() (one-liner mode) ran with none of the
 * patches, so its writes and commands were never decided. enable() now makes new workers load the
 * register preload; the SDK's own decision worker stays ungoverned. Runs the built package in a
 * real child process.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, ensureBuilt, runNode, SDK_DIR, startMock, tempDir, type MockProcess } from "./helpers.js";

let denyMock: MockProcess;
let allowMock: MockProcess;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  [denyMock, allowMock] = await Promise.all([
    startMock({ policy: { name: "deny-all", default: "deny", rules: [] } }),
    startMock({ policy: { name: "allow-all", default: "allow", rules: [] } }),
  ]);
  dir = tempDir();
}, 120_000);
afterAll(async () => {
  await Promise.all([denyMock?.stop(), allowMock?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A main script that enables the SDK in code, then starts a worker that writes a file and runs a command. */
function writeScript(name: string): string {
  const script = join(dir, `${name}.cjs`);
  writeFileSync(
    script,
    `const { governor } = require(${JSON.stringify(join(SDK_DIR, "dist/index.js"))});
governor.enable();
const { Worker } = require("node:worker_threads");
const file = process.env.MARKER;
const code = \`
  const out = [];
  try { require("fs").writeFileSync(\${JSON.stringify(file)}, "x"); out.push("write ran"); } catch (e) { out.push("write " + e.name); }
  try { require("child_process").execFileSync("touch", [\${JSON.stringify(file + ".exec")}]); out.push("exec ran"); } catch (e) { out.push("exec " + e.name); }
  require("worker_threads").parentPort.postMessage(out);
\`;
const worker = new Worker(code, { eval: true });
worker.on("message", (out) => console.log(JSON.stringify(out)));
worker.on("error", (error) => console.log(JSON.stringify(["worker error " + error.message])));
`,
  );
  return script;
}

describe("worker started after enable() runs unpatched", () => {
  it("a worker's writes and commands are decided (denied under deny-all) and never happen", async () => {
    const marker = join(dir, "denied");
    const result = await runNode([writeScript("deny")], {
      env: { GOVERNOR_ENFORCE_URL: denyMock.url, GOVERNOR_API_KEY: API_KEY, MARKER: marker },
    });
    expect(result.stdout.trim(), result.stderr).toBe(
      JSON.stringify(["write GovernorDeniedError", "exec GovernorDeniedError"]),
    );
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}.exec`)).toBe(false);
  });

  it("under allow-all the worker's side effects run (the preload does not break workers)", async () => {
    const marker = join(dir, "allowed");
    const result = await runNode([writeScript("allow")], {
      env: { GOVERNOR_ENFORCE_URL: allowMock.url, GOVERNOR_API_KEY: API_KEY, MARKER: marker },
    });
    expect(result.stdout.trim(), result.stderr).toBe(JSON.stringify(["write ran", "exec ran"]));
    expect(existsSync(marker)).toBe(true);
    expect(existsSync(`${marker}.exec`)).toBe(true);
  });
});
