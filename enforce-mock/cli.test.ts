import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

// The CLI as users run it: the compiled bin in a real process (`npm test` builds first).
const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "dist/cli/bin.js");
const children: ChildProcess[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary JSON answers
type Json = any;

beforeAll(() => {
  if (!existsSync(bin) || !existsSync(join(root, "dist/enforce-mock/server.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before these tests");
  }
});

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

interface RunningMock {
  child: ChildProcess;
  url: string;
  lines: string[];
  nextLine(): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function spawnMock(args: string[]): RunningMock {
  const child = spawn(process.execPath, [bin, "mock", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => setImmediate(() => resolve({ code, signal, stderr }))),
  );
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      waiters.push(resolve);
      void exit.then(({ stderr }) => reject(new Error(`mock exited before printing; stderr: ${stderr}`)));
    });
  return { child, url: "", lines, nextLine, exit };
}

async function startMock(args: string[]): Promise<RunningMock> {
  const mock = spawnMock(args);
  const first = await mock.nextLine();
  const match = /^governor-init mock listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  expect(match, first).not.toBeNull();
  mock.url = match![1]!;
  return mock;
}

function enforce(url: string, key: string | undefined, body: unknown) {
  return fetch(`${url}/api/v2/enforce`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

const EVENT = { action: "query", resource: { type: "postgres_db", name: "users" } };

describe("governor-init mock", () => {
  it("prints its URL first, one line per decision, and stops cleanly on SIGTERM", async () => {
    const mock = await startMock(["--port", "0"]);
    expect((await fetch(`${mock.url}/health`).then((r) => r.json() as Promise<Json>)).status).toBe("ok");
    const answer = await enforce(mock.url, "any", EVENT).then((r) => r.json() as Promise<Json>);
    expect(answer.decision).toBe("ALLOW");
    const line = await mock.nextLine();
    expect(line).toBe(
      `ALLOW read database/users (default) ${answer.enforcement_latency_ms}ms ${answer.metadata.request_id}`,
    );
    mock.child.kill("SIGTERM");
    expect(await mock.exit).toMatchObject({ code: 0, signal: null });
    await expect(fetch(`${mock.url}/health`)).rejects.toThrow();
  });

  it("applies --policy, --api-key, --token-secret and --decision-log; stops on SIGINT", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "gi-mock-cli-")), "decisions.jsonl");
    const mock = await startMock([
      "--port",
      "0",
      "--policy",
      "deny-all",
      "--api-key",
      "k1",
      "--token-secret",
      "s",
      "--decision-log",
      log,
      "--quiet",
    ]);
    expect((await enforce(mock.url, "k2", EVENT)).status).toBe(401);
    const answer = await enforce(mock.url, "k1", EVENT).then((r) => r.json() as Promise<Json>);
    expect(answer.decision).toBe("DENY");
    expect(answer.decision_token).toMatch(/^v1\./);
    mock.child.kill("SIGINT");
    expect((await mock.exit).code).toBe(0);
    expect(mock.lines).toEqual([]);
    const logged = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(logged.map((d) => d.request_id)).toEqual([answer.metadata.request_id]);
  });

  it("injects faults from flags", async () => {
    const mock = await startMock(["--port", "0", "--fail-status", "502"]);
    const answer = await enforce(mock.url, "k", EVENT);
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual({ detail: "Data Plane error: injected fault" });
    mock.child.kill("SIGTERM");
    expect((await mock.exit).code).toBe(0);
  });

  it.each([
    [["--port", "abc"], /--port must be a number/],
    [["--port", "70000"], /--port/],
    [["--error-rate", "1.5"], /--error-rate must be between 0 and 1/],
    [["--fail-status", "200"], /--fail-status must be 400\.\.599/],
    [["--policy", "/nonexistent/policy.yaml"], /Cannot read policy file \/nonexistent\/policy\.yaml/],
  ])("refuses %j with exit code 2", async (args, message) => {
    const mock = spawnMock(args);
    const { code, stderr } = await mock.exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("reports a busy port with a suggestion to pass --port 0", async () => {
    const first = await startMock(["--port", "0", "--quiet"]);
    const port = new URL(first.url).port;
    const second = spawnMock(["--port", port]);
    const { code, stderr } = await second.exit;
    expect(code).toBe(2);
    expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(stderr).toContain("--port 0");
    first.child.kill("SIGTERM");
    await first.exit;
  });
});
