/**
 * Call-site wrapping (`govern`) on any runtime: the global `fetch`, fetch-like functions, axios,
 * pg / mysql2 clients and undici. The Node entry adds Node's builtins (http, child_process, fs)
 * through a {@link GovernPlatform}; the edge entry has none.
 */
import { makeGoverned, type PrimitiveSpec } from "./governed";
import { makeGovernedCall, makeGovernedFetch } from "./redirects";
import { fetchIntent, httpIntent, sqlIntent, type Derived } from "./intents";
import { GOVERNED, unwrap } from "./state";
import type { PrimitiveKind } from "./types";

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** What a runtime adds to `govern()`: the builtins it recognises by identity. */
export interface GovernPlatform {
  /** The governed spec of a known builtin function (the unwrapped original), if it is one. */
  builtinSpec(real: unknown): PrimitiveSpec | undefined;
  /** Whether `real` is a builtin module object (`fs`, `http`, …) whose functions `builtinSpec` knows. */
  isModule(real: unknown): boolean;
  /** The spec for a function of a kind only this runtime has (`http`, `child_process`, `fs`), if it has it. */
  kindSpec(fn: AnyFunction, name: string, kind: PrimitiveKind): PrimitiveSpec | undefined;
  /** What `govern()` understands here, for error messages. */
  help: string;
}

/** `fetch("https://…", { method })`: the method and URL string identify the derived intent. */
export function fetchFastKey(args: unknown[]): string | undefined {
  const input = args[0];
  const init = args[1] as { method?: unknown } | undefined | null;
  if (typeof input !== "string") return undefined;
  if (init === undefined || init === null) return `GET ${input}`;
  if (typeof init !== "object") return undefined;
  const method = init.method;
  if (method === undefined) return `GET ${input}`;
  return typeof method === "string" ? `${method} ${input}` : undefined;
}

/** How the global `fetch` is governed: patched by `enable()` (only while enabled) or wrapped by `govern()`. */
export function globalFetchSpec(onlyWhileEnabled: boolean): PrimitiveSpec {
  return {
    kind: "fetch",
    name: "fetch",
    mode: "promise",
    derive: (args) => fetchIntent("fetch", args),
    onlyWhileEnabled,
    fastKey: fetchFastKey,
  };
}

/** A spec for `govern()`: never steps aside after `disable()`. */
export function govSpec(
  kind: PrimitiveKind,
  name: string,
  mode: PrimitiveSpec["mode"],
  derive: (args: unknown[]) => Derived,
  scopeOriginal = false,
): PrimitiveSpec {
  return { kind, name, mode, derive, onlyWhileEnabled: false, scopeOriginal };
}

/** A proxy whose function properties `specFor` knows are governed; everything else passes through. */
export function governObject<T extends object>(
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
      const inner = makeGovernedCall(unwrap(value) as AnyFunction, spec);
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

function specOfUndici(key: string): PrimitiveSpec {
  return govSpec(
    "undici",
    `undici.${key}`,
    "promise",
    (args) => (key === "fetch" ? fetchIntent("undici.fetch", args) : undiciIntent(args)),
    true,
  );
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

function governFunctionOfKind(fn: AnyFunction, kind: PrimitiveKind, platform: GovernPlatform): AnyFunction {
  const name = fn.name || kind;
  switch (kind) {
    case "fetch":
      return makeGovernedFetch(
        fn,
        govSpec("fetch", name, "promise", (args) => fetchIntent(name, args)),
      );
    case "undici":
      return makeGoverned(fn, specOfUndici(name));
    case "sql":
      return makeGoverned(
        fn,
        govSpec("sql", name, "auto", (args) => sqlIntent(name, args[0]), true),
      );
    case "axios":
      return governAxios(fn);
    default: {
      const spec = platform.kindSpec(fn, name, kind);
      if (spec === undefined) {
        throw new TypeError(`govern(): kind "${kind}" does not exist on this runtime. ${platform.help}`);
      }
      return makeGoverned(fn, spec);
    }
  }
}

/**
 * Builds a `govern()` for a runtime: returns `target` wrapped so each call is decided before it runs,
 * with the wrapper cached per target and kind.
 */
export function createGovern(platform: GovernPlatform): <T>(target: T, kind?: PrimitiveKind) => T {
  const cache = new WeakMap<object, Map<string, unknown>>();
  const cached = <T>(target: object, key: string, build: () => T): T => {
    let perTarget = cache.get(target);
    if (perTarget === undefined) {
      perTarget = new Map();
      cache.set(target, perTarget);
    }
    if (!perTarget.has(key)) perTarget.set(key, build());
    return perTarget.get(key) as T;
  };
  const governBuiltins = <T extends object>(mod: T): T =>
    governObject(mod, (_key, value) => platform.builtinSpec(unwrap(value)));

  return function govern<T>(target: T, kind?: PrimitiveKind): T {
    if (
      (typeof target !== "function" && (typeof target !== "object" || target === null)) ||
      (kind !== undefined && typeof kind !== "string")
    ) {
      throw new TypeError(`govern(): cannot govern ${target === null ? "null" : typeof target}. ${platform.help}`);
    }
    if ((target as unknown as Record<symbol, unknown>)[GOVERNED] !== undefined && unwrap(target) === target)
      return target;
    let real = unwrap(target) as unknown as object;
    // `import * as fs from "node:fs"` gives a module namespace whose `default` is the module itself.
    const namespaceDefault = typeof real === "object" ? (real as { default?: unknown }).default : undefined;
    if (namespaceDefault !== undefined && platform.isModule(namespaceDefault)) real = namespaceDefault as object;
    return cached(real, kind ?? "", () => {
      const builtin = platform.builtinSpec(real);
      if (builtin !== undefined) return makeGovernedCall(real as AnyFunction, builtin);
      if (platform.isModule(real)) return governBuiltins(real);
      if (kind === "axios" || (kind === undefined && isAxiosLike(real))) return governAxios(real);
      if (kind === "sql" || (kind === undefined && isSqlLike(real))) return governSql(real);
      if (kind === "undici" && typeof real === "object") {
        return governObject(real, (key) => (key === "request" || key === "fetch" ? specOfUndici(key) : undefined));
      }
      if (kind !== undefined && typeof real === "function")
        return governFunctionOfKind(real as AnyFunction, kind, platform);
      if (kind !== undefined && typeof real === "object" && kind !== "fetch") return governBuiltins(real);
      throw new TypeError(
        `govern(): cannot tell what kind of primitive this ${typeof real} is${kind ? ` (kind "${kind}" does not fit it)` : ""}. ${platform.help}`,
      );
    }) as T;
  };
}
