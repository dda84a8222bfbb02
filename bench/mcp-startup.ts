/**
 * Spawn → `initialize` answered, for the governor docs MCP server (compiled, `dist/mcp-server/bin.js`)
 * side by side with a minimal one-tool McpServer over stdio started the same way (node, same SDK,
 * same zod). Runs alternate back to back; prints medians and the ratio (goal ≤ 1.3×).
 *
 *     npx tsc -p tsconfig.build.json && npx tsx bench/mcp-startup.ts [--runs 40]
 */
import { spawn } from "node:child_process";
import { builtServer, repoRoot, writeMinimalServer } from "./mcp-peer.js";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 40;
const ours = builtServer();
const minimal = writeMinimalServer();

const initialize = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
})}\n`;

/** Milliseconds from spawn to the initialize response's first byte on stdout. */
function timeToInitialize(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], { cwd: repoRoot, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.includes('"id":1')) {
        const elapsed = performance.now() - started;
        child.kill();
        child.once("exit", () => resolve(elapsed));
      }
    });
    child.once("error", reject);
    // Written at once, as clients do: the server reads it as soon as its transport is connected.
    child.stdin.write(initialize);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Warm the OS file cache for both before measuring.
for (let i = 0; i < 3; i++) {
  await timeToInitialize(ours);
  await timeToInitialize(minimal);
}
const oursTimes: number[] = [];
const minimalTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate the order so drift on a shared machine hits both equally.
  if (i % 2 === 0) {
    oursTimes.push(await timeToInitialize(ours));
    minimalTimes.push(await timeToInitialize(minimal));
  } else {
    minimalTimes.push(await timeToInitialize(minimal));
    oursTimes.push(await timeToInitialize(ours));
  }
}
const oursMedian = median(oursTimes);
const minimalMedian = median(minimalTimes);
console.log(`spawn → initialize answered, ${runs} runs each, alternating`);
console.log(`  governor docs MCP server  median ${oursMedian.toFixed(1)} ms`);
console.log(`  minimal one-tool server   median ${minimalMedian.toFixed(1)} ms`);
console.log(`  ratio of medians ${(oursMedian / minimalMedian).toFixed(2)}× (goal ≤ 1.3×)`);
// Each pair ran back to back, so its ratio is less exposed to load drifting during the run.
const pairRatios = oursTimes.map((t, i) => t / minimalTimes[i]!);
console.log(`  median of per-pair ratios ${median(pairRatios).toFixed(2)}×`);
console.log(
  `  load average ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
