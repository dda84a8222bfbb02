/**
 * Side effects beyond the classic entry points, each governed with an intent of its own:
 *
 * - `FileHandle.prototype` (`chmod`, `chown`, `utimes`, `truncate`, `write`, `writev`, `writeFile`,
 *   `appendFile`, `createWriteStream`): a handle opened read-only can still change its file's mode,
 *   owner and times. Named by the path it was opened with (else `fd:<n>`).
 * - `process.report.writeReport` and the `reportOn*` switches, `v8.writeHeapSnapshot`,
 *   `v8.setHeapSnapshotNearHeapLimit`, `trace_events.createTracing`: they write files.
 * - `new WASI({ preopens })`: a WebAssembly module can write anywhere under each preopened directory
 *   (each one is decided as a write on that directory).
 * - `dns`: the resolve methods of `dns`, `dns.promises` and both `Resolver` classes (`read` on `dns`
 *   named by the name queried: a query carries data out to whichever server answers), and
 *   `setServers` (`write` on `dns` named `servers`: it chooses where queries go).
 * - The undici dispatcher behind `fetch` (`globalThis[Symbol.for("undici.globalDispatcher.1")]`) and
 *   every other undici dispatcher: a `dispatch` is decided like an HTTP request, unless it is the
 *   one a governed `fetch` or `WebSocket` just decided (see {@link allowDispatch}).
 * - The global `WebSocket` and `EventSource` constructors: decided like an HTTP request to their URL.
 *
 * The resource types `dns` and the `execute` on `wasi` are ones a policy may have no rule for: the
 * policy's default (deny, unless it allows) decides them.
 */
import dns from "node:dns";
import fs from "node:fs";
import { resolve as resolvePath } from "node:path";
import v8 from "node:v8";
import { currentConfig } from "./engine";
import { callGoverned, makeGoverned, primitiveSpec as spec, type PrimitiveSpec } from "./governed";
import { httpIntent, type Derived } from "./intents";
import { snapshotArgs, snapshotOptions, snapshotPath } from "./snapshot";
import { DNS_QUERIES } from "./coverage";
import { getState, ORIGINAL, type PatchRecord } from "./state";
import type { PrimitiveKind } from "./types";

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function fileWrite(primitive: string, path: string, extra: Record<string, unknown> = {}): Derived {
  return {
    intent: { action: "write", resource: { type: "filesystem", name: path }, context: { primitive, ...extra } },
    target: path,
  };
}

function pathOf(value: unknown, fallback: string): string {
  const frozen = snapshotPath(value);
  if (typeof frozen === "string" && frozen !== "") return resolvePath(frozen);
  if (Buffer.isBuffer(frozen)) return resolvePath(frozen.toString("utf8"));
  if (frozen instanceof URL && frozen.protocol === "file:") return decodeURIComponent(frozen.pathname);
  return fallback;
}

/** Replaces `owner[key]` with `replacement`, recording how to put it back. */
function replace(owner: object, key: string, replacement: unknown, records: PatchRecord[]): void {
  const target = owner as Record<string, unknown>;
  records.push({ target, key, original: target[key], replacement });
  target[key] = replacement;
}

function govern(owner: object, key: string, s: PrimitiveSpec, records: PatchRecord[]): void {
  const current = (owner as Record<string, unknown>)[key];
  if (typeof current !== "function") return;
  replace(owner, key, makeGoverned(current as AnyFunction, s), records);
}

// ---------------------------------------------------------------------------------------------
// FileHandle

const FILE_HANDLE_WRITES = [
  "appendFile",
  "chmod",
  "chown",
  "truncate",
  "utimes",
  "write",
  "writev",
  "writeFile",
  "createWriteStream",
] as const;
const handlePaths = new WeakMap<object, string>();
let fileHandlePrototype: object | undefined;

