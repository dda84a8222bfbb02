/**
 * `@governor/sdk`: ask the policy service before every side effect, and obey.
 *
 * Anything exported here is public API: the codemods, the docs and customer code rely on these names.
 */
import { resolveConfig } from "./config";
import { warn, warnBypass } from "./engine";
import { installPatches, removePatches } from "./primitives";
import { decideIntent, runWithActor, runWithIntent, scopeIntent } from "./scope";
import { getState } from "./state";
import { stopSyncClient } from "./transport";
import type { Actor, AuditEvent, DecisionResult, GovernorOptions, IntentEvent } from "./types";

export * from "./types";
export { GovernorError, GovernorDeniedError, GovernorUnavailableError } from "./errors";
export { govern, governTool } from "./govern";

/**
 * Turns governance on: patches global `fetch`, `node:http` / `node:https` `request` and `get`,
 * `child_process` (`exec`, `execFile`, `spawn`, `fork` and the sync forms) and `fs` / `fs/promises`
 * writes, so each call is decided by the policy service before it runs. Options fall back to the
 * `GOVERNOR_*` environment variables. Idempotent: a second call (from this or another copy of the
 * SDK) changes nothing. `GOVERNOR_ENABLED=0` makes it a no-op.
 *
 * @throws GovernorError (code `GOVERNOR_CONFIG`) naming the variable when a value is invalid.
 * @example
 * import { governor } from "@governor/sdk";
 * governor.enable(); // GOVERNOR_ENFORCE_URL=http://127.0.0.1:4000 in the environment
 */
export function enable(options?: GovernorOptions): void {
  const state = getState();
  if (state.enabled) return;
  const { config, warnings } = resolveConfig(options);
  for (const message of warnings) warn(message);
  if (!config.enabled) return;
  state.config = config;
  if (config.devBypass) warnBypass(true);
  else if (config.enforceUrl === undefined) {
    warn("GOVERNOR_ENFORCE_URL is not set: every governed side effect will be denied (fail closed) until it is.");
  }
  installPatches(config.primitives);
  state.enabled = true;
}

/**
 * Turns governance off: puts back the exact original functions (ESM named imports included), stops
 * the decision worker and clears the decision cache. Scopes and `govern()` wrappers keep working,
 * reading configuration from the environment.
 */
export function disable(): void {
  const state = getState();
  if (!state.enabled) return;
  removePatches();
  state.enabled = false;
  state.config = undefined;
  state.cache.clear();
  stopSyncClient();
}

/**
 * Runs `fn` under an explicit intent: one decision on entry (an AsyncLocalStorage scope). On `DENY`
 * throws `GovernorDeniedError` and `fn` never runs. Side effects inside run under this decision
 * without new requests while it is fresh (re-asked once it expires). Nested scopes are each decided.
 *
 * @example
 * await withIntent(
 *   { action: "write", resource: { type: "database", name: "orders" }, data: { pii: true } },
 *   () => db.insert(order),
 * );
 */
export function withIntent<T>(intent: IntentEvent, fn: () => T | Promise<T>): Promise<T> {
  return runWithIntent(intent, fn);
}

/**
 * Runs `fn` with `actor` as the default actor of every intent inside, for example per HTTP request
 * in middleware. Returns what `fn` returns.
 *
 * @example
 * app.use((req, _res, next) => withActor({ id: req.user.id, type: "user" }, next));
 */
export function withActor<T>(actor: Actor, fn: () => T): T {
  return runWithActor(actor, fn);
}

/**
 * The Governor SDK's entry point.
 *
 * @example
 * import { governor } from "@governor/sdk";
 * governor.enable();
 * await governor.withIntent({ action: "delete", resource: { type: "filesystem", name: "/data" } }, cleanup);
 */
export const governor = {
  /** See {@link enable}. */
  enable,
  /** See {@link disable}. */
  disable,
  /** Whether `enable()` has patched the primitives (in this process, by any copy of the SDK). */
  isEnabled(): boolean {
    return getState().enabled;
  },
  /** See {@link withIntent}. */
  withIntent,
  /** See {@link withActor}. */
  withActor,
  /**
   * Asks the policy service about `intent` without running anything (cached ALLOWs are reused).
   * Returns the decision; throws `GovernorUnavailableError` when none can be had.
   */
  decide(intent: IntentEvent): Promise<DecisionResult> {
    return decideIntent(intent);
  },
  /**
   * Subscribes to the audit trail: `listener` receives every attempt (scopes, tools, primitives),
   * its decision and whether it executed. Returns a function that unsubscribes.
   */
  onAudit(listener: (event: AuditEvent) => void): () => void {
    if (typeof listener !== "function") throw new TypeError("onAudit: the listener must be a function.");
    const listeners = getState().listeners;
    // A wrapper per subscription, so subscribing the same function twice gives two independent subscriptions.
    const entry = (event: AuditEvent): void => listener(event);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  },
  /** The intent of the innermost allowed `withIntent` scope, or `undefined` outside any. */
  currentIntent(): IntentEvent | undefined {
    return scopeIntent();
  },
};
