/**
 * Shared test helpers: the real enforce mock in a child process, counting HTTP servers on loopback,
 * temp dirs, and the SDK build the child-process tests need.
 */
import * as childProcess from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { governor, type AuditEvent, type GovernorOptions } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";

// Captured at load, before any test enables the SDK: the harness's own processes are not under test.
const rawSpawn = childProcess.spawn;
const rawExecFileSync = childProcess.execFileSync;

export const SDK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = resolve(SDK_DIR, "..");
export const API_KEY = "sdk-test-key";

/** What the tests read from a recorded decision's intent (the body the SDK sent). */
export interface RecordedIntent {
  action: string;
  resource: { type: string; name?: string };
  actor?: { id: string; type?: string };
  context: { primitive?: string; url?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One row of the mock's `GET /mock/decisions`. */
export interface RecordedDecision {
  request_id: string;
  decision: "ALLOW" | "DENY";
  reason: string;
  intent: RecordedIntent;
  canonical_intent: Record<string, unknown>;
}

export interface MockProcess {
  url: string;
  decisions(): Promise<RecordedDecision[]>;
  setFaults(faults: Record<string, number>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the real enforce mock (`startMockServer`) in a child process. */
export async function startMock(options: Record<string, unknown> = {}): Promise<MockProcess> {
  const child = rawSpawn(
    process.execPath,
    ["--import", "tsx", join(SDK_DIR, "test/fixtures/mock-process.ts"), JSON.stringify(options)],
    {
      cwd: REPO_DIR,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolveUrl(line.trim());
    });
    child.on("exit", (code) => reject(new Error(`mock exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  return {
    url,
    async decisions() {
      const response = await rawFetch(`${url}/mock/decisions`);
      return (await response.json()) as RecordedDecision[];
    },
    async setFaults(faults) {
      const response = await rawFetch(`${url}/mock/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faults),
      });
      if (!response.ok) throw new Error(`setFaults: ${response.status} ${await response.text()}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

// The harness talks to servers with the http.request that existed before the SDK patched anything
// (a fetch captured early would still reach undici's dispatcher, which the SDK governs too).
const rawRequest = httpRequest;
/** An ungoverned fetch-alike for the harness's own calls (string bodies, loopback http only). */
export function rawFetch(
  input: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = rawRequest(input, { method: init.method ?? "GET", headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve(
          new Response(Buffer.concat(chunks), {
            status: res.statusCode,
            headers: Object.entries(res.headers).map(([key, value]) => [key, String(value)] as [string, string]),
          }),
        ),
      );
      res.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

/** A loopback HTTP server that counts the requests that reach it: proof a side effect did or did not happen. */
export async function startCountingServer(): Promise<{
  url: string;
  hits: () => number;
  close: () => Promise<void>;
  server: Server;
}> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.setHeader("content-type", "text/plain");
    res.end("ok");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A fresh temp directory. */
export function tempDir(prefix = "gov-sdk-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds `sdk/dist` when it is missing or older than `sdk/src` (child processes load the built package). */
export function ensureBuilt(): void {
  const marker = join(SDK_DIR, "dist/register.js");
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(SDK_DIR, "src"))) return;
  rawExecFileSync("flock", ["/tmp/gi-sdk-build.lock", "npm", "run", "build", "--workspace", "@governor/sdk"], {
    cwd: REPO_DIR,
    stdio: "ignore",
  });
}

/** Runs a node child process to completion with the unpatched spawn. */
export function runNode(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, NODE_OPTIONS: "", ...options.env })) {
      if (value !== undefined && !(key.startsWith("GOVERNOR_") && !(options.env && key in options.env)))
        env[key] = value;
    }
    const child = rawSpawn(process.execPath, args, {
      cwd: options.cwd ?? REPO_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * The per-test set-up most suites share. `start(url)` resets the SDK, enables it against the mock at
 * `url` and records every audit event into `audit` — one array, cleared in place, so a file can keep a
 * reference to it. After each test the listener is removed and the SDK reset.
 */
export function auditedGovernor(): { audit: AuditEvent[]; start(url: string, options?: GovernorOptions): void } {
  const audit: AuditEvent[] = [];
  let unsubscribe = (): void => {};
  const stop = (): void => {
    unsubscribe();
    unsubscribe = () => {};
    resetGovernor();
  };
  afterEach(stop);
  return {
    audit,
    start(url, options = {}) {
      stop();
      governor.enable({ enforceUrl: url, apiKey: API_KEY, ...options });
      audit.length = 0;
      unsubscribe = governor.onAudit((event) => audit.push(event));
    },
  };
}
