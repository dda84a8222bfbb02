/**
 * Explains a policy decision: why an intent was denied (or why the call failed) and what to change,
 * read from the enforce response's canonicalization trace, or from the enforce mock's decision log
 * by request id.
 *
 * Engine for the MCP server's `explain_decision` tool; it imports no front end.
 */
import { ErrorCodes, GovernorInitError } from "./errors.js";
import { isLoopbackHost } from "./http-guard.js";

/** Below this confidence a canonicalization is called out as a guess the caller should make explicit. */
export const LOW_CONFIDENCE = 0.7;

/** Input of {@link explainDecision}: a response to read, or a request id to look up in the mock's log. */
export interface ExplainDecisionInput {
  /** An enforce response (object or JSON text), an error body `{ detail }`, or a mock decision-log record. */
  response?: unknown;
  /** A `request_id` to find in the mock's decision log (`GET /mock/decisions`). */
  requestId?: string;
  /** Base URL of the enforce mock. Loopback only: the decision log is a local development feature. */
  mockUrl?: string;
  /** Timeout for the mock lookup. */
  timeoutMs?: number;
}

/** One canonicalized field, with what (if anything) looks wrong about it. */
export interface ExplainedTraceStep {
  field: string;
  rawInput: string;
  canonical: string;
  confidence: number;
  source: string;
  /** Set when the field was guessed (low confidence, fuzzy match) or not recognized. */
  concern?: string;
}

/** What {@link explainDecision} returns. */
export interface DecisionExplanation {
  /** `ERROR` when the response is an error body (the call failed and, failing closed, did not run). */
  decision: "ALLOW" | "DENY" | "ERROR";
  requestId?: string;
  /** The policy service's reason (or the error detail), verbatim. */
  reason?: string;
  /** The policy rule that decided, when the service names it (the mock does). */
  matchedRule?: string;
  /** The policy that decided, when the service names it. */
  policy?: string;
  /** HTTP status, for error bodies that carry one. */
  status?: number;
  trace: ExplainedTraceStep[];
  /** One or two sentences: what happened. */
  summary: string;
  /** What to change, most specific first. */
  nextSteps: string[];
  /** Where the decision came from. */
  source: "response" | "mock-log";
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The places a field can sit in the shapes we accept: top level, `metadata`, `response`, `response.metadata`. */
function layers(record: Json): Json[] {
  const out: Json[] = [record];
  if (isObject(record.metadata)) out.push(record.metadata);
  if (isObject(record.response)) {
    out.push(record.response);
    if (isObject(record.response.metadata)) out.push(record.response.metadata);
  }
  return out;
}

function pick(record: Json, ...names: string[]): unknown {
  for (const layer of layers(record)) {
    for (const name of names) if (layer[name] !== undefined) return layer[name];
  }
  return undefined;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/** The request id a record carries, in any of the accepted shapes. */
export function requestIdOf(record: unknown): string | undefined {
  if (!isObject(record)) return undefined;
  const id = pick(record, "request_id", "requestId");
  return typeof id === "string" ? id : undefined;
}

function parseResponse(response: unknown): Json {
  let value = response;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "The response is not valid JSON.", {
        suggestion: "Paste the enforce response body exactly as received (a JSON object), or pass its request id.",
      });
    }
  }
  if (!isObject(value)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "The response must be a JSON object.", {
      suggestion: 'Pass the enforce response body, such as {"decision":"DENY","metadata":{…}}, or its request id.',
    });
  }
  return value;
}

function explainStep(raw: unknown): ExplainedTraceStep | undefined {
  if (!isObject(raw)) return undefined;
  const prediction = isObject(raw.prediction) ? raw.prediction : raw;
  const field = typeof raw.field === "string" ? raw.field : "unknown";
  const rawInput = asText(raw.raw_input ?? raw.rawInput ?? "");
  const canonical = typeof prediction.canonical === "string" ? prediction.canonical : "";
  const confidence = typeof prediction.confidence === "number" ? prediction.confidence : 0;
  const source = typeof prediction.source === "string" ? prediction.source : "unknown";
  const step: ExplainedTraceStep = { field, rawInput, canonical, confidence, source };
  // `passthrough`: no vocabulary term matched, so the raw word was kept as is.
  const unrecognized =
    canonical === "" || canonical === "unknown" || /passthrough|unknown|unmatched|none|default/i.test(source);
  if (unrecognized) {
    step.concern = `"${rawInput}" was not recognized for ${field}; policies cannot match it reliably.`;
  } else if (confidence < LOW_CONFIDENCE || /fuzzy/i.test(source)) {
    step.concern = `"${rawInput}" was read as "${canonical}" by a ${source} match (confidence ${confidence}); if that is not what you meant, the policy judged the wrong thing.`;
  }
  return step;
}

