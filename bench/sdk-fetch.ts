/**
 * Governed `fetch` with a cached ALLOW vs raw `fetch`, to the same loopback server, in one run.
 * Goal: ≤ 1.05× per call.
 *
 *     npm run build --workspace @governor/sdk && npx tsx bench/sdk-fetch.ts [rounds] [callsPerBatch]
 *
 * Each round runs raw, governed, governed, raw (ABBA) so drift on a shared machine hits both sides
 * alike; the figure is the median of per-round ratios, plus the ratio of overall means.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { governor } from "@governor/sdk";
import { startMockServer } from "../enforce-mock/index.js";

const rounds = Number(process.argv[2] ?? 40);
const perBatch = Number(process.argv[3] ?? 250);

const rawFetch = globalThis.fetch;
const server = createServer((_req, res) => {
  res.setHeader("content-type", "text/plain");
  res.end("ok");
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
const mock = await startMockServer({ port: 0, policy: "allow-all" });

governor.enable({ enforceUrl: mock.url, apiKey: "bench", cacheTtlMs: 3_600_000 });
const governedFetch = globalThis.fetch;
if (governedFetch === rawFetch) throw new Error("fetch is not patched");

const cpu: Record<"raw" | "governed", number> = { raw: 0, governed: 0 };

/** Wall µs per call; also adds the batch's CPU time (this process: client, server) to `cpu[side]`. */
async function batch(fn: typeof fetch, side?: "raw" | "governed"): Promise<number> {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < perBatch; i++) {
    const response = await fn(target);
    await response.text();
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / perBatch;
  const used = process.cpuUsage(cpuStart);
  if (side) cpu[side] += used.user + used.system;
  return wall;
}

// Warm up both paths (connection pool, JIT, and the one real decision that fills the cache).
await batch(rawFetch);
await batch(governedFetch);
if (mock.decisions().length !== 1) throw new Error(`expected exactly one decision, got ${mock.decisions().length}`);

const raw: number[] = [];
const governed: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const r1 = await batch(rawFetch, "raw");
  const g1 = await batch(governedFetch, "governed");
  const g2 = await batch(governedFetch, "governed");
  const r2 = await batch(rawFetch, "raw");
  raw.push(r1, r2);
  governed.push(g1, g2);
  ratios.push((g1 + g2) / (r1 + r2));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const decisions = mock.decisions().length;

console.log(
  `governed fetch (cached ALLOW) vs raw fetch, loopback, ${rounds} ABBA rounds, ${2 * rounds * perBatch} calls each side`,
);
console.log(`raw      median ${median(raw).toFixed(1)} µs/call   mean ${mean(raw).toFixed(1)} µs/call`);
console.log(`governed median ${median(governed).toFixed(1)} µs/call   mean ${mean(governed).toFixed(1)} µs/call`);
console.log(
  `ratio    median of per-round ratios ${median(ratios).toFixed(3)}×   ratio of means ${(mean(governed) / mean(raw)).toFixed(3)}×   (goal ≤ 1.05×)`,
);
const calls = 2 * rounds * perBatch;
console.log(
  `CPU      raw ${(cpu.raw / calls).toFixed(1)} µs/call   governed ${(cpu.governed / calls).toFixed(1)} µs/call   ratio ${(cpu.governed / cpu.raw).toFixed(3)}×`,
);
console.log(`decisions asked of the mock during the run: ${decisions} (all other calls hit the cache)`);

governor.disable();
await mock.close();
server.closeAllConnections();
server.close();
