/**
 * `tools/call` round trip through the governing proxy with a cached ALLOW, against the same call
 * straight to the same server (goal: p50 ≤ 1.2× and ≤ +1 ms). The server is the reference
 * `server-everything` (`echo`), spawned over stdio by a real MCP `Client`; through the proxy it is
 * `governor-init proxy -- node server-everything` (the compiled CLI), deciding against the enforce
 * mock in this process. The cache TTL is raised so every timed call is a cache hit: the first call
 * of the warm-up is the only decision asked of the mock.
 *
 * A third side is the floor of any proxy built the same way: a bare relay (the MCP SDK's `Client` and
 * `Server` forwarding every request, no decision), so the cost of the extra process hop and of the
 * decision can be told apart.
 *
 * Direct and proxied rounds alternate (ABBA) so drift hits both sides alike; the figure is the p50
 * of each side over all rounds, and the median of per-round p50 ratios.
 *
 *     npx tsc -p tsconfig.build.json && npx tsx bench/proxy-roundtrip.ts [--rounds 20] [--calls 200]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { startMockServer } from "../enforce-mock/index.js";
import { repoRoot } from "./mcp-peer.js";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rounds = arg("--rounds", 20);
const calls = arg("--calls", 200);
const cli = path.join(repoRoot, "dist/cli/bin.js");
if (!existsSync(cli)) {
  console.error("dist/cli/bin.js is missing: run npx tsc -p tsconfig.build.json first.");
  process.exit(2);
}
const everything = path.join(repoRoot, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

const mock = await startMockServer({ port: 0, policy: "allow-all" });
const env: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env))
  if (value !== undefined && !key.startsWith("GOVERNOR_")) env[key] = value;

async function connect(args: string[], extra: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args, env: { ...env, ...extra }, stderr: "ignore" }),
  );
  return client;
}

// The peer: a bare relay with the same SDK, written where it resolves the same node_modules.
mkdirSync(path.join(repoRoot, "bench", ".work"), { recursive: true });
const relayScript = path.join(repoRoot, "bench", ".work", "bare-mcp-relay.mjs");
writeFileSync(
  relayScript,
  `import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ResultSchema } from "@modelcontextprotocol/sdk/types.js";
const client = new Client({ name: "relay", version: "1" });
await client.connect(new StdioClientTransport({ command: process.argv[2], args: process.argv.slice(3), stderr: "ignore" }));
const server = new Server(client.getServerVersion(), { capabilities: client.getServerCapabilities() });
server.fallbackRequestHandler = (request, extra) => client.request({ method: request.method, params: request.params }, ResultSchema, { signal: extra.signal });
process.stdin.once("end", () => void client.close());
await server.connect(new StdioServerTransport());
`,
);

const direct = await connect([everything, "stdio"]);
const relay = await connect([relayScript, process.execPath, everything, "stdio"]);
const proxied = await connect([cli, "proxy", "--", process.execPath, everything, "stdio"], {
  GOVERNOR_ENFORCE_URL: mock.url,
  GOVERNOR_API_KEY: "bench",
  GOVERNOR_CACHE_TTL_MS: "3600000",
});

const call = async (client: Client) => {
  const result = await client.callTool({ name: "echo", arguments: { message: "benchmark" } });
  if (result.isError) throw new Error(JSON.stringify(result.content));
};

async function timed(client: Client): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call(client);
    times.push(performance.now() - started);
  }
  return times;
}

const p = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]!;
};

for (let i = 0; i < 200; i++) {
  await call(direct);
  await call(relay);
  await call(proxied);
}
const directAll: number[] = [];
const relayAll: number[] = [];
const proxiedAll: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const forward = [direct, relay, proxied];
  const backward = [...forward].reverse();
  const order = round % 2 === 0 ? [...forward, ...backward] : [...backward, ...forward];
  const byClient = new Map<Client, number[]>([
    [direct, []],
    [relay, []],
    [proxied, []],
  ]);
  for (const client of order) byClient.get(client)!.push(...(await timed(client)));
  directAll.push(...byClient.get(direct)!);
  relayAll.push(...byClient.get(relay)!);
  proxiedAll.push(...byClient.get(proxied)!);
  ratios.push(p(byClient.get(proxied)!, 50) / p(byClient.get(direct)!, 50));
}
const decisions = mock.decisions().length;
await direct.close();
await relay.close();
await proxied.close();
await mock.close();

const fmt = (values: number[]) =>
  `p50 ${p(values, 50).toFixed(3)} ms  p95 ${p(values, 95).toFixed(3)} ms  p99 ${p(values, 99).toFixed(3)} ms`;
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(
  `tools/call echo over stdio, ${rounds} ABBA rounds × ${calls} calls per side per half (n=${directAll.length} each)`,
);
console.log(`  direct to server-everything       ${fmt(directAll)}`);
console.log(`  through a bare SDK relay (peer)   ${fmt(relayAll)}`);
console.log(`  through governor-init proxy       ${fmt(proxiedAll)}`);
console.log(
  `  p50 ratio ${(p(proxiedAll, 50) / p(directAll, 50)).toFixed(3)}×, +${(p(proxiedAll, 50) - p(directAll, 50)).toFixed(3)} ms; median per-round p50 ratio ${median.toFixed(3)}×`,
);
console.log(
  `  vs the bare relay: p50 ${(p(proxiedAll, 50) / p(relayAll, 50)).toFixed(3)}×, +${(p(proxiedAll, 50) - p(relayAll, 50)).toFixed(3)} ms`,
);
console.log(`  decisions asked of the mock: ${decisions} (every other call was a cached ALLOW)`);
