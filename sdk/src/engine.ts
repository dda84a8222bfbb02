/**
 * The decision engine: builds the final intent, consults the cache, asks the policy service,
 * verifies tokens, applies the fail mode and the dev bypass, and emits audit events.
 */
import { resolveConfig, type ResolvedConfig } from "./config";
import { describeIntent, GovernorDeniedError, GovernorError, GovernorUnavailableError } from "./errors";
import {
  intentHash,
  intentHashAsync,
  stableStringify,
  verifyDecisionToken,
  verifyDecisionTokenAsync,
  type TokenVerdict,
} from "./protocol";
import { currentStore, getState, type ScopeDecision } from "./state";
import { sendAsync, type TransportRequest, type TransportResult } from "./transport";
import type { AuditEvent, DecisionResult, EnforceResponse, IntentEvent } from "./types";

const MAX_CACHE_ENTRIES = 10_000;
const BYPASS_WARNING_INTERVAL_MS = 30_000;

/** The configuration in force: what `enable()` set, else resolved from the environment now. */
export function currentConfig(): ResolvedConfig {
  const state = getState();
  if (state.config === undefined) {
    const { config, warnings } = resolveConfig();
    for (const warning of warnings) warn(warning);
    state.config = config;
  }
  return state.config;
}

/** A loud line on the real stderr. */
export function warn(message: string): void {
  getState().originals.stderrWrite(`[governor] WARNING: ${message}\n`);
}

/** Prints the dev-bypass banner, at most every 30 s. */
export function warnBypass(force = false): void {
  const state = getState();
  const now = Date.now();
  if (!force && now - state.lastBypassWarning < BYPASS_WARNING_INTERVAL_MS) return;
  state.lastBypassWarning = now;
  warn(
    "GOVERNOR_DEV_BYPASS is on: every side effect is ALLOWED without asking the policy service. " +
      "Local development only; never set it in production.",
  );
}

/** Fills in the configured defaults: actor (scope's, else configured), layer, tenant. */
export function finalizeIntent(intent: IntentEvent, config: ResolvedConfig): IntentEvent & { tenantId?: string } {
  const actor = intent.actor ?? currentStore()?.actor ?? config.actor;
  const final: IntentEvent & { tenantId?: string } = { ...intent, layer: intent.layer ?? config.layer };
  if (actor !== undefined) final.actor = actor;
  if (config.tenantId !== undefined && (intent as { tenantId?: string }).tenantId === undefined)
    final.tenantId = config.tenantId;
  return final;
}

/** Emits an audit event to listeners and the audit log. A failing listener never breaks the caller. */
export function emitAudit(event: AuditEvent): void {
  const state = getState();
  for (const listener of state.listeners) {
    try {
      listener(event);
    } catch {
      // Audit listeners are observers; their bugs must not change what runs.
    }
  }
  const file = state.config?.auditLog;
  if (file !== undefined && state.originals.appendFileSync === undefined) {
    // Said once: the setting is dropped rather than failing on every event.
    warn(`GOVERNOR_AUDIT_LOG ${file} is ignored: this runtime has no file system.`);
    state.config!.auditLog = undefined;
  } else if (file !== undefined) {
    // The original appendFileSync calls the (patched) fs.writeFileSync inside: pass that through.
    state.passthrough++;
    try {
      state.originals.appendFileSync!(file, `${JSON.stringify(event)}\n`);
    } catch (error) {
      warn(`could not append to GOVERNOR_AUDIT_LOG ${file}: ${(error as Error).message}`);
    } finally {
      state.passthrough--;
    }
  }
}

/** A decision, or the reason none could be had. */
export type Outcome =
  | { kind: "decided"; result: DecisionResult; key: string }
  | { kind: "unavailable"; error: GovernorUnavailableError; failOpenAllowed: boolean };

/** An intent made ready to decide. */
export interface Prepared {
  config: ResolvedConfig;
  intent: IntentEvent;
  key: string;
  request?: TransportRequest;
  immediate?: Outcome;
}

