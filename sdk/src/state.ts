/**
 * Process-wide state, kept on `globalThis[Symbol.for("@governor/sdk")]` so that a second copy of the
 * SDK loaded in the same process (two versions in node_modules, a bundled copy) shares the patches,
 * the scopes and the cache instead of patching twice.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import type { ResolvedConfig } from "./config";
import { GovernorError } from "./errors";
import { asyncLocalStorageClass, nodeBuiltin, writeStderr } from "./platform";
import type { Actor, AuditEvent, IntentEvent } from "./types";

/** The decision an allowed scope runs under. Mutated in place when an expired decision is re-asked. */
export interface ScopeDecision {
  intent: IntentEvent;
  /** The intent's stable JSON (its cache key). */
  key: string;
  source: AuditEvent["source"];
  requestId: string | undefined;
  /** Until when primitives inside may reuse it (ms since the epoch). */
  expiresAt: number;
  /** Set when the scope runs without an ALLOW (fail-open, dev bypass): primitives re-ask every time. */
  decision: "ALLOW" | "ERROR" | "BYPASS";
  /**
   * Set once the function the scope was opened for has settled. AsyncLocalStorage still hands the
   * scope to timers, emitters and sockets created inside it; a closed scope counts as no scope there.
   */
  closed?: boolean;
}

/** What AsyncLocalStorage carries. */
export interface ScopeStore {
  actor?: Actor;
  scope?: ScopeDecision;
}

/** A cached ALLOW. */
export interface CacheEntry {
  expiresAt: number;
  requestId: string | undefined;
  reason: string | undefined;
}

/** One patched property: where it lives, the original and our replacement. */
export interface PatchRecord {
  target: Record<string, unknown>;
  key: string;
  original: unknown;
  replacement: unknown;
  /** Anything else to put back when the patch is removed. */
  undo?: () => void;
}

/** The shared state. Fields are only ever added, so older copies keep working with newer ones. */
export interface GovernorState {
  version: 1;
  enabled: boolean;
  /** Config set by `enable()`; when undefined, resolved lazily from the environment. */
  config: ResolvedConfig | undefined;
  patches: PatchRecord[];
  /** Created on the first scope (see {@link runInStore}); until then there is no scope anywhere. */
  als: AsyncLocalStorage<ScopeStore> | undefined;
  cache: Map<string, CacheEntry>;
  listeners: Set<(event: AuditEvent) => void>;
  /** > 0 while a governed primitive's original runs synchronously. */
  passthrough: number;
  /** The spec of the governed original running synchronously now: only its own internal calls pass through. */
  running?: unknown;
  /** The real functions, captured before anyone patched them. */
  originals: {
    fetch: typeof fetch;
    /** Undefined on runtimes without a file system (edge): there is no audit log file there. */
    appendFileSync: typeof import("node:fs").appendFileSync | undefined;
    stderrWrite: (text: string) => void;
  };
  lastBypassWarning: number;
  /**
   * Derived intents by a cheap call key (primitive + method + URL, say), for calls outside any scope:
   * repeated calls skip deriving, finalizing and serializing. Valid for `memoConfig` only.
   */
  memo: Map<string, unknown>;
  memoConfig: unknown;
  syncClient: unknown;
  /** Request ids of signed ALLOWs already accepted, until their token expires (a replay is refused). */
  usedRequestIds?: Map<string, number>;
  /** How long the register preload's start-up self-test took in this process (ms). */
  selfTestMs?: number;
}

const KEY = Symbol.for("@governor/sdk");

/** Marks our replacement functions; its value is the original. */
export const ORIGINAL = Symbol.for("@governor/sdk.original");
/** Marks functions returned by `governTool` / `govern`. */
export const GOVERNED = Symbol.for("@governor/sdk.governed");

function createState(): GovernorState {
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  return {
    version: 1,
    enabled: false,
    config: undefined,
    patches: [],
    als: undefined,
    cache: new Map(),
    listeners: new Set(),
    passthrough: 0,
    originals: {
      fetch: unwrap(globalThis.fetch),
      appendFileSync: fs === undefined ? undefined : unwrap(fs.appendFileSync),
      // process.stderr is created on first access (costly at start-up): only when there is a warning.
      stderrWrite: writeStderr,
    },
    lastBypassWarning: 0,
    memo: new Map(),
    memoConfig: undefined,
    syncClient: undefined,
  };
}

/** Our replacement's original, or the function itself. */
export function unwrap<T>(fn: T): T {
  let current: unknown = fn;
  while (typeof current === "function" && (current as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined) {
    current = (current as unknown as Record<symbol, unknown>)[ORIGINAL];
  }
  return current as T;
}

/** The process-wide state (created on first use). */
export function getState(): GovernorState {
  const holder = globalThis as unknown as Record<symbol, GovernorState | undefined>;
  let state = holder[KEY];
  if (state === undefined) {
    state = createState();
    Object.defineProperty(globalThis, KEY, { value: state, enumerable: false, configurable: true, writable: false });
  }
  // A state created by an older copy of the SDK may lack fields added since.
  state.memo ??= new Map();
  return state;
}

/** The innermost scope store, if any scope was ever entered. */
export function currentStore(): ScopeStore | undefined {
  return getState().als?.getStore();
}

/**
 * The scope storage, created on first use. Throws (before anything is decided or run) on a runtime
 * without AsyncLocalStorage: a scope that cannot reach the code inside it must not pretend to.
 */
export function scopeStorage(caller: string): AsyncLocalStorage<ScopeStore> {
  const state = getState();
  if (state.als === undefined) {
    const Storage = asyncLocalStorageClass();
    if (Storage === undefined) {
      throw new GovernorError(
        "GOVERNOR_NO_ASYNC_CONTEXT",
        `${caller} needs AsyncLocalStorage, which this runtime does not provide: nothing was decided or run.`,
        {
          hint: "On Cloudflare Workers enable the nodejs_compat (or nodejs_als) compatibility flag; Vercel Edge and Node provide it. govern(fetch) works without it.",
        },
      );
    }
    state.als = new Storage<ScopeStore>();
  }
  return state.als;
}

/** The store's scope while the function it was opened for still runs; undefined once it settled. */
export function openScope(store: ScopeStore | undefined): ScopeDecision | undefined {
  const scope = store?.scope;
  return scope === undefined || scope.closed === true ? undefined : scope;
}

/**
 * Runs `fn` under `store.scope`, then closes the scope when `fn` returns, throws, or (when it returns
 * a Promise) when that settles: callbacks that outlive `fn` decide for themselves.
 */
export function runScoped<T>(store: ScopeStore, fn: () => T): T {
  const scope = store.scope;
  let result: T;
  try {
    result = runInStore(store, fn);
  } catch (error) {
    if (scope !== undefined) scope.closed = true;
    throw error;
  }
  if (scope === undefined) return result;
  // Only a real Promise is observed: calling `then` on other thenables (query builders) can start them.
  if (result instanceof Promise) {
    const close = (): void => {
      scope.closed = true;
    };
    // Observe settlement without changing what the caller gets (or creating an unhandled rejection).
    result.then(close, close);
  } else {
    scope.closed = true;
  }
  return result;
}

/** Runs `fn` with `store` as the scope store. */
export function runInStore<T>(store: ScopeStore, fn: () => T): T {
  return scopeStorage("A Governor scope").run(store, fn);
}
