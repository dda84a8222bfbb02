/**
 * Call-site wrapping (`govern`) for places runtime patching cannot reach (bundlers, edge runtimes,
 * clients enable() does not patch), and tool-handler wrapping (`governTool`).
 */
import childProcess from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { makeGoverned, type PrimitiveSpec } from "./governed";
import {
  fetchIntent,
  fileCommandIntent,
  fsIntent,
  httpIntent,
  httpRequestIntent,
  sqlIntent,
  truncate,
  type Derived,
} from "./intents";
import { patchTargets } from "./primitives";
import { runWithIntent } from "./scope";
import { GOVERNED, unwrap } from "./state";
import type { IntentEvent, PrimitiveKind, ToolIntentSpec } from "./types";

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const KINDS_HELP =
  'govern() understands fetch, http/https (module, request, get), child_process (module or a function), fs and fs/promises (module or a write function), axios instances, pg/mysql2 pools and clients (objects with query), and undici (pass kind "undici"). Pass the kind as the second argument: govern(target, "fetch" | "http" | "child_process" | "fs" | "undici" | "axios" | "sql").';

/** Known builtin functions (by identity of the original) and their governed specs. */
let builtinSpecs: Map<unknown, PrimitiveSpec> | undefined;

function knownBuiltins(): Map<unknown, PrimitiveSpec> {
  if (builtinSpecs === undefined) {
    builtinSpecs = new Map();
    for (const target of patchTargets(["fetch", "http", "child_process", "fs"])) {
      const original = unwrap(target.owner[target.key]);
      if (!builtinSpecs.has(original)) builtinSpecs.set(original, { ...target.spec, onlyWhileEnabled: false });
    }
  }
  return builtinSpecs;
}

const moduleKinds = new Map<unknown, PrimitiveKind>([
  [http, "http"],
  [https, "http"],
  [childProcess, "child_process"],
  [fs, "fs"],
  [fs.promises, "fs"],
]);

const cache = new WeakMap<object, Map<string, unknown>>();

function cached<T>(target: object, key: string, build: () => T): T {
  let perTarget = cache.get(target);
  if (perTarget === undefined) {
    perTarget = new Map();
    cache.set(target, perTarget);
  }
  if (!perTarget.has(key)) perTarget.set(key, build());
  return perTarget.get(key) as T;
}

function govSpec(
  kind: PrimitiveKind,
  name: string,
  mode: PrimitiveSpec["mode"],
  derive: (args: unknown[]) => Derived,
  scopeOriginal = false,
): PrimitiveSpec {
  return { kind, name, mode, derive, onlyWhileEnabled: false, scopeOriginal };
}

/** A proxy whose function properties listed in `specs` are governed; everything else passes through. */
function governObject<T extends object>(
  target: T,
  specFor: (key: string, value: unknown) => PrimitiveSpec | undefined,
  callable?: PrimitiveSpec,
): T {
  const governedProps = new Map<string, unknown>();
  const handler: ProxyHandler<T> = {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof key !== "string" || typeof value !== "function") return value;
      if (governedProps.has(key)) return governedProps.get(key);
      const spec = specFor(key, value);
      if (spec === undefined) return value;
      const inner = makeGoverned(unwrap(value) as AnyFunction, spec);
      // Call with the real object as `this`: clients with private fields break when `this` is a proxy.
      const bound = function (this: unknown, ...args: unknown[]): unknown {
        return inner.apply(this === proxy ? obj : this, args);
      };
      Object.defineProperty(bound, GOVERNED, { value: spec.kind });
      governedProps.set(key, bound);
      return bound;
    },
  };
  if (callable !== undefined) {
    const inner = makeGoverned(target as unknown as AnyFunction, callable);
    handler.apply = (_obj, thisArg, args) => inner.apply(thisArg, args);
  }
  const proxy = new Proxy(target, handler);
  return proxy;
}

function axiosUrl(
  instance: { defaults?: { baseURL?: string } },
  config: { url?: string; baseURL?: string } | undefined,
): URL {
  const base = config?.baseURL ?? instance.defaults?.baseURL;
  const url = config?.url ?? "";
  try {
    return base === undefined ? new URL(url) : new URL(url, base.endsWith("/") ? base : `${base}/`);
  } catch {
    return new URL("http://invalid.invalid/");
  }
}

const AXIOS_NO_DATA = new Set(["get", "delete", "head", "options"]);
const AXIOS_WITH_DATA = new Set(["post", "put", "patch", "postForm", "putForm", "patchForm"]);