/** The final intent (defaults filled in) and its cache key. */
export interface FinalIntent {
  intent: IntentEvent;
  /**
   * The intent's stable JSON: the cache key. Exact (never "close enough"), and it spares a SHA-256
   * per call; the hash (intentHash) is computed only when a token has to be checked.
   */
  key: string;
}

/** Fills in the defaults and computes the cache key. */
export function finalize(rawIntent: IntentEvent, config: ResolvedConfig = currentConfig()): FinalIntent {
  const intent = finalizeIntent(rawIntent, config);
  return { intent, key: stableStringify(intent) };
}

function prepare(rawIntent: IntentEvent, final?: FinalIntent): Prepared {
  const config = currentConfig();
  const { intent, key } = final ?? finalize(rawIntent, config);
  if (config.devBypass) {
    warnBypass();
    return {
      config,
      intent,
      key,
      immediate: { kind: "decided", result: { decision: "BYPASS", cached: false, intent }, key },
    };
  }
  if (config.enforceUrl === undefined) {
    const error = new GovernorUnavailableError(
      `Governor has no policy service configured, so ${describeIntent(intent)} is denied (fail closed). Set GOVERNOR_ENFORCE_URL to the enforce endpoint.`,
      {
        code: "GOVERNOR_NOT_CONFIGURED",
        hint: "Set GOVERNOR_ENFORCE_URL to your policy service (for local development: npx governor-init mock, then GOVERNOR_ENFORCE_URL=http://127.0.0.1:<port>).",
        intent,
      },
    );
    return { config, intent, key, immediate: { kind: "unavailable", error, failOpenAllowed: false } };
  }
  const state = getState();
  const cached = state.cache.get(key);
  if (cached !== undefined) {
    if (cached.expiresAt > Date.now()) {
      const result: DecisionResult = { decision: "ALLOW", cached: true, expiresAt: cached.expiresAt, intent };
      if (cached.requestId !== undefined) result.requestId = cached.requestId;
      if (cached.reason !== undefined) result.reason = cached.reason;
      return { config, intent, key, immediate: { kind: "decided", result, key } };
    }
    state.cache.delete(key);
  }
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;
  return {
    config,
    intent,
    key,
    request: { url: config.enforceUrl, headers, body: JSON.stringify(intent), timeoutMs: config.timeoutMs },
  };
}

function unavailable(
  prepared: Prepared,
  message: string,
  hint: string,
  cause?: unknown,
  failOpenAllowed = true,
): Outcome {
  const error = new GovernorUnavailableError(
    `Governor could not get a decision for ${describeIntent(prepared.intent)}: ${message}`,
    {
      hint,
      cause,
      intent: prepared.intent,
    },
  );
  return { kind: "unavailable", error, failOpenAllowed };
}

/** A well-formed answer from the policy service, its token not checked yet. */
interface Answer {
  decision: "ALLOW" | "DENY";
  requestId: string;
  reason: string | undefined;
  token: unknown;
}

