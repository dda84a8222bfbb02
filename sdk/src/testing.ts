/**
 * `@governor/sdk/testing`: run your own tests against the bundled enforce mock.
 *
 * @example
 * // governed.test.ts (vitest)
 * import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
 * import { GovernorDeniedError } from "@governor/sdk";
 * import { startGovernorMock, useGovernor, type GovernorMock, type GovernorTestSession } from "@governor/sdk/testing";
 *
 * let mock: GovernorMock;
 * let session: GovernorTestSession;
 * beforeAll(async () => { mock = await startGovernorMock({ policy: "./governor-policy.yaml" }); });
 * afterAll(() => mock.stop());
 * afterEach(() => session?.stop());
 *
 * it("refuses to delete customer data", async () => {
 *   session = useGovernor({ url: mock.url });
 *   await expect(deleteCustomer("c_1")).rejects.toBeInstanceOf(GovernorDeniedError);
 *   expect(session.audit.at(-1)).toMatchObject({ decision: "DENY", executed: false });
 * });
 */
import childProcess from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { disable, enable } from "./index";
import { GovernorError } from "./errors";
import { getState, unwrap } from "./state";
import { stopSyncClient } from "./transport-sync";
import type { AuditEvent, GovernorOptions } from "./types";

// Captured at load: the test harness's own process and HTTP calls are not what is under test.
const spawnMock = unwrap(childProcess.spawn);

/** Options of {@link startGovernorMock}. */
export interface GovernorMockOptions {
  /** `allow-all` (default), `deny-all`, a YAML/JSON policy file, or a policy document (written to a temp file). */
  policy?: string | Record<string, unknown>;
  /** The only API key the mock accepts (default: any non-empty key). */
  apiKey?: string;
  /** Sign decision tokens with this secret (pair with `decisionSecret` in {@link useGovernor}). */
  tokenSecret?: string;
  /** Decision token lifetime in milliseconds. */
  tokenTtlMs?: number;
  /** Extra `governor-init mock` flags, for example `["--latency", "500"]`. */
  args?: string[];
  /** The `governor-init` bin to run; found in node_modules when absent. */
  bin?: string;
  /** Where to look for `governor-init` (default `process.cwd()`). */
  cwd?: string;
  /**
   * Do not keep the process alive for the mock: it is stopped when the process exits (a test runner's
   * global setup, where the runner may exit without calling a teardown).
   */
  unref?: boolean;
}

/** A running enforce mock started by {@link startGovernorMock}. */
export interface GovernorMock {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The decisions it made so far, oldest first (its `GET /mock/decisions`). */
  decisions(): Promise<
    Array<{ request_id: string; decision: "ALLOW" | "DENY"; reason: string; intent: unknown; [key: string]: unknown }>
  >;
  /** Stops it. */
  stop(): Promise<void>;
}

function findGovernorInitBin(cwd: string): string {
  const readBin = (packageJson: string): string | undefined => {
    const manifest = JSON.parse(fs.readFileSync(packageJson, "utf8")) as {
      name?: string;
      bin?: string | Record<string, string>;
    };
    if (manifest.name !== "governor-init") return undefined;
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["governor-init"];
    return bin === undefined ? undefined : path.resolve(path.dirname(packageJson), bin);
  };
  try {
    const found = readBin(require.resolve("governor-init/package.json", { paths: [cwd] }));
    if (found !== undefined) return found;
  } catch {
    // Not installed as a dependency; try the enclosing project (governor-init's own repository).
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      const found = readBin(candidate);
      if (found !== undefined && fs.existsSync(found)) return found;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new GovernorError(
    "GOVERNOR_MOCK_NOT_FOUND",
    "startGovernorMock: cannot find the governor-init CLI, which runs the enforce mock. Install it as a dev dependency: npm install --save-dev governor-init",
    {
      hint: "Install it as a dev dependency: npm install --save-dev governor-init",
    },
  );
}

/**
 * Starts the bundled enforce mock (`governor-init mock --port 0`) in a child process and waits for
 * its URL. Requires `governor-init` as a dev dependency.
 */
export async function startGovernorMock(options: GovernorMockOptions = {}): Promise<GovernorMock> {
  const bin = options.bin ?? findGovernorInitBin(options.cwd ?? process.cwd());
  let policy = typeof options.policy === "string" ? options.policy : "allow-all";
  let tempPolicyDir: string | undefined;
  if (options.policy !== undefined && typeof options.policy !== "string") {
    tempPolicyDir = fs.mkdtempSync(path.join(os.tmpdir(), "governor-policy-"));
    policy = path.join(tempPolicyDir, "policy.json");
    // The SDK's own set-up file, written with the original fs: not a governed side effect.
    unwrap(fs.writeFileSync)(policy, JSON.stringify(options.policy));
  }
  const args = [bin, "mock", "--port", "0", "--policy", policy, "--quiet"];
  if (options.apiKey !== undefined) args.push("--api-key", options.apiKey);
  if (options.tokenSecret !== undefined) args.push("--token-secret", options.tokenSecret);
  if (options.tokenTtlMs !== undefined) args.push("--token-ttl", String(options.tokenTtlMs));
  args.push(...(options.args ?? []));
  const child = spawnMock(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /https?:\/\/[^\s]+/.exec(out.split("\n")[0] ?? "");
      if (out.includes("\n") || match) {
        if (match) {
          child.stdout!.off("data", onData);
          child.stdout!.resume();
          resolve(match[0]);
        } else reject(new Error(`governor-init mock printed no URL: ${out}`));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) =>
      reject(
        new GovernorError(
          "GOVERNOR_MOCK_FAILED",
          `governor-init mock exited (${code}) before listening: ${stderr.trim()}`,
          { hint: "Run the same command by hand to see why." },
        ),
      ),
    );
  });
  const fetchOriginal = getState().originals.fetch;
  if (options.unref) {
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
    process.once("exit", kill);
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }
  return {
    url,
    async decisions() {
      const response = await fetchOriginal(`${url}/mock/decisions`);
      return (await response.json()) as Awaited<ReturnType<GovernorMock["decisions"]>>;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      if (tempPolicyDir !== undefined) fs.rmSync(tempPolicyDir, { recursive: true, force: true });
    },
  };
}

