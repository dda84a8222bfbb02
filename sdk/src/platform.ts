/**
 * What the runtime offers beyond the JavaScript language, looked up when needed instead of imported.
 *
 * The shared core (engine, cache, scopes, tokens, `governTool`) runs on Node and on edge runtimes
 * (Vercel Edge, Cloudflare Workers, Next.js middleware). A top-level `import "node:…"` would break an
 * edge bundle, and even a lazy `require("node:…")` is resolved by bundlers. `process.getBuiltinModule`
 * (Node ≥ 20.16, Cloudflare Workers with nodejs_compat) loads a builtin at run time without the
 * bundler seeing it; where it does not exist the callers degrade (Web Crypto instead of node:crypto,
 * no audit log file) or refuse clearly (scopes without AsyncLocalStorage).
 */
import type { AsyncLocalStorage } from "node:async_hooks";

interface ProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  stderr?: { write(text: string): unknown };
  nextTick?: (fn: (...args: unknown[]) => void, ...args: unknown[]) => void;
}

/** The `process` object when the runtime has one (Node; some edge runtimes provide a partial one). */
export function runtimeProcess(): ProcessLike | undefined {
  return typeof process === "undefined" ? undefined : (process as unknown as ProcessLike);
}

/** A Node builtin module, or `undefined` on runtimes that cannot load it. Never resolved by bundlers. */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const getBuiltinModule = runtimeProcess()?.getBuiltinModule;
  if (typeof getBuiltinModule !== "function") return undefined;
  try {
    return getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined; // a runtime that knows getBuiltinModule but not this module
  }
}

/** `process.env` when there is one, else an empty environment (configure the SDK explicitly then). */
export function runtimeEnv(): Record<string, string | undefined> {
  return runtimeProcess()?.env ?? {};
}

/** Writes a line to stderr, or to `console.error` on runtimes without a process stderr. */
export function writeStderr(text: string): void {
  const stderr = runtimeProcess()?.stderr;
  if (stderr !== undefined) stderr.write(text);
  else console.error(text.replace(/\n$/, ""));
}

/** Runs `fn(arg)` after the current operation, the way Node callbacks report errors. */
export function deferCall<A>(fn: (arg: A) => void, arg: A): void {
  const nextTick = runtimeProcess()?.nextTick;
  if (typeof nextTick === "function") nextTick(fn as (...args: unknown[]) => void, arg);
  else void Promise.resolve().then(() => fn(arg));
}

type StorageClass = typeof AsyncLocalStorage;

/**
 * The runtime's `AsyncLocalStorage` class: the global one (Vercel Edge, Next.js middleware) or
 * `node:async_hooks` (Node; Cloudflare Workers with the nodejs_compat or nodejs_als flag). `undefined`
 * when the runtime has neither: scopes cannot carry a decision across `await` there.
 */
export function asyncLocalStorageClass(): StorageClass | undefined {
  const global = (globalThis as { AsyncLocalStorage?: StorageClass }).AsyncLocalStorage;
  if (typeof global === "function") return global;
  return nodeBuiltin<typeof import("node:async_hooks")>("node:async_hooks")?.AsyncLocalStorage;
}
