/**
 * `search_docs` round trip over stdio, client to compiled server and back (JSON-RPC framing, schema
 * validation, search, structured result): p50 / p95 / p99 (goal p50 ≤ 2 ms). Side by side, the same
 * round trip to the minimal one-tool server's `echo` (the transport's own floor), and the in-process
 * search alone. Also prints the size of the tool definitions in tokens (≈ characters / 4).
 *
 *     npx tsc -p tsconfig.build.json && npx tsx bench/mcp-search.ts [--rounds 20]
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { search } from "../docs-corpus/src/index.js";
import { builtServer, repoRoot, writeMinimalServer } from "./mcp-peer.js";

const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 20;
const ours = builtServer();
const minimal = writeMinimalServer();

const QUERIES = [
  "how do I enable the governor",
  "fail closed when the enforce url is unreachable",
  "GOVERNOR_API_KEY",
  "wrap a tool handler with governTool",
  "zero-code preload NODE_OPTIONS --import",
  "intent event schema actor resource data",
  "GovernorDeniedError request id",
  "test against the mock with a deny policy",
  "withIntent explicit scope",
  "decision cache ttl",
  "signed decision token",
  "canonicalization trace low confidence",
  "commonjs --require register",
  "install the mcp server in cursor",
  "govern fetch call site",
  "audit log of decisions",
  "dev bypass warning",
  "enforce api 422 malformed",
  "hybrid mode",
  "governr enabel typo",
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(3)} ms  p95 ${percentile(sorted, 95).toFixed(3)} ms  p99 ${percentile(sorted, 99).toFixed(3)} ms  (n=${sorted.length})`;
}

async function connectTo(script: string): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [script], cwd: repoRoot, stderr: "ignore" }),
  );
  return client;
}

async function roundTrips(client: Client, call: (query: string) => Promise<unknown>): Promise<number[]> {
  for (const query of QUERIES) await call(query); // warm up: the index loads on the first call
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const query of QUERIES) {
      const started = performance.now();
      await call(query);
      times.push(performance.now() - started);
    }
  }
  return times;
}

const oursClient = await connectTo(ours);
const minimalClient = await connectTo(minimal);

const searchTimes = await roundTrips(oursClient, async (query) => {
  const result = await oursClient.callTool({ name: "search_docs", arguments: { query } });
  if (result.isError) throw new Error(JSON.stringify(result.content));
});
const echoTimes = await roundTrips(minimalClient, (text) =>
  minimalClient.callTool({ name: "echo", arguments: { text } }),
);
// The same transport floor with a response as large as search_docs' (its text and structured copy).
const responseChars = JSON.stringify(
  await oursClient.callTool({ name: "search_docs", arguments: { query: QUERIES[0]! } }),
).length;
const bigEchoTimes = await roundTrips(minimalClient, (text) =>
  minimalClient.callTool({ name: "echo", arguments: { text, size: responseChars } }),
);
for (const query of QUERIES) search(query, { limit: 5 });
const inProcess: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const query of QUERIES) {
    const started = performance.now();
    search(query, { limit: 5 });
    inProcess.push(performance.now() - started);
  }
}

const { tools } = await oursClient.listTools();
const definitionChars = JSON.stringify(tools).length;
const withoutOutput = JSON.stringify(tools.map(({ outputSchema: _o, ...rest }) => rest)).length;
await oursClient.close();
await minimalClient.close();

console.log(
  `load average ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(`search_docs over stdio, ${QUERIES.length} queries × ${rounds} rounds`);
console.log(`  search_docs round trip (governor server)   ${summary(searchTimes)}`);
console.log(`  echo round trip (minimal one-tool server)  ${summary(echoTimes)}`);
console.log(`  ${`echo of ${responseChars} chars (same peer)`.padEnd(42)} ${summary(bigEchoTimes)}`);
console.log(`  search in process (docs engine alone)      ${summary(inProcess)}`);
console.log(`tool definitions (tools/list: ${tools.length} tools, names, titles, descriptions, schemas, annotations)`);
console.log(
  `  ${definitionChars} chars ≈ ${Math.round(definitionChars / 4)} tokens; without outputSchema ${withoutOutput} chars ≈ ${Math.round(withoutOutput / 4)} tokens`,
);