/** What {@link useGovernor} returns. */
export interface GovernorTestSession {
  /** Every audit event since the session started. */
  audit: AuditEvent[];
  /** Disables the SDK and resets its cache and state. Call it in `afterEach`. */
  stop(): void;
}

/**
 * Enables the SDK against `url` (a mock from {@link startGovernorMock}) for one test, collecting the
 * audit trail. Other options override the environment as in `enable()`. The mock needs an API key:
 * `apiKey`, else `GOVERNOR_API_KEY`, else a test key.
 */
export function useGovernor(options: GovernorOptions & { url: string }): GovernorTestSession {
  const { url, ...rest } = options;
  resetGovernor();
  // The mock accepts any non-empty key unless started with one: fall back to a test key.
  const apiKey = rest.apiKey ?? process.env.GOVERNOR_API_KEY ?? "governor-test-key";
  enable({ ...rest, apiKey, enforceUrl: url, enabled: true });
  const audit: AuditEvent[] = [];
  const listener = (event: AuditEvent): void => {
    audit.push(event);
  };
  getState().listeners.add(listener);
  return {
    audit,
    stop() {
      getState().listeners.delete(listener);
      resetGovernor();
    },
  };
}

/** Disables the SDK and forgets its cached decisions and configuration (it is read again from the environment). */
export function resetGovernor(): void {
  disable();
  const state = getState();
  state.cache.clear();
  state.config = undefined;
  stopSyncClient();
}

// --- a whole test run against the mock: global setup for vitest, jest, mocha and node:test -------------

const RUN_KEY = Symbol.for("governor.testing.run");
type RunState = { mock: GovernorMock; env: Record<string, string | undefined> };

/** The policy a test run uses: `GOVERNOR_TEST_POLICY`, else `governor-policy.yaml`/`.json` in the working directory, else `allow-all`. */
export function testPolicy(cwd: string = process.cwd()): string {
  const named = process.env.GOVERNOR_TEST_POLICY;
  if (named) return named;
  for (const file of ["governor-policy.yaml", "governor-policy.yml", "governor-policy.json"]) {
    if (fs.existsSync(path.join(cwd, file))) return path.join(cwd, file);
  }
  return "allow-all";
}

/**
 * Starts the enforce mock for a whole test run and points the SDK at it through the environment
 * (`GOVERNOR_ENFORCE_URL`, and `GOVERNOR_API_KEY` when unset), which the runner's workers inherit: code
 * under test that loads `@governor/sdk/register` asks the mock, so side effects behave as before under
 * the test policy ({@link testPolicy}) and still go through the governed paths. Returns the teardown.
 *
 * Wire it as vitest's `globalSetup` (`export { setup, teardown } from "@governor/sdk/testing"`), jest's
 * `globalSetup` (`module.exports = require("@governor/sdk/testing").governorGlobalSetup`), mocha's
 * `mochaGlobalSetup`, or `node --import` for node:test. Nothing happens when `GOVERNOR_ENFORCE_URL` is
 * already set (a parent process started the mock, or the run targets a real Governor on purpose).
 */
