/**
 * `node -e 0` start-up with the preload (`--import @governor/sdk/register`) vs without, in one run.
 * Goal: ≤ +30 ms.
 *
 *     npm run build --workspace @governor/sdk && npx tsx bench/sdk-startup.ts [runsPerSide]
 *
 * Runs alternate (without, with, without, …) so machine noise hits both sides alike; medians reported.
 */
import { spawnSync } from "node:child_process";

const runs = Number(process.argv[2] ?? 60);
const env = { ...process.env, NODE_OPTIONS: "", GOVERNOR_ENFORCE_URL: "http://127.0.0.1:9/api/v2/enforce", GOVERNOR_API_KEY: "bench" };

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  return ms;
}

const plain = ["-e", "0"];
const preloaded = ["--import", "@governor/sdk/register", "-e", "if (!globalThis[Symbol.for('@governor/sdk')]?.enabled) process.exit(3)"];
for (let i = 0; i < 3; i++) {
  time(plain);
  time(preloaded);
}
const without: number[] = [];
const withPreload: number[] = [];
for (let i = 0; i < runs; i++) {
  without.push(time(plain));
  withPreload.push(time(preloaded));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const delta = median(withPreload) - median(without);
console.log(`node start-up, ${runs} alternating runs per side`);
console.log(`node -e 0                                   median ${median(without).toFixed(1)} ms`);
console.log(`node --import @governor/sdk/register -e …   median ${median(withPreload).toFixed(1)} ms`);
console.log(`added by the preload: ${delta.toFixed(1)} ms (goal ≤ +30 ms)`);
