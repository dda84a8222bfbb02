/**
 * Wraps one primitive (a patched builtin or a `govern()` target) so every call is decided first.
 * Three calling conventions: `sync` (must return at once: decided on the blocking path),
 * `promise` and `callback` (decided on the async path).
 */
import {
  beginDecision,
  currentConfig,
  finishAsync,
  finishSync,
  finalize,
  judge,
  scopeIsFresh,
  auditUnderScope,
  refreshScope,
  type AttemptMeta,
  type FinalIntent,
  type Outcome,
  type Pending,
  type Verdict,
} from "./engine";
import type { Derived } from "./intents";
import { deferCall } from "./platform";
import {
  currentStore,
  getState,
  GOVERNED,
  openScope,
  ORIGINAL,
  runScoped,
  type ScopeDecision,
  type ScopeStore,
} from "./state";
import type { PrimitiveKind } from "./types";

/** How a wrapped function returns. `callback`: last argument (sync when absent); `auto`: callback when the last argument is a function, else promise. */
export type CallMode = "sync" | "promise" | "callback" | "auto";

/** Everything needed to govern one function. */
export interface PrimitiveSpec {
  kind: PrimitiveKind;
  /** For the audit trail: `fetch`, `child_process.exec`, `fs.writeFile`, … */
  name: string;
  mode: CallMode;
  derive: (args: unknown[]) => Derived;
  /** Patched builtins step aside once `disable()` ran (a stale reference someone kept); `govern()` wrappers never do. */
  onlyWhileEnabled: boolean;
  /**
   * A cheap string that identifies the derived intent (for fetch: method and URL string), or
   * undefined when the arguments are unusual. Lets repeated calls skip deriving the intent.
   */
  fastKey?: (args: unknown[]) => string | undefined;
  /**
   * The governed primitives (by `name`) this original itself calls synchronously (`exec` →
   * `execFile`, `appendFileSync` → `writeFileSync`): those pass through under its decision. Any other
   * governed call made while it runs (user code it calls back: a `cpSync` filter, an `http.Agent`'s
   * `createConnection`) is decided on its own.
   */
  reentries?: readonly string[];
  /** Calls that are no side effect at all (a read-only `fs.open`): they run ungoverned. */
  ungoverned?: (args: unknown[]) => boolean;
  /**
   * Copies the arguments once (see `./snapshot`): the intent is derived from the copy and the
   * original is called with the same copy, so nothing can change between the decision and the call.
   */
  snapshot?: (args: unknown[]) => unknown[];
  /** Called with the (snapshot) arguments just before the original runs, once it may run. */
  beforeRun?: (args: unknown[]) => void;
  /** Called just after the original returned (or threw). */
  afterRun?: () => void;
  /** Run the original inside a scope carrying the decision, so primitives it reaches later (axios → http) are not decided twice. */
  scopeOriginal?: boolean;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** `util.promisify.custom`, by its registered name: the same symbol, without importing node:util. */
const PROMISIFY_CUSTOM = Symbol.for("nodejs.util.promisify.custom");

function runOriginal(spec: PrimitiveSpec, original: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  const state = getState();
  const outer = state.running;
  spec.beforeRun?.(args);
  state.passthrough++;
  state.running = spec;
  try {
    return original.apply(thisArg, args);
  } finally {
    state.passthrough--;
    state.running = outer;
    spec.afterRun?.();
  }
}

/** Whether a call made while another governed original runs is one that original makes itself. */
function isOwnReentry(spec: PrimitiveSpec): boolean {
  const running = getState().running as PrimitiveSpec | undefined;
  // An older SDK copy sharing the state counts `passthrough` without naming what runs: trust it as before.
  if (running === undefined) return true;
  return running.reentries !== undefined && running.reentries.includes(spec.name);
}

function isExempt(spec: PrimitiveSpec, target: string): boolean {
  const rules = currentConfig().exempt;
  if (rules.length === 0) return false;
  return rules.some((rule) => (rule.kind === undefined || rule.kind === spec.kind) && rule.pattern.test(target));
}

function withScope(store: ScopeStore | undefined, scope: ScopeDecision, run: () => unknown): unknown {
  // Closed when the original returns (or its promise settles): a lazily opened socket's later callbacks must not inherit it.
  return runScoped({ ...store, scope }, run);
}

interface Derivation {
  derived: Derived;
  final?: FinalIntent;
  exempt: boolean;
}

const MAX_MEMO_ENTRIES = 1000;

/** The call's derived intent, from the memo when the call has a fast key and no scope is active. */
function derivation(spec: PrimitiveSpec, args: unknown[], store: ScopeStore | undefined): Derivation {
  const fastKey = store === undefined && spec.fastKey !== undefined ? spec.fastKey(args) : undefined;
  if (fastKey === undefined) {
    const derived = spec.derive(args);
    return { derived, exempt: isExempt(spec, derived.target) };
  }
  const state = getState();
  const config = currentConfig();
  if (state.memoConfig !== config) {
    state.memo.clear();
    state.memoConfig = config;
  }
  const memoKey = `${spec.name}\u0000${fastKey}`;
  let hit = state.memo.get(memoKey) as Derivation | undefined;
  if (hit === undefined) {
    const derived = spec.derive(args);
    hit = { derived, final: finalize(derived.intent, config), exempt: isExempt(spec, derived.target) };
    if (state.memo.size >= MAX_MEMO_ENTRIES) state.memo.clear();
    state.memo.set(memoKey, hit);
  }
  return hit;
}

/** What to do about one call, when it can be settled without asking (pass through, exempt, fresh scope). */
function settleFast(
  spec: PrimitiveSpec,
  args: unknown[],
): { derivation?: Derivation; store?: ScopeStore; scope?: ScopeDecision; run: boolean } {
  const state = getState();
  if (spec.onlyWhileEnabled && !state.enabled) return { run: true };
  if (state.passthrough > 0 && isOwnReentry(spec)) return { run: true };
  if (spec.ungoverned !== undefined && spec.ungoverned(args)) return { run: true };
  const store = currentStore();
  const found = derivation(spec, args, store);
  if (found.exempt) return { run: true };
  // A scope whose function already settled is no scope: the call derives its own intent.
  const scope = openScope(store);
  if (scope !== undefined && scopeIsFresh(scope)) {
    auditUnderScope(scope, { source: "primitive", primitive: spec.name, target: found.derived.target });
    return { run: true };
  }
  const result: { derivation: Derivation; store?: ScopeStore; scope?: ScopeDecision; run: boolean } = {
    derivation: found,
    run: false,
  };
  if (store !== undefined) result.store = store;
  if (scope !== undefined) result.scope = scope;
  return result;
}

function afterVerdict(verdict: Verdict, scope: ScopeDecision | undefined): void {
  if (verdict.run && scope !== undefined) refreshScope(scope, verdict.scope);
}

/** A governed primitive's spec, active only while governance is enabled. */
export function primitiveSpec(
  kind: PrimitiveKind,
  name: string,
  mode: PrimitiveSpec["mode"],
  derive: PrimitiveSpec["derive"],
  snapshot?: PrimitiveSpec["snapshot"],
): PrimitiveSpec {
  const s: PrimitiveSpec = { kind, name, mode, derive, onlyWhileEnabled: true };
  if (snapshot !== undefined) s.snapshot = snapshot;
  return s;
}

/** Calls `original` governed, in the calling convention of `spec.mode`. */
export function callGoverned(
  spec: PrimitiveSpec,
  original: AnyFunction,
  thisArg: unknown,
  givenArgs: unknown[],
): unknown {
  const args = spec.snapshot === undefined ? givenArgs : spec.snapshot(givenArgs);
  const fast = settleFast(spec, args);
  if (fast.run) return runOriginal(spec, original, thisArg, args);
  const { derived, final } = fast.derivation!;
  const meta: AttemptMeta = { source: "primitive", primitive: spec.name, target: derived.target };
  // Inside a scope whose decision expired, the scope's own intent is re-asked.
  const intent = fast.scope?.intent ?? derived.intent;
  const run = (verdict: Extract<Verdict, { run: true }>): unknown =>
    spec.scopeOriginal && fast.scope === undefined
      ? withScope(fast.store, verdict.scope, () => runOriginal(spec, original, thisArg, args))
      : runOriginal(spec, original, thisArg, args);

  const callback = args.at(-1);
  const mode = spec.mode === "auto" ? (typeof callback === "function" ? "callback" : "promise") : spec.mode;
  const syncMode = mode === "sync" || (mode === "callback" && typeof callback !== "function");
  const done = callback as (error: unknown) => void;
  // Errors reach the caller the way the original would report them.
  const fail = (error: unknown): unknown => {
    if (syncMode) throw error;
    if (mode === "promise") return Promise.reject(error);
    deferCall(done, error);
    return undefined;
  };
  const runVerdict = (verdict: Extract<Verdict, { run: true }>): unknown => {
    if (syncMode) return run(verdict);
    try {
      return run(verdict);
    } catch (error) {
      return fail(error);
    }
  };
  // A call with more than one effect (rename: the source removed, the destination written) needs
  // an ALLOW for each: decided one after the other, the call's own intent first.
  const extras = fast.scope === undefined ? (derived.also ?? []) : [];
  const settleExtras = (verdict: Extract<Verdict, { run: true }>, index: number): unknown => {
    if (index >= extras.length) return runVerdict(verdict);
    const extra = extras[index]!;
    const next = (outcome: Outcome): unknown => {
      const extraVerdict = judge(outcome, { source: "primitive", primitive: spec.name, target: extra.target });
      if (!extraVerdict.run) return fail(extraVerdict.error);
      return settleExtras(verdict, index + 1);
    };
    let extraPending: Pending;
    try {
      extraPending = beginDecision(extra.intent);
    } catch (error) {
      return fail(error);
    }
    if ("now" in extraPending) return next(extraPending.now);
    if (syncMode) return next(finishSync(extraPending.later));
    const asked = finishAsync(extraPending.later).then(next, fail);
    return mode === "promise" ? asked : undefined;
  };
  const settle = (outcome: Outcome): unknown => {
    const verdict = judge(outcome, meta);
    afterVerdict(verdict, fast.scope);
    if (!verdict.run) return fail(verdict.error);
    return extras.length > 0 ? settleExtras(verdict, 0) : runVerdict(verdict);
  };

  let pending: Pending;
  try {
    pending = fast.scope === undefined ? beginDecision(intent, final) : beginDecision(intent);
  } catch (error) {
    return fail(error); // invalid configuration
  }
  if ("now" in pending) return settle(pending.now); // cache hit: no promise, no extra tick
  if (syncMode) return settle(finishSync(pending.later));
  const asked = finishAsync(pending.later).then(settle, fail);
  return mode === "promise" ? asked : undefined;
}

/**
 * A governed replacement for `original`, marked with its original (so `govern()` and a second SDK
 * copy can unwrap it) and carrying a governed `util.promisify.custom` when the original has one.
 */
export function makeGoverned<T extends (...args: never[]) => unknown>(original: T, spec: PrimitiveSpec): T {
  const fn = original as unknown as AnyFunction;
  const governed = function (this: unknown, ...args: unknown[]): unknown {
    return callGoverned(spec, fn, this, args);
  };
  Object.defineProperty(governed, "name", { value: original.name, configurable: true });
  Object.defineProperty(governed, "length", { value: original.length, configurable: true });
  Object.defineProperty(governed, ORIGINAL, { value: original, configurable: true });
  Object.defineProperty(governed, GOVERNED, { value: spec.kind, configurable: true });
  const custom = (original as unknown as Record<symbol, unknown>)[PROMISIFY_CUSTOM];
  if (typeof custom === "function") {
    const customSpec: PrimitiveSpec = { ...spec, mode: "promise" };
    const governedCustom = function (this: unknown, ...args: unknown[]): unknown {
      return callGoverned(customSpec, custom as AnyFunction, this, args);
    };
    Object.defineProperty(governedCustom, ORIGINAL, { value: custom, configurable: true });
    Object.defineProperty(governed, PROMISIFY_CUSTOM, { value: governedCustom, configurable: true });
  }
  return governed as unknown as T;
}