export async function governorGlobalSetup(options: GovernorMockOptions = {}): Promise<() => Promise<void>> {
  const globals = globalThis as { [RUN_KEY]?: RunState };
  if (globals[RUN_KEY] !== undefined || process.env.GOVERNOR_ENFORCE_URL) return governorGlobalTeardown;
  const mock = await startGovernorMock({ policy: testPolicy(options.cwd), unref: true, ...options });
  const env = {
    GOVERNOR_ENFORCE_URL: process.env.GOVERNOR_ENFORCE_URL,
    GOVERNOR_API_KEY: process.env.GOVERNOR_API_KEY,
  };
  process.env.GOVERNOR_ENFORCE_URL = mock.url;
  process.env.GOVERNOR_API_KEY ??= options.apiKey ?? "governor-test-key";
  globals[RUN_KEY] = { mock, env };
  return governorGlobalTeardown;
}

/** Stops the mock {@link governorGlobalSetup} started and restores the environment. */
export async function governorGlobalTeardown(): Promise<void> {
  const globals = globalThis as { [RUN_KEY]?: RunState };
  const run = globals[RUN_KEY];
  if (run === undefined) return;
  delete globals[RUN_KEY];
  for (const [key, value] of Object.entries(run.env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await run.mock.stop();
}

/** vitest `globalSetup` named exports. */
export const setup = (): Promise<() => Promise<void>> => governorGlobalSetup();
/** vitest `globalSetup` named exports. */
export const teardown = governorGlobalTeardown;
/** mocha root hook plugin exports (`--require`). */
export const mochaGlobalSetup = setup;
/** mocha root hook plugin exports (`--require`). */
export const mochaGlobalTeardown = governorGlobalTeardown;

/** One decision the mock made, as its decision log holds it. */
export type LoggedDecision = Awaited<ReturnType<GovernorMock["decisions"]>>[number];

/** The decisions the run's mock made so far, oldest first (from `GOVERNOR_ENFORCE_URL`, or `url`). */
export async function decisionLog(
  url: string | undefined = process.env.GOVERNOR_ENFORCE_URL,
): Promise<LoggedDecision[]> {
  if (!url) {
    throw new GovernorError(
      "GOVERNOR_MOCK_NOT_FOUND",
      "decisionLog: no GOVERNOR_ENFORCE_URL; run the tests with the governor test setup (governorGlobalSetup).",
      { hint: "See the testing guide: wire @governor/sdk/testing as the runner's global setup." },
    );
  }
  const response = await getState().originals.fetch(`${url.replace(/\/$/, "")}/mock/decisions`);
  return (await response.json()) as LoggedDecision[];
}

/** What {@link expectDecision} looks for; every given field must match. */
export interface DecisionMatch {
  decision?: "ALLOW" | "DENY";
  /** The intent's action (`write`, `read`, `execute`, …). */
  action?: string;
  /** The intent's resource type, or `type/name`. */
  resource?: string;
  /** The tool name in the intent's context. */
  tool?: string;
}

function matches(entry: LoggedDecision, want: DecisionMatch): boolean {
  const intent = (entry.intent ?? {}) as {
    action?: string;
    resource?: { type?: string; name?: string };
    context?: { tool?: unknown };
  };
  if (want.decision !== undefined && entry.decision !== want.decision) return false;
  if (want.action !== undefined && intent.action !== want.action) return false;
  if (want.resource !== undefined) {
    const full = `${intent.resource?.type ?? ""}${intent.resource?.name ? `/${intent.resource.name}` : ""}`;
    if (want.resource !== full && want.resource !== intent.resource?.type) return false;
  }
  if (want.tool !== undefined && intent.context?.tool !== want.tool) return false;
  return true;
}

/**
 * Asserts that the mock made a decision matching `want` (among those after `since`, an index into the
 * log — take `(await decisionLog()).length` before the code under test). Returns the decision; throws an
 * `Error` listing the decisions it saw otherwise, so it works with any test runner.
 */
export async function expectDecision(
  want: DecisionMatch,
  options: { since?: number; url?: string } = {},
): Promise<LoggedDecision> {
  const log = (await decisionLog(options.url)).slice(options.since ?? 0);
  const found = log.find((entry) => matches(entry, want));
  if (found !== undefined) return found;
  const seen = log.map((e) => {
    const intent = (e.intent ?? {}) as { action?: string; resource?: { type?: string; name?: string } };
    return `${e.decision} ${intent.action ?? "?"} ${intent.resource?.type ?? "?"}${intent.resource?.name ? `/${intent.resource.name}` : ""}`;
  });
  const error = new Error(
    `expected a governor decision matching ${JSON.stringify(want)}; the mock made ${log.length}: ${seen.join(", ") || "none"}`,
  );
  error.name = "AssertionError";
  throw error;
}