/** Reads the policy service's answer: a well-formed decision, or the outcome when there is none. */
function readAnswer(prepared: Prepared, transport: TransportResult): Answer | Outcome {
  const url = prepared.config.enforceUrl!;
  const failModeHint = "With GOVERNOR_FAIL_MODE=open side effects run anyway (with warnings); the default is closed.";
  if (!transport.ok) {
    if (transport.kind === "timeout") {
      return unavailable(
        prepared,
        `the policy service at ${url} did not answer within ${prepared.config.timeoutMs} ms.`,
        `Check that it is running and reachable, or raise GOVERNOR_TIMEOUT_MS. ${failModeHint}`,
      );
    }
    return unavailable(
      prepared,
      `could not reach the policy service at ${url} (${transport.code ?? transport.message}).`,
      `Check GOVERNOR_ENFORCE_URL and that the service is running. ${failModeHint}`,
      new Error(transport.message),
    );
  }
  if (transport.status < 200 || transport.status > 299) {
    let detail = "";
    try {
      const body = JSON.parse(transport.text) as { detail?: unknown };
      if (typeof body.detail === "string") detail = `: ${body.detail}`;
    } catch {
      // Not JSON: the status says enough.
    }
    const hint =
      transport.status === 401 || transport.status === 403
        ? "Check GOVERNOR_API_KEY: the policy service refused the credentials."
        : `The policy service is failing; check its logs. ${failModeHint}`;
    return unavailable(prepared, `the policy service answered HTTP ${transport.status}${detail}.`, hint);
  }
  let body: EnforceResponse;
  try {
    body = JSON.parse(transport.text) as EnforceResponse;
  } catch (error) {
    return unavailable(
      prepared,
      "the policy service's answer is not JSON.",
      "Check GOVERNOR_ENFORCE_URL points at the enforce endpoint.",
      error,
    );
  }
  if (
    body === null ||
    typeof body !== "object" ||
    (body.decision !== "ALLOW" && body.decision !== "DENY") ||
    typeof body.metadata !== "object" ||
    body.metadata === null ||
    typeof body.metadata.request_id !== "string"
  ) {
    return unavailable(
      prepared,
      "the policy service's answer lacks a decision of ALLOW or DENY and a metadata.request_id.",
      "Check GOVERNOR_ENFORCE_URL points at a Governor enforce endpoint (/api/v2/enforce).",
    );
  }
  return {
    decision: body.decision,
    requestId: body.metadata.request_id,
    reason: typeof body.metadata.reason === "string" ? body.metadata.reason : undefined,
    token: body.decision_token,
  };
}

/** Whether an answer's token has to be verified: an ALLOW while GOVERNOR_DECISION_SECRET is set. */
function needsToken(prepared: Prepared, answer: Answer): boolean {
  return prepared.config.decisionSecret !== undefined && answer.decision === "ALLOW";
}

/** The decision an answer stands for, given its token's verdict (when {@link needsToken}). */
function conclude(prepared: Prepared, answer: Answer, verdict: TokenVerdict | undefined): Outcome {
  const { requestId, reason } = answer;
  let expiresAt = Date.now() + prepared.config.cacheTtlMs;
  if (verdict !== undefined) {
    // A genuine token for another request of the same intent (a replayed answer) is no token for this one.
    if (verdict.ok && verdict.claims.request_id !== requestId) {
      return unavailable(
        prepared,
        `the ALLOW's decision token is invalid (wrong-request: it was issued for request ${JSON.stringify(String(verdict.claims.request_id))}, the answer is for ${JSON.stringify(requestId)}).`,
        "Check GOVERNOR_DECISION_SECRET matches the policy service's signing secret; a tampered or replayed answer is refused.",
        undefined,
        false,
      );
    }
    if (verdict.ok && !useRequestIdOnce(requestId, verdict.claims.exp)) {
      // Each signed ALLOW is accepted once: a whole answer replayed (for the same intent, within the
      // token's lifetime) is refused. Reuse of a decision is the cache's job, never the network's.
      return unavailable(
        prepared,
        `the ALLOW's decision token is invalid (replayed: request ${JSON.stringify(requestId)} was already used).`,
        "A replayed answer is refused; check what sits between the SDK and the policy service.",
        undefined,
        false,
      );
    }
    if (!verdict.ok) {
      // A bad token is a security signal, not an outage: it never fails open.
      return unavailable(
        prepared,
        answer.token === undefined
          ? "the ALLOW carries no decision token, but GOVERNOR_DECISION_SECRET requires one."
          : `the ALLOW's decision token is invalid (${verdict.problem}).`,
        "Check GOVERNOR_DECISION_SECRET matches the policy service's signing secret; a tampered or replayed answer is refused.",
        undefined,
        false,
      );
    }
    expiresAt = Math.min(expiresAt, verdict.claims.exp);
  }
  const result: DecisionResult = { decision: answer.decision, cached: false, intent: prepared.intent, requestId };
  if (reason !== undefined) result.reason = reason;
  if (answer.decision === "ALLOW" && prepared.config.cacheTtlMs > 0 && expiresAt > Date.now()) {
    result.expiresAt = expiresAt;
    const cache = getState().cache;
    if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(prepared.key, { expiresAt, requestId, reason });
  }
  return { kind: "decided", result, key: prepared.key };
}

