/**
 * What the SDK governs and what it does not, as data: the start-up self-test checks the first list
 * against the live functions, and the docs' threat model prints both (a test keeps page and data equal).
 */
import { FS_WRITE_OPERATIONS } from "./protocol";
import { ORIGINAL } from "./state";
import type { PrimitiveKind } from "./types";

/** One API the SDK governs after `enable()`, by the dotted path it is reached at. */
export interface GovernedApi {
  api: string;
  kind: PrimitiveKind;
}

/** The query methods of `dns`, `dns.promises` and their `Resolver`s: each sends a query to a server. */
export const DNS_QUERIES = [
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCaa",
  "resolveCname",
  "resolveMx",
  "resolveNaptr",
  "resolveNs",
  "resolvePtr",
  "resolveSoa",
  "resolveSrv",
  "resolveTxt",
  "reverse",
];

/** Every API `enable()` governs, per kind (FileHandle methods, WebSocket and EventSource are patched when first reached). */
export function governedApis(): GovernedApi[] {
  const out: GovernedApi[] = [{ api: "fetch", kind: "fetch" }];
  for (const mod of ["http", "https"])
    for (const fn of ["request", "get"]) out.push({ api: `${mod}.${fn}`, kind: "http" });
  for (const fn of ["exec", "execSync", "execFile", "execFileSync", "spawn", "spawnSync", "fork"])
    out.push({ api: `child_process.${fn}`, kind: "child_process" });
  for (const op of FS_WRITE_OPERATIONS) {
    // fs.promises has no fd forms (fchmod, …): the self-test checks what exists in this Node version.
    out.push(
      { api: `fs.${op}`, kind: "fs" },
      { api: `fs.${op}Sync`, kind: "fs" },
      { api: `fs.promises.${op}`, kind: "fs" },
    );
  }
  out.push({ api: "fs.createWriteStream", kind: "fs" });
  out.push(
    { api: "process.report.writeReport", kind: "fs" },
    { api: "v8.writeHeapSnapshot", kind: "fs" },
    { api: "v8.setHeapSnapshotNearHeapLimit", kind: "fs" },
    { api: "trace_events.createTracing", kind: "fs" },
    { api: "wasi.WASI", kind: "fs" },
  );
  for (const place of ["dns", "dns.Resolver.prototype", "dns.promises", "dns.promises.Resolver.prototype"])
    for (const fn of DNS_QUERIES) out.push({ api: `${place}.${fn}`, kind: "http" });
  out.push(
    { api: "dns.setServers", kind: "http" },
    { api: "dns.promises.setServers", kind: "http" },
    { api: "dns.Resolver.prototype.setServers", kind: "http" },
  );
  out.push({ api: "worker_threads.Worker", kind: "fs" });
  return out;
}

/** APIs that are patched when first reached rather than at `enable()`. */
export const LAZILY_GOVERNED = [
  "FileHandle.prototype.{appendFile,chmod,chown,truncate,utimes,write,writev,writeFile,createWriteStream} (on the first fs.promises.open)",
  "undici dispatch (every dispatcher; on the first fetch or the first read of Request/Response/Headers/FormData/WebSocket)",
  "WebSocket, EventSource (globals; on first read)",
] as const;

/** One API the SDK does not govern, why, and which layer covers it. */
export interface UngovernedApi {
  api: string;
  /** Node versions where it exists or matters. */
  node: string;
  why: string;
  layer: string;
}