const ERROR_ADVICE: Array<{ test: (status: number | undefined, detail: string) => boolean; steps: string[] }> = [
  {
    test: (status) => status === 401,
    steps: [
      "Set GOVERNOR_API_KEY to a valid key for this enforce URL (the mock accepts any key unless started with --api-key).",
    ],
  },
  {
    test: (status) => status === 422,
    steps: [
      "The intent event is malformed: it needs at least action (a string) and resource.type (a string).",
      "Check it against the schema at governor://schema/intent-event, or build one with the build_intent tool.",
    ],
  },
  {
    test: (_status, detail) => /canonicali[sz]ation failed/i.test(detail),
    steps: [
      "Canonicalization failed on the server: send canonical terms (action read/write/delete/execute, resource types such as database or external_api) and retry.",
    ],
  },
  {
    test: (status, detail) => status === 502 || /data plane/i.test(detail),
    steps: [
      "The policy service's data plane failed; retry later. Fail-closed mode kept the side effect from running, as intended.",
    ],
  },
  {
    test: (status) => status !== undefined && status >= 500,
    steps: [
      "The policy service failed; retry later or ask its operator. Fail-closed mode kept the side effect from running, as intended.",
    ],
  },
];

/** Builds the explanation from a decision record (an enforce response, error body or mock log record). */
export function explainRecord(record: Json, source: DecisionExplanation["source"]): DecisionExplanation {
  const requestId = requestIdOf(record);
  const rawDecision = pick(record, "decision");
  const detail = pick(record, "detail");
  const statusValue = pick(record, "status", "statusCode");
  const status = typeof statusValue === "number" ? statusValue : undefined;
  const traceValue = pick(record, "canonicalization_trace", "canonicalizationTrace", "trace");
  const trace = (Array.isArray(traceValue) ? traceValue : []).map(explainStep).filter((s) => s !== undefined);
  const concerns = trace.filter((s) => s.concern);
  const reasonValue = pick(record, "reason", "message");

  if (rawDecision !== "ALLOW" && rawDecision !== "DENY") {
    if (detail === undefined && status === undefined) {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "This is neither an enforce decision nor an error body.", {
        suggestion:
          'Pass the body returned by POST /api/v2/enforce (with "decision" and "metadata"), an error body with "detail", or a request id.',
      });
    }
    const text = detail === undefined ? "" : asText(detail);
    const advice = ERROR_ADVICE.find((a) => a.test(status, text));
    return {
      decision: "ERROR",
      requestId,
      reason: text || undefined,
      status,
      trace,
      summary: `The enforce call failed${status ? ` with HTTP ${status}` : ""}${text ? `: ${text}` : ""}. No decision was made, so in fail-closed mode the side effect did not run.`,
      nextSteps: advice?.steps ?? [
        "Check GOVERNOR_ENFORCE_URL and GOVERNOR_API_KEY, then retry; the governor_status tool checks both.",
      ],
      source,
    };
  }

  const reason = typeof reasonValue === "string" ? reasonValue : undefined;
  const matchedRuleValue = pick(record, "matched_rule", "matchedRule");
  const policyValue = pick(record, "policy");
  const named = {
    ...(typeof matchedRuleValue === "string" ? { matchedRule: matchedRuleValue } : {}),
    ...(typeof policyValue === "string" ? { policy: policyValue } : {}),
  };
  const idText = requestId ? ` (request ${requestId})` : "";
  const nextSteps: string[] = [];
  for (const step of concerns) {
    nextSteps.push(
      `${step.field}: ${step.concern} Send a canonical value${step.canonical && step.canonical !== "unknown" ? ` (for example "${step.canonical}" if that is right)` : ""} in the intent.`,
    );
  }
  if (rawDecision === "ALLOW") {
    return {
      decision: "ALLOW",
      requestId,
      reason,
      ...named,
      trace,
      summary: `Allowed${idText}.${concerns.length ? " The decision rests on guessed fields, listed below." : " Nothing to change."}`,
      nextSteps,
      source,
    };
  }

  const canonicalIntent = pick(record, "canonical_intent");
  const canonicalData = isObject(canonicalIntent) && isObject(canonicalIntent.data) ? canonicalIntent.data : {};
  const sensitivities = new Set(trace.filter((s) => s.field === "sensitivity").map((s) => s.canonical));
  if (Array.isArray(canonicalData.sensitivity))
    for (const level of canonicalData.sensitivity) sensitivities.add(String(level));
  sensitivities.delete("public");
  const volume = canonicalData.volume ?? trace.find((s) => s.field === "volume")?.canonical;
  const data: string[] = [];
  if (sensitivities.size) data.push(`sensitivity ${[...sensitivities].map((l) => `"${l}"`).join(", ")}`);
  if (volume === "bulk") data.push('volume "bulk"');
  if (canonicalData.pii === true) data.push("pii true");
  if (data.length) {
    nextSteps.push(
      `If the call does not need it, narrow the data it declares (${data.join(", ")}): a narrower intent may be allowed where this one is not.`,
    );
  }
  nextSteps.push(
    `Compare the canonical intent (action, resource type and name, data) with the policy rule that denied it${named.matchedRule ? ` (${named.matchedRule}${named.policy ? ` in policy ${named.policy}` : ""})` : ""}; change the policy if this call should be allowed (with the mock: the file passed to --policy), or change the code if it should not make this call.`,
    "Do not work around a denial by skipping the SDK: the side effect is blocked by design. Handle GovernorDeniedError and tell the user what was refused.",
  );
  return {
    decision: "DENY",
    requestId,
    reason,
    ...named,
    trace,
    summary: `Denied${idText}${reason ? `: ${reason}` : "."}${concerns.length ? ` ${concerns.length} field(s) were guessed or not recognized, which can make a policy match the wrong rule.` : ""}`,
    nextSteps,
    source,
  };
}

