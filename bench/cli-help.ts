/**
 * `governor-init --help` from a cold process, against `node -e 0` (the floor: starting Node at all).
 * Run: npm run build && npx tsx bench/cli-help.ts [runs]
 * Goal: median ≤ 300 ms.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist/cli/bin.js");
if (!existsSync(cli)) throw new Error("run npm run build first");
const runs = Number(process.argv[2] ?? 30);

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: "ignore", cwd: root });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p90: at(0.9), min: sorted[0]! };
}

const cases: Array<[string, string[]]> = [
  ["node -e 0", ["-e", "0"]],
  ["governor-init --help", [cli, "--help"]],
  ["governor-init mcp install --help", [cli, "mcp", "install", "--help"]],
  // What one eagerly imported zod costs (cli/commands/mock.ts still imports it at the top).
  ["node: import zod only", ["--input-type=module", "-e", "await import('zod')"]],
];
// Interleave the cases so machine noise hits them alike; one warm-up each for the disk cache.
for (const [, args] of cases) timeOnce(args);
const samples = new Map(cases.map(([name]) => [name, [] as number[]]));
for (let i = 0; i < runs; i++) for (const [name, args] of cases) samples.get(name)!.push(timeOnce(args));

const floor = stats(samples.get("node -e 0")!).median;
console.log(`runs: ${runs} each, node ${process.version}`);
console.log("case".padEnd(36), "median".padStart(9), "p90".padStart(9), "min".padStart(9), "×floor".padStart(8));
for (const [name] of cases) {
  const s = stats(samples.get(name)!);
  console.log(
    name.padEnd(36),
    `${s.median.toFixed(1)}ms`.padStart(9),
    `${s.p90.toFixed(1)}ms`.padStart(9),
    `${s.min.toFixed(1)}ms`.padStart(9),
    (s.median / floor).toFixed(2).padStart(8),
  );
}
const help = stats(samples.get("governor-init --help")!).median;
console.log(
  `governor-init --help median ${help.toFixed(1)} ms: ${help <= 300 ? "within" : "OVER"} the 300 ms goal (floor ${floor.toFixed(1)} ms)`,
);
