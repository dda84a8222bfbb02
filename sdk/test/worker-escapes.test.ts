/**
 * Regression (findings 1–5, 13): ways a worker ran ungoverned after governance was on — a worker
 * `env` with GOVERNOR_ENABLED=0, an `execArgv` that merely mentions the register path, a
 * GOVERNOR_ENABLED changed at run time, a register path pushed onto `process.execArgv`, a worker
 * claiming to be the SDK's own decision worker — and GOVERNOR_ENABLED=0 honoured in production.
 * Real child processes on the built package, a deny-all mock, files that must not appear.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, ensureBuilt, runNode, SDK_DIR, startMock, tempDir, type MockProcess } from "./helpers.js";

let denyMock: MockProcess;
let dir: string;
let script: string;

beforeAll(async () => {
  ensureBuilt();
  denyMock = await startMock({ policy: { name: "deny-all", default: "deny", rules: [] } });
  dir = tempDir();
  script = join(dir, "main.cjs");
  // CASE picks how the worker is started; governance is on in the main thread (enable() or the preload).
  writeFileSync(
    script,
    `if (process.env.IN_CODE === "1") require(${JSON.stringify(join(SDK_DIR, "dist/index.js"))}).governor.enable();
const { Worker, SHARE_ENV } = require("node:worker_threads");
const marker = process.env.MARKER;
const code = \`
  const out = [];
  try { require("fs").writeFileSync(\${JSON.stringify(marker)}, "x"); out.push("write ran"); } catch (e) { out.push("write " + e.name); }
  require("worker_threads").parentPort.postMessage(out);
\`;
let options = { eval: true };
switch (process.env.CASE) {
  case "env": options.env = { ...process.env, GOVERNOR_ENABLED: "0" }; break;
  case "execArgv-mentions": options.execArgv = ["--conditions=@governor/sdk/register"]; break;
  case "runtime-env": process.env.GOVERNOR_ENABLED = "off"; break;
  case "share-env": process.env.GOVERNOR_ENABLED = "off"; options.env = SHARE_ENV; break;
  case "process-execArgv": process.execArgv.push("--conditions=@governor/sdk/register", ${JSON.stringify(join(SDK_DIR, "dist/register.js"))}); break;
  case "claims-decision-worker":
    options.workerData = { governorSyncWorker: true };
    options.env = { ...process.env, GOVERNOR_SYNC_WORKER: "1" };
    break;
  case "prototype-constructor": {
    const Real = Worker.prototype.constructor;
    const w = new Real(code, options);
    w.on("message", (out) => console.log(JSON.stringify(out)));
    w.on("error", (error) => console.log(JSON.stringify(["worker error " + error.message])));
    return;
  }
}
const worker = new Worker(code, options);
worker.on("message", (out) => console.log(JSON.stringify(out)));
worker.on("error", (error) => console.log(JSON.stringify(["worker error " + error.message])));
`,
  );
}, 120_000);
afterAll(async () => {
  await denyMock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let count = 0;
async function startWorker(kase: string, env: Record<string, string> = {}, preload = false) {
  const marker = join(dir, `marker-${++count}`);
  const args = preload ? ["--require", join(SDK_DIR, "dist/register.js"), script] : [script];
  const result = await runNode(args, {
    env: {
      GOVERNOR_ENFORCE_URL: denyMock.url,
      GOVERNOR_API_KEY: API_KEY,
      MARKER: marker,
      CASE: kase,
      IN_CODE: preload ? "0" : "1",
      ...env,
    },
  });
  return { out: result.stdout.trim(), stderr: result.stderr, wrote: existsSync(marker) };
}

const DENIED = JSON.stringify(["write GovernorDeniedError"]);

describe("a worker escapes governance", () => {
  it("1: a worker given env GOVERNOR_ENABLED=0 is still governed", async () => {
    const run = await startWorker("env");
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.wrote).toBe(false);
  });

  it("2: a worker whose execArgv only mentions the register path still gets the preload", async () => {
    const run = await startWorker("execArgv-mentions");
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.wrote).toBe(false);
  });

  it("3: process.env.GOVERNOR_ENABLED set to off at run time does not ungovern later workers (copied or shared env)", async () => {
    for (const kase of ["runtime-env", "share-env"]) {
      const run = await startWorker(kase);
      expect(run.out, `${kase}: ${run.stderr}`).toBe(DENIED);
      expect(run.wrote).toBe(false);
    }
    const preloaded = await startWorker("runtime-env", {}, true);
    expect(preloaded.out, preloaded.stderr).toBe(DENIED);
  });

  it("4: with enable() in code, a register path pushed onto process.execArgv does not make workers skip the preload", async () => {
    const run = await startWorker("process-execArgv");
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.wrote).toBe(false);
  });

  it("5: a worker claiming to be the SDK's decision worker (workerData + env marker) is governed", async () => {
    const run = await startWorker("claims-decision-worker");
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.wrote).toBe(false);
    const preloaded = await startWorker("claims-decision-worker", {}, true);
    expect(preloaded.out, preloaded.stderr).toBe(DENIED);
  });

  it("Worker.prototype.constructor does not lead back to an ungoverned class", async () => {
    const run = await startWorker("prototype-constructor");
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.wrote).toBe(false);
  });

  it("13: GOVERNOR_ENABLED=0 is refused under NODE_ENV=production, like the dev bypass", async () => {
    const run = await startWorker("none", { GOVERNOR_ENABLED: "0", NODE_ENV: "Production" }, true);
    expect(run.out, run.stderr).toBe(DENIED);
    expect(run.stderr).toMatch(/GOVERNOR_ENABLED=.* is refused because NODE_ENV=production/);
    expect(run.wrote).toBe(false);
    // Outside production it still switches the preload off.
    const dev = await startWorker("none", { GOVERNOR_ENABLED: "0", NODE_ENV: "development" }, true);
    expect(dev.out).toBe(JSON.stringify(["write ran"]));
  });
});