function recordsFrom(body: string): unknown[] {
  const trimmed = body.trim();
  if (trimmed === "") return [];
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed)) return parsed;
    if (isObject(parsed)) {
      for (const key of ["decisions", "records", "items"]) {
        const list = parsed[key];
        if (Array.isArray(list)) return list;
      }
      return [parsed];
    }
  } catch {
    // Not one JSON document: the log's own JSONL form.
  }
  return trimmed.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

/**
 * The enforce mock's base URL, refused unless it is an http(s) URL on this machine: the decision log is
 * a local mock feature, never something to ask a remote host for.
 */
export function mockBaseUrl(mockUrl: string): URL {
  let base: URL;
  try {
    base = new URL(mockUrl);
  } catch {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `The mock URL ${JSON.stringify(mockUrl)} is not a URL.`, {
      suggestion: "Pass the URL the mock printed when it started, such as http://127.0.0.1:4318.",
    });
  }
  if ((base.protocol !== "http:" && base.protocol !== "https:") || !isLoopbackHost(base.hostname)) {
    throw new GovernorInitError(
      ErrorCodes.INVALID_INPUT,
      "The mock URL must be an http URL on this machine (loopback).",
      {
        suggestion:
          "The decision log is a local mock feature: pass http://127.0.0.1:PORT as printed by governor-init mock.",
      },
    );
  }
  return base;
}

/** Looks a request id up in the enforce mock's decision log. */
export async function findMockDecision(mockUrl: string, requestId: string, timeoutMs = 2000): Promise<Json> {
  const base = mockBaseUrl(mockUrl);
  const url = new URL("/mock/decisions", base);
  url.searchParams.set("request_id", requestId);
  let body: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.text();
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.SERVICE_UNAVAILABLE, `The enforce mock at ${base.origin} did not answer.`, {
      cause: error,
      suggestion:
        "Start it with `npx governor-init mock` (or pass mockUrl), or paste the enforce response instead of its id.",
    });
  }
  const found = recordsFrom(body).find((r) => requestIdOf(r) === requestId);
  if (!isObject(found)) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `No decision with request id ${requestId} in the mock's log.`, {
      suggestion: "Check the id (GovernorDeniedError.requestId), and that the same mock instance made the decision.",
    });
  }
  return found;
}

/**
 * The mock's log keeps the raw intent, not the trace: rebuild the trace with the mock's own
 * canonicalizer, the one that made the decision.
 */
async function withTrace(record: Json): Promise<Json> {
  if (pick(record, "canonicalization_trace") !== undefined || record.intent === undefined) return record;
  try {
    const { canonicalize } = await import("./vocabulary/canonicalize.js");
    return { ...record, canonicalization_trace: canonicalize(record.intent).canonicalization_trace };
  } catch {
    // An intent the canonicalizer rejects still has a decision, a reason and a rule to explain.
    return record;
  }
}

/**
 * Explains a decision given either the response itself or a request id in the mock's log.
 *
 * @throws GovernorInitError `INVALID_INPUT` when neither or an unreadable response is given, `NOT_FOUND`
 *   when the id is not in the log, `SERVICE_UNAVAILABLE` when the mock does not answer.
 */
export async function explainDecision(input: ExplainDecisionInput): Promise<DecisionExplanation> {
  if (input.response !== undefined) return explainRecord(parseResponse(input.response), "response");
  if (input.requestId) {
    const mockUrl = input.mockUrl ?? process.env.GOVERNOR_MOCK_URL ?? process.env.GOVERNOR_ENFORCE_URL;
    if (!mockUrl) {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "No mock URL to look the request id up in.", {
        suggestion: "Pass mockUrl (as printed by governor-init mock), or paste the enforce response instead.",
      });
    }
    const record = await findMockDecision(mockUrl, input.requestId, input.timeoutMs);
    return explainRecord(await withTrace(record), "mock-log");
  }
  throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "Nothing to explain.", {
    suggestion: "Pass response (the enforce response body) or requestId (with mockUrl for the mock's log).",
  });
}