/** The APIs the SDK does not govern: the exact list the threat model documents. */
export const UNGOVERNED_APIS: readonly UngovernedApi[] = [
  { api: "net.connect", node: "all", why: "raw TCP socket", layer: "network policy; the MCP proxy" },
  { api: "net.createConnection", node: "all", why: "raw TCP socket", layer: "network policy" },
  { api: "net.Socket", node: "all", why: "raw TCP socket", layer: "network policy" },
  { api: "tls.connect", node: "all", why: "raw TLS socket", layer: "network policy" },
  { api: "dgram.createSocket", node: "all", why: "raw UDP socket", layer: "network policy" },
  { api: "http2.connect", node: "all", why: "HTTP/2 session", layer: "network policy; govern(client)" },
  { api: "http.ClientRequest", node: "all", why: "request class constructed directly", layer: "network policy" },
  {
    api: "http.Agent.prototype.createConnection",
    node: "all",
    why: "a custom agent connects where it likes",
    layer: "network policy",
  },
  {
    api: "dns.lookup",
    node: "all",
    why: "system resolver; every connection uses it",
    layer: "network policy (DNS egress)",
  },
  { api: "dns.lookupService", node: "all", why: "system resolver", layer: "network policy (DNS egress)" },
  {
    api: "child_process.ChildProcess",
    node: "all",
    why: "process class started directly (.spawn)",
    layer: "strict mode; containers",
  },
  { api: "process.kill", node: "all", why: "signals to other processes", layer: "containers (PID namespace)" },
  {
    api: "process.dlopen",
    node: "all",
    why: "native addons do anything",
    layer: "strict mode (addons refused); containers",
  },
  {
    api: "process.binding",
    node: "all",
    why: "Node's internal bindings (raw fs, raw sockets)",
    layer: "strict mode; containers",
  },
  { api: "inspector.open", node: "all", why: "opens a debugger port", layer: "network policy; containers" },
  { api: "inspector.Session", node: "all", why: "runs code through the debugger protocol", layer: "containers" },
  {
    api: "module.register",
    node: "≥ 20.6",
    why: "loader hooks run in their own thread",
    layer: "strict mode (workers refused)",
  },
  {
    api: "governor.disable",
    node: "all",
    why: "code that can call it can turn governance off",
    layer: "the MCP proxy; strict mode",
  },
  {
    api: 'Symbol.for("@governor/sdk.original")',
    node: "all",
    why: "the original function behind every patch",
    layer: "strict mode; containers",
  },
  {
    api: 'Symbol.for("@governor/sdk")',
    node: "all",
    why: "the SDK's state, holding the original fetch",
    layer: "strict mode; containers",
  },
  {
    api: "fs.read*, fs.stat*, fs.watch",
    node: "all",
    why: "reads are not side effects",
    layer: "containers (read-only mounts)",
  },
  {
    api: "references taken before enable()",
    node: "all",
    why: 'const { writeFileSync } = require("fs") before enable() keeps the original',
    layer: "the preload",
  },
  {
    api: "the npm undici package",
    node: "all",
    why: "its own dispatcher classes",
    layer: "govern(undici); network policy",
  },
  {
    api: "WebSocket (global)",
    node: "20 behind --experimental-websocket; on from 22",
    why: "governed when read as a global; a reference from the npm undici package is not",
    layer: "network policy",
  },
  {
    api: "EventSource (global)",
    node: "20.18+/22 behind --experimental-eventsource",
    why: "as WebSocket",
    layer: "network policy",
  },
  {
    api: "process.permission (strict mode off)",
    node: "20 experimental; 22 --permission",
    why: "without strict mode nothing below the patches",
    layer: "strict mode",
  },
];

/** The roots a dotted API path starts from (look them up once for many paths). */
export function apiRoots(): Record<string, unknown> {
  const builtin = (id: string): unknown => {
    try {
      return process.getBuiltinModule?.(`node:${id}`);
    } catch {
      return undefined; // trace_events in a worker thread
    }
  };
  return {
    fetch: globalThis,
    http: builtin("http"),
    https: builtin("https"),
    child_process: builtin("child_process"),
    fs: builtin("fs"),
    process,
    v8: builtin("v8"),
    trace_events: builtin("trace_events"),
    wasi: waSi(),
    dns: builtin("dns"),
    worker_threads: builtin("worker_threads"),
  };
}

/** The live value at a dotted path (`fs.promises.writeFile`), or undefined. */
export function lookupApi(api: string, roots: Record<string, unknown> = apiRoots()): unknown {
  const parts = api.split(".");
  const head = parts[0]!;
  const start = roots[head];
  if (head === "fetch") return (globalThis as { fetch?: unknown }).fetch;
  let value: unknown = start;
  for (const part of parts.slice(1)) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function waSi(): unknown {
  const emit = process.emitWarning;
  process.emitWarning = (() => {}) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule?.("node:wasi");
  } finally {
    process.emitWarning = emit;
  }
}

/** Whether a live function is one of the SDK's governed replacements. */
export function isGoverned(value: unknown): boolean {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined;
}
