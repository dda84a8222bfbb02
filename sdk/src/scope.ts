/**
 * Explicit intent scopes (`withIntent`), actor scopes (`withActor`) and `decide`.
 */
import { decideAsync, judge } from "./engine";
import { GovernorError } from "./errors";
import { currentStore, getState, openScope, runInStore, scopeStorage } from "./state";
import type { Actor, AuditEvent, DecisionResult, IntentEvent } from "./types";

function checkIntent(intent: IntentEvent, caller: string): void {
  if (intent === null || typeof intent !== "object" || typeof intent.action !== "string" || intent.action === "") {
    throw new TypeError(`${caller}: intent.action must be a non-empty string, for example "read" or "write".`);
  }
  if (
    intent.resource === null ||
    typeof intent.resource !== "object" ||
    typeof intent.resource.type !== "string" ||
    intent.resource.type === ""
  ) {
    throw new TypeError(`${caller}: intent.resource.type must be a non-empty string, for example "database".`);
  }
  const unresolved = [intent.action, intent.resource.type, intent.resource.name].find(
    (value) => typeof value === "string" && value.includes(UNRESOLVED_MARKER),
  );
  if (unresolved !== undefined) {
    // A placeholder the codemod left for a person to fill in is not an intent: the policy service
    // would decide something other than what runs, so nothing is asked and nothing runs.
    throw new GovernorError("GOVERNOR_UNRESOLVED_INTENT", `${caller}: the intent is unfinished: "${unresolved}"`, {
      hint: "Replace each TODO(governor) placeholder with the real action and resource (`npx governor-init check` lists them).",
    });
  }
}

/** The marker governor-init writes where it could not infer part of an intent. */
const UNRESOLVED_MARKER = "TODO(governor)";

/**
 * Runs `fn` under `intent`: one decision on entry. On `DENY` throws `GovernorDeniedError` and `fn`
 * never runs; when no decision can be had, throws `GovernorUnavailableError` (fail closed) or, with
 * `GOVERNOR_FAIL_MODE=open`, runs `fn` with a loud warning. Side effects inside run under this
 * decision without new requests while it is fresh; nested scopes are each decided.
 */
export async function runWithIntent<T>(
  intent: IntentEvent,
  fn: () => T | Promise<T>,
  source: AuditEvent["source"] = "scope",
): Promise<T> {
  checkIntent(intent, "withIntent");
  if (typeof fn !== "function") throw new TypeError("withIntent: the second argument must be a function.");
  scopeStorage(source === "tool" ? "governTool" : "withIntent");
  const verdict = judge(await decideAsync(intent), { source });
  if (!verdict.run) throw verdict.error;
  // The decision covers what runs while `fn` runs, not what `fn` leaves behind (timers, listeners).
  try {
    return await runInStore({ ...currentStore(), scope: verdict.scope }, fn);
  } finally {
    verdict.scope.closed = true;
  }
}

/** Runs `fn` with `actor` as the default actor of every intent inside (request middleware). Returns what `fn` returns. */
export function runWithActor<T>(actor: Actor, fn: () => T): T {
  if (actor === null || typeof actor !== "object" || typeof actor.id !== "string" || actor.id === "") {
    throw new TypeError("withActor: actor.id must be a non-empty string.");
  }
  scopeStorage("withActor");
  return runInStore({ ...currentStore(), actor }, fn);
}

/**
 * Asks for a decision without running anything. Returns the result for `ALLOW`, `DENY` (or `BYPASS`);
 * throws `GovernorUnavailableError` when no decision can be had. An ALLOW is cached like any other.
 */
export async function decideIntent(intent: IntentEvent): Promise<DecisionResult> {
  checkIntent(intent, "decide");
  const outcome = await decideAsync(intent);
  if (outcome.kind === "unavailable") throw outcome.error;
  return outcome.result;
}

/** The intent of the innermost allowed scope, if any. */
export function scopeIntent(): IntentEvent | undefined {
  return openScope(currentStore())?.intent;
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

/** The members of the `governor` object every runtime has: scopes, decisions, the audit trail. */
export const governorScopes = {
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