const MAX_USED_REQUEST_IDS = 100_000;

/**
 * Records a signed ALLOW's request id as used until its token expires; false when it was used
 * already (a replay). Expired ids are dropped as new ones come in, so the set stays bounded by what
 * is live (and by a hard cap, past which the oldest go first).
 */
function useRequestIdOnce(requestId: string, expiresAt: number): boolean {
  const state = getState();
  const used = (state.usedRequestIds ??= new Map<string, number>());
  const now = Date.now();
  const seen = used.get(requestId);
  if (seen !== undefined && seen > now) return false;
  if (used.size >= 1024) {
    for (const [id, until] of used) {
      if (until <= now || used.size >= MAX_USED_REQUEST_IDS) used.delete(id);
      else break;
    }
  }
  used.set(requestId, expiresAt);
  return true;
}

/** A decision being made: settled already (cache hit, dev bypass, not configured), or a request to send. */
export type Pending = { now: Outcome } | { later: Prepared };

/** Starts deciding `intent` without yielding: cache hits (the hot path) settle here with no promise at all. */
export function beginDecision(intent: IntentEvent, final?: FinalIntent): Pending {
  const prepared = prepare(intent, final);
  return prepared.immediate !== undefined ? { now: prepared.immediate } : { later: prepared };
}

/** Finishes a pending decision by asking asynchronously (tokens checked with Web Crypto where node:crypto is missing). */
export async function finishAsync(pending: Prepared): Promise<Outcome> {
  const answer = readAnswer(pending, await sendAsync(pending.request!));
  if ("kind" in answer) return answer;
  const verdict = needsToken(pending, answer)
    ? await verifyDecisionTokenAsync(answer.token, pending.config.decisionSecret!, {
        intentHash: await intentHashAsync(pending.intent),
        decision: "ALLOW",
      })
    : undefined;
  return conclude(pending, answer, verdict);
}

/** Sends a request and waits for the answer without yielding, where the runtime can (Node). */
export type SyncTransport = (request: TransportRequest) => TransportResult;

let syncTransport: SyncTransport | undefined;

/** Installs the runtime's blocking transport (the Node entry does; edge runtimes have none). */
export function useSyncTransport(transport: SyncTransport): void {
  syncTransport = transport;
}

/** Finishes a pending decision by asking synchronously (blocking on the decision worker). */
export function finishSync(pending: Prepared): Outcome {
  if (syncTransport === undefined) {
    return unavailable(
      pending,
      "this runtime cannot wait for a decision synchronously.",
      "Only promise APIs can be governed here (govern(fetch), withIntent, governTool).",
      undefined,
      false,
    );
  }
  const answer = readAnswer(pending, syncTransport(pending.request!));
  if ("kind" in answer) return answer;
  const verdict = needsToken(pending, answer)
    ? verifyDecisionToken(answer.token, pending.config.decisionSecret!, {
        intentHash: intentHash(pending.intent),
        decision: "ALLOW",
      })
    : undefined;
  return conclude(pending, answer, verdict);
}

/** Decides an intent, asking the policy service asynchronously when the cache has no fresh ALLOW. */
export async function decideAsync(intent: IntentEvent): Promise<Outcome> {
  const pending = beginDecision(intent);
  return "now" in pending ? pending.now : finishAsync(pending.later);
}

/** Decides an intent without yielding (for primitives that must return synchronously). */
export function decideSync(intent: IntentEvent): Outcome {
  const pending = beginDecision(intent);
  return "now" in pending ? pending.now : finishSync(pending.later);
}

/** Where an attempt came from, for the audit trail. */
export interface AttemptMeta {
  source: AuditEvent["source"];
  primitive?: string;
  target?: string;
}