function governAxios<T extends object>(instance: T): T {
  const ax = instance as unknown as { defaults?: { baseURL?: string; method?: string } };
  const fromConfig = (
    config: { url?: string; method?: string; baseURL?: string } | undefined,
    method?: string,
  ): Derived =>
    httpIntent(
      `axios.${method ?? config?.method ?? "request"}`.toLowerCase(),
      (method ?? config?.method ?? "get").replace(/Form$/, ""),
      axiosUrl(ax, config),
    );
  const callableSpec = govSpec(
    "axios",
    "axios",
    "promise",
    (args) =>
      typeof args[0] === "string"
        ? fromConfig({ ...(args[1] as object), url: args[0] })
        : fromConfig(args[0] as { url?: string }),
    true,
  );
  return governObject(
    instance,
    (key) => {
      if (key === "request")
        return govSpec("axios", "axios.request", "promise", (args) => fromConfig(args[0] as { url?: string }), true);
      if (AXIOS_NO_DATA.has(key))
        return govSpec(
          "axios",
          `axios.${key}`,
          "promise",
          (args) => fromConfig({ ...(args[1] as object), url: args[0] as string }, key),
          true,
        );
      if (AXIOS_WITH_DATA.has(key))
        return govSpec(
          "axios",
          `axios.${key}`,
          "promise",
          (args) => fromConfig({ ...(args[2] as object), url: args[0] as string }, key),
          true,
        );
      return undefined;
    },
    typeof instance === "function" ? callableSpec : undefined,
  );
}

function governSql<T extends object>(client: T): T {
  return governObject(client, (key) =>
    key === "query" || key === "execute"
      ? govSpec("sql", `sql.${key}`, "auto", (args) => sqlIntent(`sql.${key}`, args[0]), true)
      : undefined,
  );
}

function undiciIntent(args: unknown[]): Derived {
  const input = args[0] as string | URL | { origin?: string; path?: string } | undefined;
  const options = args[1] as { method?: string; path?: string } | undefined;
  let url: URL;
  try {
    if (typeof input === "string" || input instanceof URL) url = new URL(String(input));
    else url = new URL(input?.path ?? options?.path ?? "/", input?.origin ?? "http://invalid.invalid");
  } catch {
    url = new URL("http://invalid.invalid/");
  }
  return httpIntent("undici.request", options?.method ?? "GET", url);
}

function isAxiosLike(target: unknown): boolean {
  const t = target as { interceptors?: unknown; request?: unknown } | null;
  return (
    (typeof target === "function" || (typeof target === "object" && target !== null)) &&
    !!t?.interceptors &&
    typeof t?.request === "function"
  );
}

function isSqlLike(target: unknown): boolean {
  return typeof target === "object" && target !== null && typeof (target as { query?: unknown }).query === "function";
}

function governModule<T extends object>(mod: T): T {
  const builtins = knownBuiltins();
  return governObject(mod, (_key, value) => builtins.get(unwrap(value)));
}

function governFunctionOfKind(fn: AnyFunction, kind: PrimitiveKind): AnyFunction {
  const name = fn.name || kind;
  switch (kind) {
    case "fetch":
      return makeGoverned(
        fn,
        govSpec("fetch", name, "promise", (args) => fetchIntent(name, args)),
      );
    case "undici":
      return makeGoverned(
        fn,
        govSpec(
          "undici",
          `undici.${name}`,
          "promise",
          (args) => (name === "fetch" ? fetchIntent("undici.fetch", args) : undiciIntent(args)),
          true,
        ),
      );
    case "http":
      return makeGoverned(
        fn,
        govSpec("http", name, "sync", (args) => httpRequestIntent(name, "http:", args)),
      );
    case "child_process":
      return makeGoverned(
        fn,
        govSpec("child_process", name, "sync", (args) => fileCommandIntent(name, args)),
      );
    case "fs":
      return makeGoverned(
        fn,
        govSpec("fs", name, "auto", (args) => fsIntent(name, "writeFile", args)),
      );
    case "sql":
      return makeGoverned(
        fn,
        govSpec("sql", name, "auto", (args) => sqlIntent(name, args[0]), true),
      );
    case "axios":
      return governAxios(fn);
  }
}

/**
 * Call-site governance: returns `target` wrapped so each call is decided before it runs. Works
 * whether or not `enable()` was called (configuration is read from the environment lazily), and the
 * wrapper is cached per target, so calling `govern(x)` on every call is cheap.
 *
 * @param target `fetch`, `http` / `https` or their `request` / `get`, `child_process` or one of its
 *   functions, `fs` / `fs/promises` or one of their write functions, an axios instance, a pg / mysql2
 *   pool or client, or undici's `request` (with `kind: "undici"`).
 * @param kind Which kind of primitive `target` is, when it cannot be told from the target itself.
 * @throws TypeError when the kind cannot be told, naming the kinds that exist.
 * @example
 * import { govern } from "@governor/sdk";
 * await govern(fetch)("https://api.stripe.com/v1/charges", { method: "POST", body });
 * govern(cp).execSync("git status");
 * await govern(pool).query("SELECT * FROM users WHERE id = $1", [id]);
 */