function patchFileHandlePrototype(handle: object, records: PatchRecord[]): void {
  const prototype = Object.getPrototypeOf(handle) as Record<string, unknown> | null;
  if (prototype === null || prototype === fileHandlePrototype) return;
  fileHandlePrototype = prototype;
  for (const key of FILE_HANDLE_WRITES) {
    const original = prototype[key];
    if (typeof original !== "function") continue;
    const name = `FileHandle.${key}`;
    const mode = key === "createWriteStream" ? "sync" : "promise";
    // The handle is `this`: the intent names the path it was opened with, else its fd.
    const handleWrite = (handle: object): Derived =>
      fileWrite(name, handlePaths.get(handle) ?? `fd:${String((handle as { fd?: unknown }).fd)}`);
    const replacement = function (this: object, ...args: unknown[]): unknown {
      return callGoverned(
        spec("fs", name, mode, () => handleWrite(this)),
        original as AnyFunction,
        this,
        args,
      );
    };
    Object.defineProperty(replacement, ORIGINAL, { value: original, configurable: true });
    Object.defineProperty(replacement, "name", { value: key, configurable: true });
    replace(prototype, key, replacement, records);
  }
  records.push({
    target: prototype,
    key: "\u0000FileHandle",
    original: undefined,
    replacement: undefined,
    undo: () => {
      fileHandlePrototype = undefined;
    },
  });
}

/** Wraps the (governed) `fs.promises.open` so every FileHandle it returns is governed and knows its path. */
function patchFileHandles(records: PatchRecord[]): void {
  const promises = fs.promises as unknown as Record<string, AnyFunction>;
  const open = promises.open;
  if (typeof open !== "function") return;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const result = open.apply(this, args) as Promise<object>;
    const path = pathOf(args[0], "");
    return result.then((handle) => {
      if (path !== "") handlePaths.set(handle, path);
      patchFileHandlePrototype(handle, getState().patches);
      return handle;
    });
  };
  Object.defineProperty(wrapped, ORIGINAL, { value: open, configurable: true });
  Object.defineProperty(wrapped, "name", { value: "open", configurable: true });
  replace(promises, "open", wrapped, records);
}

// ---------------------------------------------------------------------------------------------
// Files written by diagnostics

function reportDirectory(): string {
  const directory = (process.report as { directory?: string } | undefined)?.directory;
  return resolvePath(directory ? directory : process.cwd());
}

function patchDiagnostics(records: PatchRecord[]): void {
  const report = process.report as unknown as Record<string, unknown> | undefined;
  if (report !== undefined) {
    govern(
      report,
      "writeReport",
      spec(
        "fs",
        "process.report.writeReport",
        "sync",
        (args) => {
          const name = typeof args[0] === "string" && args[0] !== "" ? args[0] : undefined;
          return fileWrite(
            "process.report.writeReport",
            name === undefined ? `${reportDirectory()}/report.*.json` : resolvePath(reportDirectory(), name),
          );
        },
        (args) => snapshotArgs(args, { strings: [0] }),
      ),
      records,
    );
    // Switching a report trigger on makes Node write a report file later (on a signal, a crash).
    for (const key of ["reportOnSignal", "reportOnFatalError", "reportOnUncaughtException", "directory", "filename"]) {
      const descriptor = Object.getOwnPropertyDescriptor(report, key);
      if (descriptor?.set === undefined) continue;
      const setter = descriptor.set;
      const name = `process.report.${key}`;
      const governedSet = makeGoverned(
        function (this: unknown, value: unknown) {
          setter.call(this, value);
        } as AnyFunction,
        spec("fs", name, "sync", (args) =>
          fileWrite(
            name,
            key === "directory"
              ? `${resolvePath(String(args[0]))}/report.*.json`
              : key === "filename"
                ? resolvePath(reportDirectory(), String(args[0]))
                : `${reportDirectory()}/report.*.json`,
            { value: String(args[0]) },
          ),
        ),
      );
      Object.defineProperty(report, key, {
        ...descriptor,
        set(value: unknown) {
          // Turning a trigger off, or reading, is no side effect.
          if (key.startsWith("reportOn") && !value) setter.call(this, value);
          else governedSet.call(this, value);
        },
      });
      records.push({
        target: report,
        key: `\u0000${key}`,
        original: undefined,
        replacement: undefined,
        undo: () => Object.defineProperty(report, key, descriptor),
      });
    }
  }
  govern(
    v8,
    "writeHeapSnapshot",
    spec(
      "fs",
      "v8.writeHeapSnapshot",
      "sync",
      (args) => fileWrite("v8.writeHeapSnapshot", pathOf(args[0], `${process.cwd()}/Heap.*.heapsnapshot`)),
      (args) => snapshotArgs(args, { paths: [0] }),
    ),
    records,
  );
  govern(
    v8,
    "setHeapSnapshotNearHeapLimit",
    spec("fs", "v8.setHeapSnapshotNearHeapLimit", "sync", () =>
      fileWrite("v8.setHeapSnapshotNearHeapLimit", `${process.cwd()}/Heap.*.heapsnapshot`),
    ),
    records,
  );
  // Not available in worker threads (loading it there throws): nothing to govern then.
  let traceEvents: object | undefined;
  try {
    traceEvents = process.getBuiltinModule?.("node:trace_events") as object | undefined;
  } catch {
    traceEvents = undefined;
  }
  if (traceEvents === undefined) return;
  govern(
    traceEvents,
    "createTracing",
    spec("fs", "trace_events.createTracing", "sync", () =>
      fileWrite("trace_events.createTracing", `${process.cwd()}/node_trace.*.log`),
    ),
    records,
  );
}

