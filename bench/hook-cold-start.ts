/**
 * `governor-init hook claude-code PreToolUse` end to end, from a cold process, with the enforce mock
 * on loopback (allow-all, in its own process), against `node -e 0` and a shell `true` (the floors:
 * starting Node, starting any process). Also: the hook's own entry (`dist/hooks/bin.js`), a read the
 * hook lets through without asking (no SDK, no request), and the dev bypass (SDK loaded, no request),
 * which bounds what a cross-process decision cache could save.
 * Run: npm run build && npx tsx bench/hook-cold-start.ts [runs]
 * Goal: median ≤ 80 ms end to end.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/cli/bin.js");
const hookBin = path.join(root, "dist/hooks/bin.js");
if (!existsSync(cli) || !existsSync(hookBin)) throw new Error("run npm run build first");
const runs = Number(process.argv[2] ?? 40);

// The mock in its own process: this one blocks in spawnSync while each hook runs.
const mock = spawn(process.execPath, [cli, "mock", "--port", "0", "--policy", "allow-all", "--quiet"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const firstLine = await new Promise<string>((resolve) =>
  createInterface({ input: mock.stdout! }).once("line", resolve),
);
const url = /http:\/\/[\d.:]+/.exec(firstLine)?.[0];
if (!url) throw new Error(`mock did not print its URL: ${firstLine}`);

const work = mkdtempSync(path.join(tmpdir(), "gi-bench-hook-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GOVERNOR_ENFORCE_URL: url,
  GOVERNOR_API_KEY: "bench",
  GOVERNOR_AUDIT_LOG: path.join(work, "audit.jsonl"),
};
const bash = JSON.stringify({
  session_id: "bench",
  cwd: work,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "npm test" },
});
const read = JSON.stringify({
  cwd: work,
  hook_event_name: "PreToolUse",
  tool_name: "Read",
  tool_input: { file_path: "a" },
});

interface Case {
  name: string;
  command: string;
  args: string[];
  input?: string;
  env?: NodeJS.ProcessEnv;
}
const cases: Case[] = [
  { name: "true (shell builtin's binary)", command: "true", args: [] },
  { name: "node -e 0", command: process.execPath, args: ["-e", "0"] },
  {
    name: "governor-init hook (ALLOW via mock)",
    command: process.execPath,
    args: [cli, "hook", "claude-code", "PreToolUse"],
    input: bash,
  },
  {
    name: "dist/hooks/bin.js (ALLOW via mock)",
    command: process.execPath,
    args: [hookBin, "claude-code", "PreToolUse"],
    input: bash,
  },
  {
    name: "hook, dev bypass (SDK, no request)",
    command: process.execPath,
    args: [cli, "hook", "claude-code", "PreToolUse"],
    input: bash,
    env: { ...env, GOVERNOR_DEV_BYPASS: "1" },
  },
  {
    name: "hook, read let through (no SDK)",
    command: process.execPath,
    args: [cli, "hook", "claude-code", "PreToolUse"],
    input: read,
  },
  { name: "node: import @governor/sdk only", command: process.execPath, args: ["-e", "require('@governor/sdk')"] },
];

function timeOnce(c: Case): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(c.command, c.args, {
    input: c.input ?? "",
    env: c.env ?? env,
    cwd: root,
    stdio: ["pipe", "ignore", "pipe"],
  });
  if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p90: at(0.9), min: sorted[0]! };
}

try {
  // Interleaved so machine noise hits every case alike; one warm-up each.
  for (const c of cases) timeOnce(c);
  const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)!.push(timeOnce(c));
  const median = (name: string) => stats(samples.get(name)!).median;
  const node = median("node -e 0");
  const shell = median("true (shell builtin's binary)");
  console.log(`runs: ${runs} each, node ${process.version}, mock ${url}`);
  console.log(
    "case".padEnd(40),
    "median".padStart(9),
    "p90".padStart(9),
    "min".padStart(9),
    "×node".padStart(7),
    "×true".padStart(7),
  );
  for (const c of cases) {
    const s = stats(samples.get(c.name)!);
    console.log(
      c.name.padEnd(40),
      `${s.median.toFixed(1)}ms`.padStart(9),
      `${s.p90.toFixed(1)}ms`.padStart(9),
      `${s.min.toFixed(1)}ms`.padStart(9),
      (s.median / node).toFixed(2).padStart(7),
      (s.median / shell).toFixed(1).padStart(7),
    );
  }
  const hook = median("governor-init hook (ALLOW via mock)");
  const bypass = median("hook, dev bypass (SDK, no request)");
  console.log(
    `governor-init hook median ${hook.toFixed(1)} ms: ${hook <= 80 ? "within" : "OVER"} the 80 ms goal (node -e 0 ${node.toFixed(1)} ms, true ${shell.toFixed(1)} ms)`,
  );
  console.log(
    `a cross-process decision cache could save at most the request: ${(hook - bypass).toFixed(1)} ms of ${hook.toFixed(1)} ms (hook with the request vs without)`,
  );
} finally {
  mock.kill();
}
