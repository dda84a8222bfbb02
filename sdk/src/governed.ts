/**
 * Wraps one primitive (a patched builtin or a `govern()` target) so every call is decided first.
 * Three calling conventions: `sync` (must return at once: decided on the blocking path),
 * `promise` and `callback` (decided on the async path).
 */
import { promisify } from "node:util";
import {
  currentConfig,
  decideAsync,
  decideSync,
  judge,
  scopeIsFresh,
  auditUnderScope,
  refreshScope,
  type AttemptMeta,
  type Verdict,
} from "./engine";
import type { Derived } from "./intents";
import { getState, ORIGINAL, GOVERNED, type ScopeDecision, type ScopeStore } from "./state";
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
  /** Run the original inside a scope carrying the decision, so primitives it reaches later (axios → http) are not decided twice. */
  scopeOriginal?: boolean;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function runOriginal(original: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  const state = getState();
  state.passthrough++;
  try {
    return original.apply(thisArg, args);
  } finally {
    state.passthrough--;
  }
}

function isExempt(spec: PrimitiveSpec, target: string): boolean {
  const rules = currentConfig().exempt;
  if (rules.length === 0) return false;
  return rules.some((rule) => (rule.kind === undefined || rule.kind === spec.kind) && rule.pattern.test(target));
}

function withScope(store: ScopeStore | undefined, scope: ScopeDecision, run: () => unknown): unknown {
  return getState().als.run({ ...store, scope }, run);
}

/** What to do about one call, when it can be settled without asking (pass through, exempt, fresh scope). */
function settleFast(
  spec: PrimitiveSpec,
  args: unknown[],
): { derived?: Derived; store?: ScopeStore; scope?: ScopeDecision; run: boolean } {
  const state = getState();
  if (state.passthrough > 0 || (spec.onlyWhileEnabled && !state.enabled)) return { run: true };
  const derived = spec.derive(args);
  if (isExempt(spec, derived.target)) return { run: true };
  const store = state.als.getStore();
  const scope = store?.scope;
  const meta: AttemptMeta = { source: "primitive", primitive: spec.name, target: derived.target };
  if (scope !== undefined && scopeIsFresh(scope)) {
    auditUnderScope(scope, meta);
    return { run: true };
  }
  const result: { derived: Derived; store?: ScopeStore; scope?: ScopeDecision; run: boolean } = { derived, run: false };
  if (store !== undefined) result.store = store;
  if (scope !== undefined) result.scope = scope;
  return result;
}

function afterVerdict(verdict: Verdict, scope: ScopeDecision | undefined): void {
  if (verdict.run && scope !== undefined) refreshScope(scope, verdict.scope);
}

/** Calls `original` governed, in the calling convention of `spec.mode`. */
export function callGoverned(spec: PrimitiveSpec, original: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  const fast = settleFast(spec, args);
  if (fast.run) return runOriginal(original, thisArg, args);
  const derived = fast.derived!;
  const meta: AttemptMeta = { source: "primitive", primitive: spec.name, target: derived.target };
  // Inside a scope whose decision expired, the scope's own intent is re-asked.
  const intent = fast.scope?.intent ?? derived.intent;
  const run = (verdict: Extract<Verdict, { run: true }>): unknown =>
    spec.scopeOriginal && fast.scope === undefined
      ? withScope(fast.store, verdict.scope, () => runOriginal(original, thisArg, args))
      : runOriginal(original, thisArg, args);

  const callback = args.at(-1);
  const mode = spec.mode === "auto" ? (typeof callback === "function" ? "callback" : "promise") : spec.mode;
  if (mode === "sync" || (mode === "callback" && typeof callback !== "function")) {
    const verdict = judge(decideSync(intent), meta);
    afterVerdict(verdict, fast.scope);
    if (!verdict.run) throw verdict.error;
    return run(verdict);
  }
  if (mode === "promise") {
    return decideAsync(intent).then((outcome) => {
      const verdict = judge(outcome, meta);
      afterVerdict(verdict, fast.scope);
      if (!verdict.run) throw verdict.error;
      return run(verdict);
    });
  }
  const done = callback as (error: unknown) => void;
  decideAsync(intent).then(
    (outcome) => {
      const verdict = judge(outcome, meta);
      afterVerdict(verdict, fast.scope);
      if (!verdict.run) {
        process.nextTick(done, verdict.error);
        return;
      }
      try {
        run(verdict);
      } catch (error) {
        process.nextTick(done, error);
      }
    },
    (error: unknown) => process.nextTick(done, error),
  );
  return undefined;
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
  const custom = (original as unknown as Record<symbol, unknown>)[promisify.custom];
  if (typeof custom === "function") {
    const customSpec: PrimitiveSpec = { ...spec, mode: "promise" };
    const governedCustom = function (this: unknown, ...args: unknown[]): unknown {
      return callGoverned(customSpec, custom as AnyFunction, this, args);
    };
    Object.defineProperty(governedCustom, ORIGINAL, { value: custom, configurable: true });
    Object.defineProperty(governed, promisify.custom, { value: governedCustom, configurable: true });
  }
  return governed as unknown as T;
}