// ---------------------------------------------------------------------------------------------
// WASI

/** A Proxy of a class whose construction is governed by `s`. */
function governedClass<T extends abstract new (...args: never[]) => unknown>(Original: T, s: PrimitiveSpec): T {
  const proxy: T = new Proxy(Original, {
    construct(target, args: unknown[], newTarget): object {
      const build = (...built: unknown[]): unknown =>
        Reflect.construct(target, built, newTarget === proxy ? target : newTarget);
      return callGoverned(s, build as AnyFunction, undefined, args) as object;
    },
    get(target, key, receiver) {
      if (key === ORIGINAL) return Original;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const prototype = (Original as unknown as { prototype?: { constructor?: unknown } }).prototype;
  if (prototype !== undefined) prototype.constructor = proxy;
  return proxy;
}

function patchWasi(records: PatchRecord[]): void {
  // node:wasi prints an ExperimentalWarning when first loaded: loaded quietly here.
  const emitWarning = process.emitWarning;
  let wasi: { WASI?: new (...args: never[]) => unknown } | undefined;
  process.emitWarning = (() => {}) as typeof process.emitWarning;
  try {
    wasi = process.getBuiltinModule?.("node:wasi") as typeof wasi;
  } finally {
    process.emitWarning = emitWarning;
  }
  if (wasi === undefined || typeof wasi.WASI !== "function") return;
  const Original = wasi.WASI;
  const s = spec(
    "fs",
    "wasi.WASI",
    "sync",
    (args) => {
      const preopens = (args[0] as { preopens?: Record<string, unknown> } | undefined)?.preopens ?? {};
      const dirs = Object.values(preopens).map((dir) => resolvePath(String(dir)));
      // Each preopened directory is a write root for the module: all are decided (the first is the resource).
      const derived = {
        intent: {
          action: "write",
          resource: { type: "filesystem", name: dirs[0] ?? "wasi:no-preopens" },
          context: { primitive: "wasi.WASI", preopens: dirs },
        },
        target: dirs[0] ?? "wasi:no-preopens",
      } as Derived;
      if (dirs.length > 1) derived.also = dirs.slice(1).map((dir) => fileWrite("wasi.WASI", dir));
      return derived;
    },
    (args) => {
      const copy = args.slice();
      const options = snapshotOptions(copy[0], ["preopens", "args", "env", "version", "returnOnExit"]) as
        Record<string, unknown> | undefined;
      if (options !== undefined && typeof options === "object" && options.preopens !== undefined)
        options.preopens = snapshotOptions(options.preopens);
      copy[0] = options;
      return copy;
    },
  );
  replace(wasi, "WASI", governedClass(Original, s), records);
}

// ---------------------------------------------------------------------------------------------
// DNS

function dnsQuery(primitive: string, args: unknown[]): Derived {
  const name = String(args[0]);
  return {
    intent: {
      action: "read",
      resource: { type: "dns", name },
      context: { primitive, rrtype: typeof args[1] === "string" ? args[1] : primitive.split(".").at(-1) },
    },
    target: name,
  };
}

function dnsServers(primitive: string, args: unknown[]): Derived {
  const servers = Array.isArray(args[0]) ? (args[0] as unknown[]).map(String) : [String(args[0])];
  return {
    intent: { action: "write", resource: { type: "dns", name: "servers" }, context: { primitive, servers } },
    target: servers.join(","),
  };
}

function patchDns(records: PatchRecord[]): void {
  const promises = dns.promises as unknown as Record<string, unknown>;
  const places: Array<[object, string, PrimitiveSpec["mode"]]> = [
    [dns, "dns", "callback"],
    [dns.Resolver.prototype, "dns.Resolver", "callback"],
    [promises, "dns.promises", "promise"],
    [dns.promises.Resolver.prototype, "dns.promises.Resolver", "promise"],
  ];
  const frozen = (args: unknown[]): unknown[] => snapshotArgs(args, { strings: [0], lists: [0] });
  for (const [owner, prefix, mode] of places) {
    for (const key of DNS_QUERIES) {
      const name = `${prefix}.${key}`;
      govern(
        owner,
        key,
        spec("http", name, mode, (args) => dnsQuery(name, args), frozen),
        records,
      );
    }
  }
  const base = Object.getPrototypeOf(dns.Resolver.prototype) as object;
  for (const [owner, name] of [
    [dns, "dns.setServers"],
    [promises, "dns.promises.setServers"],
    [base, "dns.Resolver.setServers"],
  ] as const) {
    govern(
      owner,
      "setServers",
      spec("http", name, "sync", (args) => dnsServers(name, args), frozen),
      records,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// undici dispatchers, WebSocket, EventSource

const DISPATCHER = Symbol.for("undici.globalDispatcher.1");
/** What a governed fetch / WebSocket just decided: `METHOD origin path` → until when its dispatches may run. */
const tickets = new Map<string, number>();
const TICKET_MS = 30_000;

function ticketKey(method: string, url: URL): string {
  return `${method.toUpperCase()} ${url.origin}${url.pathname}`;
}

/**
 * Lets undici dispatch exactly the request a governed `fetch` (or `WebSocket`) decided: same method,
 * origin and path, for a short while (its own dispatches, redirects re-issued by the SDK and a
 * pool's queued re-dispatches). Anything else reaching a dispatcher is decided on its own.
 */
export function allowDispatch(method: string, href: string): void {
  let where = ticketWhere.get(href);
  if (where === undefined) {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return;
    }
    if (url.protocol === "ws:") url.protocol = "http:";
    else if (url.protocol === "wss:") url.protocol = "https:";
    where = `${url.origin}${url.pathname}`;
    if (ticketWhere.size >= 1000) ticketWhere.clear();
    ticketWhere.set(href, where);
  }
  const now = Date.now();
  if (tickets.size > 1000) {
    for (const [key, until] of tickets) if (until < now) tickets.delete(key);
    if (tickets.size > 10_000) tickets.clear(); // then those requests are decided at dispatch, as any other
  }
  tickets.set(`${method.toUpperCase()} ${where}`, now + TICKET_MS);
}

/** `origin + path` of a URL, by its text: the hot path (one governed fetch after another) parses once. */
const ticketWhere = new Map<string, string>();

let dispatchPatched = false;

function dispatchUrl(options: { origin?: unknown; path?: unknown }): URL {
  try {
    return new URL(String(options.path ?? "/"), String(options.origin));
  } catch {
    return new URL("http://invalid.invalid/");
  }
}

/** Governs `dispatch` on the prototype every undici dispatcher shares, once undici is loaded. */
export function governDispatchers(): void {
  if (dispatchPatched) return;
  const dispatcher = (globalThis as Record<symbol, unknown>)[DISPATCHER] as object | undefined;
  if (dispatcher === undefined) return;
  let owner: object | null = dispatcher;
  while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, "dispatch"))
    owner = Object.getPrototypeOf(owner) as object | null;
  if (owner === null) return;
  dispatchPatched = true;
  const original = (owner as Record<string, AnyFunction>).dispatch!;
  const s: PrimitiveSpec = {
    ...spec(
      "fetch",
      "undici.dispatch",
      "sync",
      (args) => {
        const options = args[0] as { method?: unknown; origin?: unknown; path?: unknown };
        return httpIntent("undici.dispatch", String(options.method ?? "GET"), dispatchUrl(options));
      },
      (args) => {
        const copy = args.slice();
        copy[0] = snapshotOptions(args[0], ["origin", "path", "method", "body", "headers", "upgrade"]);
        return copy;
      },
    ),
    // A dispatcher hands the request on to the next one (agent → pool → client) synchronously.
    reentries: ["undici.dispatch"],
    ungoverned: (args) => {
      const options = args[0] as { origin?: unknown; path?: unknown; method?: unknown } | undefined;
      if (options === null || typeof options !== "object") return false;
      const method = String(options.method ?? "GET").toUpperCase();
      // undici's own dispatches carry the origin and path as strings: look the ticket up without parsing.
      if (typeof options.origin === "string" && typeof options.path === "string") {
        const quick = tickets.get(`${method} ${options.origin}${options.path.split("?")[0]}`);
        if (quick !== undefined && quick > Date.now()) return true;
      }
      const url = dispatchUrl(options);
      const until = tickets.get(ticketKey(method, url));
      if (until !== undefined && until > Date.now()) return true;
      // The policy service itself: the SDK's own request to the enforce endpoint (the one call never
      // governed) is made with the original fetch, and so are the testing helpers' calls to the mock.
      const enforce = getState().config?.enforceUrl ?? currentConfig().enforceUrl;
      return enforce !== undefined && url.origin === new URL(enforce).origin;
    },
  };
  const replacement = makeGoverned(original, s);
  (owner as Record<string, unknown>).dispatch = replacement;
  getState().patches.push({
    target: owner as Record<string, unknown>,
    key: "dispatch",
    original,
    replacement,
    undo: () => {
      dispatchPatched = false;
    },
  });
}

/** Globals whose first read loads undici (and so creates the global dispatcher). */
const UNDICI_GLOBALS = ["FormData", "Headers", "Request", "Response", "MessageEvent", "WebSocket", "EventSource"];

function patchUndiciGlobals(records: PatchRecord[]): void {
  for (const key of UNDICI_GLOBALS) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, key);
    if (descriptor === undefined) continue;
    if (descriptor.get !== undefined) {
      const getter = descriptor.get;
      Object.defineProperty(globalThis, key, {
        ...descriptor,
        get(this: unknown) {
          const value = getter.call(this) as unknown;
          governDispatchers();
          return key === "WebSocket" || key === "EventSource" ? governedSocket(key, value) : value;
        },
      });
      records.push({
        target: globalThis as unknown as Record<string, unknown>,
        key: `\u0000${key}`,
        original: undefined,
        replacement: undefined,
        undo: () => {
          const now = Object.getOwnPropertyDescriptor(globalThis, key);
          // Still our accessor (never read): put Node's back. Read already: Node replaced it with the value.
          if (now?.get !== undefined) Object.defineProperty(globalThis, key, descriptor);
          else if (key === "WebSocket" || key === "EventSource") unwrapSocket(key);
        },
      });
    } else if (key === "WebSocket" || key === "EventSource") {
      replace(globalThis, key, governedSocket(key, descriptor.value), records);
    }
  }
  governDispatchers();
}

const socketClasses = new Map<string, { original: unknown; governed: unknown }>();

function unwrapSocket(key: string): void {
  const known = socketClasses.get(key);
  const holder = globalThis as unknown as Record<string, unknown>;
  if (known !== undefined && holder[key] === known.governed) holder[key] = known.original;
  socketClasses.delete(key);
}

function governedSocket(key: string, value: unknown): unknown {
  if (typeof value !== "function") return value;
  const known = socketClasses.get(key);
  if (known !== undefined && (known.original === value || known.governed === value)) return known.governed;
  const name = key;
  const s = spec(
    "fetch",
    name,
    "sync",
    (args) => {
      let url: URL;
      try {
        url = new URL(String(args[0]));
      } catch {
        url = new URL("http://invalid.invalid/");
      }
      // A WebSocket sends data both ways; an EventSource only asks (GET).
      const derived = httpIntent(name, key === "WebSocket" ? "POST" : "GET", url);
      derived.intent.context!.method = "GET";
      allowDispatch("GET", url.href);
      return derived;
    },
    (args) => snapshotArgs(args, { strings: [0] }),
  );
  const governed = governedClass(value as new (...args: never[]) => unknown, s);
  socketClasses.set(key, { original: value, governed });
  return governed;
}

/** Installs every patch above for the kinds enabled; records go into `records`. */
export function installSurfaces(kinds: readonly PrimitiveKind[], records: PatchRecord[]): void {
  if (kinds.includes("fs")) {
    patchFileHandles(records);
    patchDiagnostics(records);
    patchWasi(records);
  }
  if (kinds.includes("http")) patchDns(records);
  if (kinds.includes("fetch")) patchUndiciGlobals(records);
}
