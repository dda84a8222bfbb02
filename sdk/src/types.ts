/**
 * Types shared by the Governor SDK's public API.
 *
 * Anything exported here is public API: the codemods, the docs and customer code rely on these names.
 */

/** Who wants to act. Defaults come from configuration (`GOVERNOR_ACTOR_ID`, `GOVERNOR_ACTOR_TYPE`) or {@link governor.withActor}. */
export interface Actor {
  id: string;
  /** For example `user`, `service`, `agent`. */
  type?: string;
}

/** What is acted on. The policy service canonicalizes `type` (`postgres_db` → `database`). */
export interface Resource {
  /** For example `database`, `external_api`, `filesystem`, `process`. */
  type: string;
  /** For example a table, an API's name (`stripe`), a path, a program. */
  name?: string;
}

/** Which data the action touches. */
export interface DataDescriptor {
  /** Sensitivity levels such as `public`, `internal`, `confidential`. */
  sensitivity?: string[];
  pii?: boolean;
  /** `single` or `bulk`. */
  volume?: string;
}

/**
 * An intent event: who wants to do what to which resource, with which data.
 *
 * The vocabulary is loose; the policy service canonicalizes it. `tenantId` is set by the
 * server from the caller's credentials. `layer` defaults to `"L4"`.
 */
export interface IntentEvent {
  /** The verb, for example `read`, `write`, `delete`, `execute` (or a loose synonym such as `query`). */
  action: string;
  actor?: Actor;
  resource: Resource;
  data?: DataDescriptor;
  risk?: Record<string, unknown>;
  layer?: string;
  /** Free-form context (the tool's name, its arguments). Part of the decision cache key. */
  context?: Record<string, unknown>;
}

/** The policy service's answer. */
export type Decision = "ALLOW" | "DENY";

/** One step of the server's canonicalization of a loose intent event. */
export interface CanonicalizationStep {
  field: string;
  raw_input: unknown;
  prediction: { canonical: string; confidence: number; source: string };
}

/** The body of a `200` answer from `POST /api/v2/enforce`. */
export interface EnforceResponse {
  decision: Decision;
  enforcement_latency_ms: number;
  metadata: {
    request_id: string;
    canonicalization_trace: CanonicalizationStep[];
    /** A short human reason, when the policy service gives one. */
    reason?: string;
    [key: string]: unknown;
  };
  /** A signed decision token (see `@governor/sdk/protocol`), when the service issues one. */
  decision_token?: string;
}

/** What happens when no decision can be had (service unreachable, slow, erroring, malformed answer). */
export type FailMode = "closed" | "open";

/** The primitives `enable()` patches, and the kinds `govern()` understands. */
export type PrimitiveKind = "fetch" | "http" | "child_process" | "fs" | "undici" | "axios" | "sql";

/** A call that is never governed, because configuration says so (health checks, telemetry). */
export interface ExemptRule {
  /** Which primitive the rule is for; all when absent. */
  kind?: PrimitiveKind;
  /** A glob matched against the call's target: a URL (`http://127.0.0.1:*\/health`), a program, or a path. */
  target: string;
}

/** One record of the audit trail: every attempt, its decision, and whether it executed. */
export interface AuditEvent {
  /** ISO 8601 time of the attempt. */
  time: string;
  /** What asked: an explicit scope, a tool handler, or a patched / wrapped primitive. */
  source: "scope" | "tool" | "primitive";
  /** For primitives: which one (`fetch`, `child_process.exec`, `fs.writeFile`, …). */
  primitive?: string;
  /** For primitives: the URL, program or path. */
  target?: string;
  intent: IntentEvent;
  /** `ERROR` when no decision could be had; `BYPASS` under the local-dev bypass. */
  decision: Decision | "ERROR" | "BYPASS";
  requestId?: string;
  reason?: string;
  /** Whether the side effect (or scope body) ran. */
  executed: boolean;
  /** Whether the decision came from the cache or an enclosing scope rather than a new request. */
  cached: boolean;
}

/** Options of `governor.enable()`. Each falls back to its environment variable, then to the default. */
export interface GovernorOptions {
  /** `GOVERNOR_ENABLED`: `0`, `false`, `off` or `no` make `enable()` a no-op. Default on. */
  enabled?: boolean;
  /** `GOVERNOR_ENFORCE_URL`: the enforce endpoint. A bare origin gets `/api/v2/enforce` appended. */
  enforceUrl?: string;
  /** `GOVERNOR_API_KEY`: sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** `GOVERNOR_FAIL_MODE`: `closed` (default) or `open`. */
  failMode?: FailMode;
  /** `GOVERNOR_TIMEOUT_MS`: how long to wait for a decision. Default 2000. */
  timeoutMs?: number;
  /** `GOVERNOR_ACTOR_ID` / `GOVERNOR_ACTOR_TYPE`: the actor when none is set in scope. */
  actor?: Actor;
  /** `GOVERNOR_TENANT_ID`: sent as `tenantId`; the server may override it from credentials. */
  tenantId?: string;
  /** `GOVERNOR_LAYER`: default `L4`. */
  layer?: string;
  /** `GOVERNOR_CACHE_TTL_MS`: how long an ALLOW is reused for the identical intent. Default 5000; 0 disables. */
  cacheTtlMs?: number;
  /** `GOVERNOR_DECISION_SECRET`: when set, every ALLOW must carry a valid, fresh signed token. */
  decisionSecret?: string;
  /** `GOVERNOR_EXEMPT`: comma-separated `kind:glob` or `glob` entries. */
  exempt?: ExemptRule[];
  /** `GOVERNOR_PRIMITIVES`: comma-separated kinds to patch. Default `fetch,http,child_process,fs`. */
  primitives?: PrimitiveKind[];
  /** `GOVERNOR_AUDIT_LOG`: a file to append audit events to, one JSON object a line. */
  auditLog?: string;
  /** `GOVERNOR_DEV_BYPASS=1`: local development only; allows everything with a loud warning. Refused whenever `NODE_ENV` (trimmed, any case) starts with `prod`. */
  devBypass?: boolean;
}

/** The static description a tool handler's intent is built from (see `governTool`). */
export interface ToolIntentSpec {
  /** The tool's name as the agent sees it. */
  tool: string;
  action: string;
  resource: Resource;
  data?: DataDescriptor;
  risk?: Record<string, unknown>;
  /** A top-level argument whose value, when a string, becomes `resource.name` for the call. */
  resourceNameFrom?: string;
}

/** What `governor.decide(intent)` answers: the decision for the intent, without running anything. */
export interface DecisionResult {
  /** `BYPASS` under the local-dev bypass. */
  decision: Decision | "BYPASS";
  requestId?: string;
  reason?: string;
  /** Whether it came from the decision cache rather than a new request. */
  cached: boolean;
  /** Until when (ms since the epoch) an ALLOW is reused for the identical intent; absent when not cached. */
  expiresAt?: number;
  /** The intent event exactly as sent (defaults for actor, layer and tenant filled in). */
  intent: IntentEvent;
}
