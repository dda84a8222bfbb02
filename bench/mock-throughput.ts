/**
 * Enforce mock throughput: decisions per second and p99 latency on loopback.
 *
 *   npm run build && npx tsx bench/mock-throughput.ts        (BENCH_DURATION=10 BENCH_CONNECTIONS=10)
 *
 * The mock runs from the built engine (`dist/enforce-mock`, what `governor-init mock --quiet` starts)
 * in its own process; autocannon drives it from this process. The peer, run the same way in the same run, is a bare
 * `node:http` server answering a fixed decision of the same size: the floor any Node server on
 * this machine pays, so the ratio shows what canonicalization and policy cost on top.
 * Goals: >= 10,000 decisions/s and p99 <= 5 ms.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = fileURLToPath(new URL("..", import.meta.url));
const engine = `${root}dist/enforce-mock/index.js`;
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const CONTRACT_EVENT = {
  action: "query",
  actor: { id: "user-123", type: "user" },
  resource: { type: "postgres_db", name: "users" },
  data: { sensitivity: ["confidential"], pii: false, volume: "single" },
  risk: { authn: "required" },
  layer: "L4",
};

// Varied traffic: synonyms, a typo, an external API host, a denied delete.
const MIXED_EVENTS = [
  CONTRACT_EVENT,
  { action: "raed", actor: { id: "svc-1", type: "service" }, resource: { type: "databse", name: "orders" } },
  { action: "post", actor: { id: "agent-7", type: "agent" }, resource: { type: "http", name: "api.stripe.com" } },
  { action: "drop", actor: { id: "agent-7", type: "ai" }, resource: { type: "table", name: "users" } },
  { action: "write", resource: { type: "file", name: "/tmp/out/report.csv" }, context: { tool: "export" } },
];

const BARE_SERVER = `
const http = require("node:http");
const body = ${JSON.stringify(
  JSON.stringify({
    decision: "ALLOW",
    enforcement_latency_ms: 0.05,
    metadata: {
      request_id: "00000000-0000-4000-8000-000000000000",
      canonicalization_trace: [
        { field: "action", raw_input: "query", prediction: { canonical: "read", confidence: 0.95, source: "synonym" } },
        {
          field: "resource_type",
          raw_input: "postgres_db",
          prediction: { canonical: "database", confidence: 0.95, source: "synonym" },
        },
      ],
      reason: "No rule matched",
      matched_rule: null,
      policy: "allow-all",
    },
  }),
)};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

interface Started {
  child: ChildProcess;
  url: string;
}

function startProcess(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url) resolve({ child, url });
      else reject(new Error(`unexpected first line: ${line}`));
    });
    child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
}

/** `node -e` source that starts the built mock with `options` and prints its URL, like the CLI. */
function mockProcess(options: Record<string, unknown>): string[] {
  const source = `
    const { startMockServer } = await import(${JSON.stringify(engine)});
    const server = await startMockServer(${JSON.stringify({ port: 0, ...options })});
    console.log("governor-init mock listening on " + server.url);
    process.on("SIGTERM", () => server.close().then(() => process.exit(0)));`;
  return ["--input-type=module", "-e", source];
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
}

interface Figures {
  name: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(name: string, url: string, events: unknown[]): Promise<Figures> {
  const requests = events.map((event) => ({
    method: "POST" as const,
    path: "/api/v2/enforce",
    body: JSON.stringify(event),
  }));
  const options = {
    url,
    connections,
    pipelining: 1,
    headers: { "content-type": "application/json", authorization: "Bearer bench" },
    requests,
  };
  // A short warm-up so the JIT and the canonicalization cache are hot before measuring.
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration });
  return {
    name,
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

async function main(): Promise<void> {
  if (!existsSync(engine)) throw new Error("dist/enforce-mock is missing: run `npm run build` first");
  const cpuModel =
    /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  console.log(
    `machine: ${cpus().length} CPUs (${cpuModel}), node ${process.version}; ${connections} connections, ${duration} s per run\n`,
  );

  const figures: Figures[] = [];
  const bare = await startProcess(["-e", BARE_SERVER]);
  figures.push(await load("peer: bare node:http, fixed answer", bare.url, [CONTRACT_EVENT]));
  await stop(bare);

  const allowAll = await startProcess(mockProcess({ policy: "allow-all" }));
  figures.push(await load("mock: allow-all, contract event", allowAll.url, [CONTRACT_EVENT]));
  await stop(allowAll);

  const example = await startProcess(
    mockProcess({ policy: `${root}enforce-mock/policies/example.yaml`, tokenSecret: "bench" }),
  );
  figures.push(await load("mock: example policy + tokens, 5 mixed events", example.url, MIXED_EVENTS));
  await stop(example);

  const floor = figures[0]!.requestsPerSec;
  console.log("| run | decisions/s | p50 ms | p99 ms | non-2xx | errors | vs peer |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const f of figures) {
    console.log(
      `| ${f.name} | ${f.requestsPerSec} | ${f.p50} | ${f.p99} | ${f.non2xx} | ${f.errors} | ${(f.requestsPerSec / floor).toFixed(2)}x |`,
    );
  }
  const mockRuns = figures.slice(1);
  const worst = {
    rps: Math.min(...mockRuns.map((f) => f.requestsPerSec)),
    p99: Math.max(...mockRuns.map((f) => f.p99)),
  };
  console.log(`\ngoal >= 10000 decisions/s: ${worst.rps >= 10_000 ? "met" : "NOT met"} (worst ${worst.rps}/s)`);
  console.log(`goal p99 <= 5 ms: ${worst.p99 <= 5 ? "met" : "NOT met"} (worst ${worst.p99} ms)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