/** The verdict on an attempt: run it (under which decision) or throw this error. */
export type Verdict = { run: true; scope: ScopeDecision } | { run: false; error: GovernorError };

function auditBase(
  meta: AttemptMeta,
  intent: IntentEvent,
): Pick<AuditEvent, "time" | "source" | "primitive" | "target" | "intent"> {
  const base: Pick<AuditEvent, "time" | "source" | "primitive" | "target" | "intent"> = {
    time: new Date().toISOString(),
    source: meta.source,
    intent,
  };
  if (meta.primitive !== undefined) base.primitive = meta.primitive;
  if (meta.target !== undefined) base.target = meta.target;
  return base;
}

/** Whether anyone receives audit events (building them is skipped otherwise: it is on every call's path). */
function auditing(): boolean {
  const state = getState();
  return state.listeners.size > 0 || state.config?.auditLog !== undefined;
}

/** Turns an outcome into a verdict, printing fail-open warnings and emitting the audit event. */
export function judge(outcome: Outcome, meta: AttemptMeta): Verdict {
  if (outcome.kind === "unavailable") {
    const config = getState().config;
    const failOpen = outcome.failOpenAllowed && config !== undefined && config.failMode === "open";
    const intent = outcome.error.intent!;
    if (failOpen) {
      warn(`${outcome.error.message} Running it anyway because GOVERNOR_FAIL_MODE=open.`);
      emitAudit({
        ...auditBase(meta, intent),
        decision: "ERROR",
        reason: outcome.error.message,
        executed: true,
        cached: false,
      });
      return {
        run: true,
        scope: {
          intent,
          key: stableStringify(intent),
          source: meta.source,
          requestId: undefined,
          expiresAt: 0,
          decision: "ERROR",
        },
      };
    }
    emitAudit({
      ...auditBase(meta, intent),
      decision: "ERROR",
      reason: outcome.error.message,
      executed: false,
      cached: false,
    });
    return { run: false, error: outcome.error };
  }
  const result = outcome.result;
  if (auditing()) {
    const event: AuditEvent = {
      ...auditBase(meta, result.intent),
      decision: result.decision,
      executed: result.decision !== "DENY",
      cached: result.cached,
    };
    if (result.requestId !== undefined) event.requestId = result.requestId;
    if (result.reason !== undefined) event.reason = result.reason;
    emitAudit(event);
  }
  if (result.decision === "DENY") {
    const init: ConstructorParameters<typeof GovernorDeniedError>[0] = { intent: result.intent };
    if (result.requestId !== undefined) init.requestId = result.requestId;
    if (result.reason !== undefined) init.reason = result.reason;
    return { run: false, error: new GovernorDeniedError(init) };
  }
  return {
    run: true,
    scope: {
      intent: result.intent,
      key: outcome.key,
      source: meta.source,
      requestId: result.requestId,
      expiresAt: result.decision === "ALLOW" ? (result.expiresAt ?? 0) : 0,
      decision: result.decision,
    },
  };
}

/** For a primitive inside a scope: the scope's decision is reused while fresh. */
export function scopeIsFresh(scope: ScopeDecision): boolean {
  return scope.decision === "ALLOW" && scope.expiresAt > Date.now();
}

/** Records a primitive that ran under its scope's still-fresh decision. */
export function auditUnderScope(scope: ScopeDecision, meta: AttemptMeta): void {
  if (!auditing()) return;
  const event: AuditEvent = { ...auditBase(meta, scope.intent), decision: "ALLOW", executed: true, cached: true };
  if (scope.requestId !== undefined) event.requestId = scope.requestId;
  emitAudit(event);
}

/** Copies a re-asked decision into the scope so later primitives reuse it. */
export function refreshScope(scope: ScopeDecision, fresh: ScopeDecision): void {
  scope.requestId = fresh.requestId;
  scope.expiresAt = fresh.expiresAt;
  scope.decision = fresh.decision;
}
