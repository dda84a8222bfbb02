/**
 * The SDK in real child processes: the register preload (ESM --import, CommonJS --require,
 * NODE_OPTIONS), ESM named imports, two SDK copies, fail-open and dev-bypass warnings, bad config.
 * The children load the built package (sdk/dist), built first when stale.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_KEY,
  ensureBuilt,
  runNode,
  SDK_DIR,
  startCountingServer,
  startMock,
  tempDir,
  type MockProcess,
} from "./helpers.js";

let allowMock: MockProcess;
let denyMock: MockProcess;
let failingMock: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  [allowMock, denyMock, failingMock, counter] = await Promise.all([
    startMock({ policy: "allow-all" }),
    startMock({ policy: "deny-all" }),
    startMock({ policy: "allow-all", faults: { status: 500 } }),
    startCountingServer(),
  ]);
  dir = tempDir();
}, 120_000);
afterAll(async () => {
  await Promise.all([allowMock?.stop(), denyMock?.stop(), failingMock?.stop(), counter?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => join(SDK_DIR, "test/fixtures", name);
let markerCount = 0;

async function runSideEffects(args: string[], env: Record<string, string | undefined>) {
  const marker = join(dir, `marker-${++markerCount}`);
  const before = counter.hits();
  const result = await runNode(args, { env: { TARGET_URL: `${counter.url}/preload`, MARKER: marker, ...env } });
  const outcome = result.stdout.trim() ? JSON.parse(result.stdout.trim().split("\n").at(-1)!) : undefined;
  return {
    ...result,
    outcome,
    hits: counter.hits() - before,
    wrote: existsSync(marker),
    executed: existsSync(`${marker}.exec`),
  };
}

const governed = (mock: MockProcess) => ({ GOVERNOR_ENFORCE_URL: mock.url, GOVERNOR_API_KEY: API_KEY });

describe("the register preload", () => {
  for (const [label, args] of [
    ["ESM: node --import @governor/sdk/register", ["--import", "@governor/sdk/register", fixture("side-effects.mjs")]],
    [
      "CommonJS: node --require @governor/sdk/register",
      ["--require", "@governor/sdk/register", fixture("side-effects.cjs")],
    ],
  ] as const) {
    it(`${label} — DENY blocks fetch, fs and child processes with no side effect`, async () => {
      const run = await runSideEffects([...args], governed(denyMock));
      expect(run.outcome, run.stderr).toEqual({
        fetch: "GovernorDeniedError",
        write: "GovernorDeniedError",
        exec: "GovernorDeniedError",
      });
      expect([run.hits, run.wrote, run.executed]).toEqual([0, false, false]);
    });

    it(`${label} — ALLOW runs them`, async () => {
      const run = await runSideEffects([...args], governed(allowMock));
      expect(run.outcome, run.stderr).toEqual({ fetch: "ran", write: "ran", exec: "ran" });
      expect([run.hits, run.wrote, run.executed]).toEqual([1, true, true]);
    });
  }

  it("works from NODE_OPTIONS and by file path; the decision worker stays ungoverned", async () => {
    const viaOptions = await runSideEffects([fixture("side-effects.mjs")], {
      ...governed(allowMock),
      NODE_OPTIONS: "--import @governor/sdk/register",
    });
    expect(viaOptions.outcome, viaOptions.stderr).toEqual({ fetch: "ran", write: "ran", exec: "ran" });
    const viaPath = await runSideEffects(
      ["--require", join(SDK_DIR, "dist/register.js"), fixture("side-effects.cjs")],
      governed(denyMock),
    );
    expect(viaPath.outcome.write).toBe("GovernorDeniedError");
  });

  it("with no GOVERNOR_ENFORCE_URL everything is denied, and stderr says what to set", async () => {
    const run = await runSideEffects(["--import", "@governor/sdk/register", fixture("side-effects.mjs")], {
      GOVERNOR_API_KEY: API_KEY,
    });
    expect(run.outcome).toEqual({
      fetch: "GovernorUnavailableError",
      write: "GovernorUnavailableError",
      exec: "GovernorUnavailableError",
    });
    expect(run.stderr).toContain("GOVERNOR_ENFORCE_URL is not set");
    expect([run.hits, run.wrote, run.executed]).toEqual([0, false, false]);
  });

  it("GOVERNOR_ENABLED=0 turns it off", async () => {
    const run = await runSideEffects(["--import", "@governor/sdk/register", fixture("side-effects.mjs")], {
      ...governed(denyMock),
      GOVERNOR_ENABLED: "0",
    });
    expect(run.outcome).toEqual({ fetch: "ran", write: "ran", exec: "ran" });
  });

  it("fail-open runs side effects with a loud warning when the service errors", async () => {
    const run = await runSideEffects(["--require", "@governor/sdk/register", fixture("side-effects.cjs")], {
      ...governed(failingMock),
      GOVERNOR_FAIL_MODE: "open",
    });
    expect(run.outcome).toEqual({ fetch: "ran", write: "ran", exec: "ran" });
    expect(run.stderr).toMatch(/\[governor\] WARNING: .*HTTP 500.*GOVERNOR_FAIL_MODE=open/);
  });

  it("the dev bypass allows everything loudly, and is refused in production", async () => {
    const dev = await runSideEffects(["--import", "@governor/sdk/register", fixture("side-effects.mjs")], {
      GOVERNOR_DEV_BYPASS: "1",
    });
    expect(dev.outcome).toEqual({ fetch: "ran", write: "ran", exec: "ran" });
    expect(dev.stderr).toMatch(/GOVERNOR_DEV_BYPASS is on/);
    const prod = await runSideEffects(["--import", "@governor/sdk/register", fixture("side-effects.mjs")], {
      GOVERNOR_DEV_BYPASS: "1",
      NODE_ENV: "production",
    });
    expect(prod.outcome).toEqual({
      fetch: "GovernorUnavailableError",
      write: "GovernorUnavailableError",
      exec: "GovernorUnavailableError",
    });
    expect(prod.stderr).toMatch(/GOVERNOR_DEV_BYPASS is refused because NODE_ENV=production/);
    expect([prod.hits, prod.wrote]).toEqual([0, false]);
  });

  it("invalid configuration stops the process with the variable's name", async () => {
    const run = await runSideEffects(["--import", "@governor/sdk/register", fixture("side-effects.mjs")], {
      ...governed(allowMock),
      GOVERNOR_FAIL_MODE: "sometimes",
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/GOVERNOR_FAIL_MODE: expected "closed" or "open"; got "sometimes"/);
    expect([run.hits, run.wrote]).toEqual([0, false]);
  });
});

describe("in a plain program", () => {
  it("enable() governs fs functions imported by name before it ran; disable() restores them", async () => {
    const marker = join(dir, "named-import");
    const run = await runNode([fixture("enable-after-import.mjs")], { env: { ...governed(denyMock), MARKER: marker } });
    expect(JSON.parse(run.stdout), run.stderr).toEqual({
      sync: "GovernorDeniedError",
      promises: "GovernorDeniedError",
      afterDisable: "ran",
    });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}.after-disable`)).toBe(true);
  });

  it("two copies of the SDK share one set of patches: one fetch, one decision", async () => {
    const copy = join(dir, "copy/node_modules/@governor/sdk");
    mkdirSync(copy, { recursive: true });
    cpSync(join(SDK_DIR, "dist"), join(copy, "dist"), { recursive: true });
    cpSync(join(SDK_DIR, "package.json"), join(copy, "package.json"));
    const before = (await allowMock.decisions()).length;
    const run = await runNode(
      [fixture("two-copies.cjs"), join(SDK_DIR, "dist/index.js"), join(copy, "dist/index.js")],
      {
        env: { ...governed(allowMock), TARGET_URL: `${counter.url}/copies`, GOVERNOR_CACHE_TTL_MS: "0" },
      },
    );
    expect(JSON.parse(run.stdout), run.stderr).toEqual({
      distinctModules: true,
      samePatch: true,
      wrapsReal: true,
      secondSeesEnabled: true,
      restored: true,
    });
    expect((await allowMock.decisions()).length - before).toBe(1);
  });
});
