/**
 * The backstop beneath the patches. `GOVERNOR_STRICT=1` re-runs the process under Node's permission
 * model: child processes, workers, WASI and native addons are refused by the runtime, and so are
 * writes outside GOVERNOR_STRICT_WRITE, even through the SDK's own escape hatch (the original
 * function behind a patch) and even where the policy allows. Synchronous decisions still work (the
 * launcher relays them). The start-up self-test refuses to start a process in which a route the SDK
 * claims to govern is open. Real child processes on the built package.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, ensureBuilt, runNode, SDK_DIR, startMock, tempDir, type MockProcess } from "./helpers.js";

let allowMock: MockProcess;
let dir: string;
let root: string;
const register = (): string => join(SDK_DIR, "dist/register.js");

beforeAll(async () => {
  ensureBuilt();
  allowMock = await startMock({ policy: { name: "allow-all", default: "allow", rules: [] } });
  dir = tempDir();
  root = join(dir, "root");
  mkdirSync(root);
}, 120_000);
afterAll(async () => {
  await allowMock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ATTEMPTS = `
const fs = require("node:fs");
const out = {};
function attempt(name, run) { try { run(); out[name] = "ran"; } catch (e) { out[name] = e.code || e.name; } }
attempt("write-in-root", () => fs.writeFileSync(process.env.ROOT + "/in", "x"));
attempt("write-outside", () => fs.writeFileSync(process.env.OUTSIDE, "x"));
attempt("write-outside-original", () => fs.writeFileSync[Symbol.for("@governor/sdk.original")](process.env.OUTSIDE, "x"));
attempt("exec", () => require("node:child_process").execFileSync("true"));
attempt("exec-original", () => require("node:child_process").spawnSync[Symbol.for("@governor/sdk.original")]("true"));
attempt("worker", () => new (require("node:worker_threads").Worker)("1", { eval: true }));
attempt("wasi", () => new (process.getBuiltinModule("node:wasi").WASI)({ version: "preview1", preopens: { "/": "/" } }));
attempt("addon", () => process.dlopen({ exports: {} }, "/nonexistent.node"));
console.log(JSON.stringify(out));
process.exitCode = 7;
`;

describe("strict mode: the runtime refuses what patches cannot", () => {
  it("denies workers, child processes, WASI, addons and writes outside its roots; sync decisions still work", async () => {
    const outside = join(dir, "outside");
    const run = await runNode(["--no-warnings", "--require", register(), "-e", ATTEMPTS], {
      env: {
        GOVERNOR_ENFORCE_URL: allowMock.url,
        GOVERNOR_API_KEY: API_KEY,
        GOVERNOR_STRICT: "1",
        GOVERNOR_STRICT_WRITE: root,
        ROOT: root,
        OUTSIDE: outside,
      },
    });
    expect(JSON.parse(run.stdout.trim()), run.stderr).toEqual({
      "write-in-root": "ran", // allowed by the policy (decided synchronously through the launcher) and inside the root
      "write-outside": "ERR_ACCESS_DENIED",
      "write-outside-original": "ERR_ACCESS_DENIED",
      exec: "ERR_ACCESS_DENIED",
      "exec-original": "ERR_ACCESS_DENIED",
      worker: "ERR_ACCESS_DENIED",
      wasi: "ERR_ACCESS_DENIED",
      addon: "ERR_DLOPEN_DISABLED",
    });
    expect(run.code).toBe(7); // the launcher exits with the restricted process's code
    expect(existsSync(join(root, "in"))).toBe(true);
    expect(existsSync(outside)).toBe(false);
  });

  it("without strict mode the same escape hatch writes (the reason for the backstop)", async () => {
    const outside = join(dir, "outside-no-strict");
    const run = await runNode(["--no-warnings", "--require", register(), "-e", ATTEMPTS], {
      env: { GOVERNOR_ENFORCE_URL: allowMock.url, GOVERNOR_API_KEY: API_KEY, ROOT: root, OUTSIDE: outside },
    });
    expect(JSON.parse(run.stdout.trim())["write-outside-original"], run.stderr).toBe("ran");
    expect(existsSync(outside)).toBe(true);
  });

  it("refuses to start when strict mode is asked for but the permission model in force allows child processes", async () => {
    const marker = join(dir, "started");
    const run = await runNode(
      [
        "--no-warnings",
        "--experimental-permission",
        "--allow-fs-read=*",
        `--allow-fs-write=${dir}`,
        "--allow-child-process",
        "--require",
        register(),
        "-e",
        `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x")`,
      ],
      { env: { GOVERNOR_ENFORCE_URL: allowMock.url, GOVERNOR_API_KEY: API_KEY, GOVERNOR_STRICT: "1" } },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/self-test failed.*strict mode: child is allowed/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("start-up self-test", () => {
  it("a route pinned open before the SDK (fs.writeFileSync held by an accessor) stops the process before the program runs", async () => {
    const pin = join(dir, "pin.cjs");
    writeFileSync(
      pin,
      `const fs = require("node:fs"); const original = fs.writeFileSync;
Object.defineProperty(fs, "writeFileSync", { get: () => original, set: () => {}, configurable: true, enumerable: true });`,
    );
    const marker = join(dir, "pinned");
    const run = await runNode(
      [
        "--require",
        pin,
        "--require",
        register(),
        "-e",
        `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x")`,
      ],
      { env: { GOVERNOR_ENFORCE_URL: allowMock.url, GOVERNOR_API_KEY: API_KEY } },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/GOVERNOR_SELF_TEST|self-test failed/);
    expect(run.stderr).toMatch(/fs\.writeFileSync is not governed/);
    expect(existsSync(marker)).toBe(false);
  });
});
