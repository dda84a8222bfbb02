/**
 * Node start-up with the preload (`--import @governor/sdk/register`) vs without, in one run.
 * Goal: ≤ +30 ms. Also the preload's start-up self-test alone (goal ≤ 5 ms), timed inside
 * preloaded processes: its first run there (as cold as the preload's own) and the median of 20 more.
 *
 *     npm run build --workspace @governor/sdk && npx tsx bench/sdk-startup.ts [runsPerSide]
 *
 * With BASELINE_REGISTER=<path to another build's dist/register.js> a third side runs that preload
 * in the same alternation (to compare two versions of the SDK on the same, possibly busy, machine).
 *
 * Runs alternate (without, with, without, …) so machine noise hits both sides alike. Reports the
 * median wall time of the whole process (spawn to exit) and the median CPU time the process used
 * (user + system, from inside it at exit): on a busy shared machine wall time is inflated by
 * waiting for a core, CPU time much less so.
 */
import { spawnSync } from "node:child_process";

const runs = Number(process.argv[2] ?? 60);
const env = {
  ...process.env,
  NODE_OPTIONS: "",
  GOVERNOR_ENFORCE_URL: "http://127.0.0.1:9/api/v2/enforce",
  GOVERNOR_API_KEY: "bench",
};
// The same script on both sides; on the preloaded side it also checks the SDK really is enabled.
const script =
  "const c = process.cpuUsage(); if (process.argv[1] === 'check' && !globalThis[Symbol.for('@governor/sdk')]?.enabled) process.exit(3); process.stdout.write(String((c.user + c.system) / 1000))";

function run(args: string[]): { wallMs: number; cpuMs: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return { wallMs, cpuMs: Number(result.stdout.toString()) };
}

const plain = ["-e", script];
const preloaded = ["--import", "@governor/sdk/register", "-e", script, "check"];
const baselineRegister = process.env.BASELINE_REGISTER;
const baseline = baselineRegister ? ["--import", baselineRegister, "-e", script, "check"] : undefined;
for (let i = 0; i < 3; i++) {
  run(plain);
  run(preloaded);
  if (baseline) run(baseline);
}
const without: Array<{ wallMs: number; cpuMs: number }> = [];
const withPreload: Array<{ wallMs: number; cpuMs: number }> = [];
const withBaseline: Array<{ wallMs: number; cpuMs: number }> = [];
for (let i = 0; i < runs; i++) {
  without.push(run(plain));
  withPreload.push(run(preloaded));
  if (baseline) withBaseline.push(run(baseline));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const row = (label: string, samples: Array<{ wallMs: number; cpuMs: number }>) =>
  `${label.padEnd(46)} wall median ${median(samples.map((s) => s.wallMs)).toFixed(1)} ms   CPU median ${median(samples.map((s) => s.cpuMs)).toFixed(1)} ms`;
console.log(`node start-up, ${runs} alternating runs per side`);
console.log(row("node -e <script>", without));
console.log(row("node --import @governor/sdk/register -e <script>", withPreload));
if (baseline) console.log(row(`node --import ${baselineRegister} -e <script>`, withBaseline));
// The self-test as the preload ran it at start-up (it records its own duration), plus 20 warm runs.
const selfTestScript = `const first = globalThis[Symbol.for("@governor/sdk")].selfTestMs;
const { selfTest } = require(${JSON.stringify(new URL("../sdk/dist/selftest.js", import.meta.url).pathname)});
const more = []; for (let i = 0; i < 20; i++) { const t = process.hrtime.bigint(); selfTest(false); more.push(Number(process.hrtime.bigint() - t) / 1e6); }
more.sort((a, b) => a - b); process.stdout.write(first + " " + more[10]);`;
const firstRuns: number[] = [];
const warmRuns: number[] = [];
for (let i = 0; i < Math.min(runs, 30); i++) {
  const result = spawnSync(process.execPath, ["--import", "@governor/sdk/register", "-e", selfTestScript], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) throw new Error(`self-test timing failed (${result.status}): ${result.stderr}`);
  const [first, warm] = result.stdout.toString().split(" ").map(Number);
  firstRuns.push(first!);
  warmRuns.push(warm!);
}
const wallDelta = median(withPreload.map((s) => s.wallMs)) - median(without.map((s) => s.wallMs));
const cpuDelta = median(withPreload.map((s) => s.cpuMs)) - median(without.map((s) => s.cpuMs));
console.log(`added by the preload: wall ${wallDelta.toFixed(1)} ms, CPU ${cpuDelta.toFixed(1)} ms (goal ≤ +30 ms)`);
if (baseline) {
  const baseCpu = median(withBaseline.map((s) => s.cpuMs)) - median(without.map((s) => s.cpuMs));
  const baseWall = median(withBaseline.map((s) => s.wallMs)) - median(without.map((s) => s.wallMs));
  console.log(
    `added by the baseline preload: wall ${baseWall.toFixed(1)} ms, CPU ${baseCpu.toFixed(1)} ms (this build / baseline, CPU: ${(cpuDelta / baseCpu).toFixed(2)}×)`,
  );
}
console.log(
  `start-up self-test (part of the above): as run by the preload, median ${median(firstRuns).toFixed(2)} ms, max ${Math.max(...firstRuns).toFixed(2)} ms; warm median ${median(warmRuns).toFixed(3)} ms (goal ≤ 5 ms)`,
);