export function govern<T>(target: T, kind?: PrimitiveKind): T {
  if (
    (typeof target !== "function" && (typeof target !== "object" || target === null)) ||
    (kind !== undefined && typeof kind !== "string")
  ) {
    throw new TypeError(`govern(): cannot govern ${target === null ? "null" : typeof target}. ${KINDS_HELP}`);
  }
  if ((target as unknown as Record<symbol, unknown>)[GOVERNED] !== undefined && unwrap(target) === target)
    return target;
  let real = unwrap(target) as unknown as object;
  // `import * as fs from "node:fs"` gives a module namespace whose `default` is the module itself.
  const namespaceDefault = typeof real === "object" ? (real as { default?: unknown }).default : undefined;
  if (namespaceDefault !== undefined && moduleKinds.has(namespaceDefault)) real = namespaceDefault as object;
  return cached(real, kind ?? "", () => {
    const builtin = knownBuiltins().get(real);
    if (builtin !== undefined) return makeGoverned(real as AnyFunction, builtin);
    const moduleKind = moduleKinds.get(real);
    if (moduleKind !== undefined) return governModule(real);
    if (kind === "axios" || (kind === undefined && isAxiosLike(real))) return governAxios(real);
    if (kind === "sql" || (kind === undefined && isSqlLike(real))) return governSql(real);
    if (kind === "undici" && typeof real === "object") {
      return governObject(real, (key, value) =>
        key === "request" || key === "fetch" ? specOfUndici(key, value as AnyFunction) : undefined,
      );
    }
    if (kind !== undefined && typeof real === "function") return governFunctionOfKind(real as AnyFunction, kind);
    if (kind !== undefined && typeof real === "object" && kind !== "fetch") {
      const builtins = knownBuiltins();
      return governObject(real, (_key, value) => builtins.get(unwrap(value)));
    }
    throw new TypeError(
      `govern(): cannot tell what kind of primitive this ${typeof real} is${kind ? ` (kind "${kind}" does not fit it)` : ""}. ${KINDS_HELP}`,
    );
  }) as T;
}

function specOfUndici(key: string, _value: AnyFunction): PrimitiveSpec {
  return govSpec(
    "undici",
    `undici.${key}`,
    "promise",
    (args) => (key === "fetch" ? fetchIntent("undici.fetch", args) : undiciIntent(args)),
    true,
  );
}

const MAX_ARGUMENT_CHARS = 4096;

/** The first argument as JSON-safe data, cut to about 4 KB so intents stay small. */
export function jsonSafeArgument(value: unknown): unknown {
  if (value === undefined) return undefined;
  const seen = new WeakSet<object>();
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "function" || typeof v === "symbol") return undefined;
      if (typeof v === "object" && v !== null) {
        if (seen.has(v)) return "[Circular]";
        seen.add(v);
      }
      return v;
    });
  } catch {
    return String(value);
  }
  if (text === undefined) return undefined;
  if (text.length <= MAX_ARGUMENT_CHARS) return JSON.parse(text) as unknown;
  return { truncated: true, preview: truncate(text, MAX_ARGUMENT_CHARS) };
}

/**
 * Wraps an agent tool's handler (`execute`) so each call runs inside `withIntent`, with the intent
 * built from `spec` plus the call's first argument. `this` and every argument are passed through
 * (LangChain calls `(input, runManager, config)`). The result always returns a Promise. Wrapping an
 * already-governed handler returns it unchanged.
 *
 * @example
 * const execute = governTool(
 *   { tool: "refund", action: "write", resource: { type: "external_api", name: "stripe" }, data: { pii: true } },
 *   async ({ chargeId }) => stripe.refunds.create({ charge: chargeId }),
 * );
 */
// The handler's parameters are inferred from `A` (not from a function type `F`), so an inline handler
// in `execute: governTool(spec, async ({ city }) => …)` is still contextually typed by the framework.
export function governTool<T, A extends unknown[], R>(
  spec: ToolIntentSpec,
  handler: (this: T, ...args: A) => R,
): (this: T, ...args: A) => Promise<Awaited<R>> {
  type Governed = (this: T, ...args: A) => Promise<Awaited<R>>;
  if (typeof handler !== "function") throw new TypeError("governTool: the handler must be a function.");
  if ((handler as unknown as Record<symbol, unknown>)[GOVERNED] === "tool") {
    return handler as unknown as Governed;
  }
  if (
    spec === null ||
    typeof spec !== "object" ||
    typeof spec.tool !== "string" ||
    typeof spec.action !== "string" ||
    typeof spec.resource?.type !== "string"
  ) {
    throw new TypeError("governTool: spec needs tool, action and resource.type strings.");
  }
  const governed = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const input = args[0];
    const resource = { ...spec.resource };
    if (spec.resourceNameFrom !== undefined && input !== null && typeof input === "object") {
      const name = (input as Record<string, unknown>)[spec.resourceNameFrom];
      if (typeof name === "string" && name !== "") resource.name = name;
    }
    const intent: IntentEvent = { action: spec.action, resource };
    if (spec.data !== undefined) intent.data = spec.data;
    if (spec.risk !== undefined) intent.risk = spec.risk;
    const argument = jsonSafeArgument(input);
    intent.context = argument === undefined ? { tool: spec.tool } : { tool: spec.tool, arguments: argument };
    return runWithIntent(intent, () => (handler as unknown as AnyFunction).apply(this, args), "tool");
  };
  Object.defineProperty(governed, "name", { value: handler.name, configurable: true });
  Object.defineProperty(governed, "length", { value: handler.length, configurable: true });
  Object.defineProperty(governed, GOVERNED, { value: "tool" });
  return governed as unknown as Governed;
}
