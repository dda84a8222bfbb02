/**
 * Canonicalization of loose intent events: validation with field-naming errors, then each
 * vocabulary field mapped to its canonical term with a trace step (canonical value,
 * confidence, source).
 */
import { editDistance } from "../edit-distance.js";
import Fuse from "fuse.js";
import { ErrorCodes, GovernorInitError } from "../errors.js";
import { CONFIDENCE, VOCABULARY, type VocabularyField } from "./vocabulary.js";

/** How a raw value became canonical: the term itself, a synonym, a typo-tolerant match, or unchanged. */
export type PredictionSource = "exact" | "synonym" | "fuzzy" | "passthrough";

/** One step of the canonicalization trace, in the shape of the enforce API's `canonicalization_trace`. */
export interface TraceStep {
  field: string;
  raw_input: unknown;
  prediction: { canonical: string; confidence: number; source: PredictionSource };
}

/**
 * A loose intent event after validation: the shape clients send to `POST /api/v2/enforce`.
 * Unknown top-level fields are ignored (the API is loose); `tenantId` is ignored because the
 * tenant comes from the credential.
 */
export interface LooseIntentEvent {
  action: string;
  actor?: { id: string; type?: string };
  resource: { type: string; name?: string };
  data?: { sensitivity?: string[]; pii?: boolean; volume?: string };
  risk?: Record<string, unknown>;
  layer?: string;
  context?: Record<string, unknown>;
}

/** An intent event in canonical vocabulary: what policies are matched against. */
export interface CanonicalIntent {
  action: string;
  actor: { id?: string; type?: string };
  /** `host` keeps an external API's original host when `name` was reduced to the service (`api.stripe.com` → `stripe`). */
  resource: { type: string; name?: string; host?: string };
  data: { sensitivity: string[]; pii?: boolean; volume?: string };
  risk: Record<string, unknown>;
  layer: string;
  context: Record<string, unknown>;
  /** Set by the server from the caller's credential; absent when canonicalizing offline. */
  tenant_id?: string;
}

/** The result of {@link canonicalize}: the canonical intent and how each field got there. */
export interface Canonicalization {
  canonical_intent: CanonicalIntent;
  canonicalization_trace: TraceStep[];
}

/** The layer an event is in when it names none (the contract's default). */
export const DEFAULT_LAYER = "L4";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(field: string, message: string): GovernorInitError {
  return new GovernorInitError(ErrorCodes.INVALID_INPUT, `${field} ${message}`, {
    details: { field },
    suggestion: "Send an intent event shaped like the enforce API's: see governor-contract.md.",
  });
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(field, "must be a string");
  return value;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalid(field, "must be a non-empty string");
  return value;
}

function optionalObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalid(field, "must be an object");
  return value;
}

/** How deep `risk` and `context` may nest: deeper values could not be hashed or logged safely. */
export const MAX_NESTING_DEPTH = 32;

/** Depth of nested objects and arrays, computed without recursion (hostile input can be very deep). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_NESTING_DEPTH) return deepest;
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Checks that `body` is a loose intent event and returns it typed.
 *
 * @throws GovernorInitError `INVALID_INPUT` whose message starts with the offending field
 *   (`action must be a non-empty string`) and whose `details.field` names it.
 */
export function parseIntentEvent(body: unknown): LooseIntentEvent {
  if (!isPlainObject(body)) throw invalid("body", "must be a JSON object (an intent event)");
  const action = requiredString(body.action, "action");

  let actor: LooseIntentEvent["actor"];
  const rawActor = optionalObject(body.actor, "actor");
  if (rawActor) {
    actor = { id: requiredString(rawActor.id, "actor.id") };
    const type = optionalString(rawActor.type, "actor.type");
    if (type !== undefined) actor.type = type;
  }

  if (body.resource === undefined || body.resource === null)
    throw invalid("resource", "is required (an object with a type)");
  const rawResource = optionalObject(body.resource, "resource")!;
  const resource: LooseIntentEvent["resource"] = { type: requiredString(rawResource.type, "resource.type") };
  const name = optionalString(rawResource.name, "resource.name");
  if (name !== undefined) resource.name = name;

  let data: LooseIntentEvent["data"];
  const rawData = optionalObject(body.data, "data");
  if (rawData) {
    data = {};
    if (rawData.sensitivity !== undefined && rawData.sensitivity !== null) {
      if (!Array.isArray(rawData.sensitivity)) throw invalid("data.sensitivity", "must be an array of strings");
      rawData.sensitivity.forEach((level, index) => {
        if (typeof level !== "string" || level.trim() === "") {
          throw invalid(`data.sensitivity[${index}]`, "must be a non-empty string");
        }
      });
      data.sensitivity = rawData.sensitivity as string[];
    }
    if (rawData.pii !== undefined && rawData.pii !== null) {
      if (typeof rawData.pii !== "boolean") throw invalid("data.pii", "must be a boolean");
      data.pii = rawData.pii;
    }
    const volume = optionalString(rawData.volume, "data.volume");
    if (volume !== undefined) data.volume = volume;
  }

  const risk = optionalObject(body.risk, "risk");
  const layer = optionalString(body.layer, "layer");
  const context = optionalObject(body.context, "context");
  for (const [field, value] of [
    ["risk", risk],
    ["context", context],
  ] as const) {
    if (value && nestingDepth(value) > MAX_NESTING_DEPTH)
      throw invalid(field, `must not nest deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  const event: LooseIntentEvent = { action, resource };
  if (actor) event.actor = actor;
  if (data) event.data = data;
  if (risk) event.risk = risk;
  if (layer !== undefined) event.layer = layer;
  if (context) event.context = context;
  return event;
}

/** Lower-case, trimmed, with spaces, dashes and dots turned into `_`: `Postgres-DB` → `postgres_db`. */
export function normalizeTerm(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_");
}

/** How many edits a fuzzy match may need: short words tolerate one typo, longer ones two. */
function allowedEdits(length: number): number {
  // No vocabulary word is longer than MAX_FUZZY_LENGTH; longer input is not a typo of one.
  if (length < 3 || length > MAX_FUZZY_LENGTH) return 0;
  return length <= 5 ? 1 : 2;
}

interface Term {
  term: string;
  canonical: string;
}

interface FieldIndex {
  exact: Set<string>;
  synonyms: Map<string, string>;
  terms: Term[];
  fuse?: Fuse<Term>;
  cache: Map<string, TraceStep["prediction"]>;
}

const CACHE_LIMIT = 5_000;
// Only short raw values are cached, so hostile input cannot fill memory with huge keys.
const MAX_CACHED_LENGTH = 128;
const MAX_FUZZY_LENGTH = 40;
const indexes = new Map<VocabularyField, FieldIndex>();

function fieldIndex(field: VocabularyField): FieldIndex {
  let index = indexes.get(field);
  if (!index) {
    const entries = VOCABULARY[field];
    const synonyms = new Map<string, string>();
    const terms: Term[] = [];
    for (const entry of entries) {
      terms.push({ term: entry.canonical, canonical: entry.canonical });
      for (const synonym of entry.synonyms) {
        synonyms.set(synonym, entry.canonical);
        terms.push({ term: synonym, canonical: entry.canonical });
      }
    }
    index = { exact: new Set(entries.map((e) => e.canonical)), synonyms, terms, cache: new Map() };
    indexes.set(field, index);
  }
  return index;
}

function fuzzyMatch(index: FieldIndex, term: string): { canonical: string; distance: number } | undefined {
  const maxEdits = allowedEdits(term.length);
  if (maxEdits === 0) return undefined;
  // Fuse (bitap) finds candidates cheaply but alone over-matches short words ("refund" → "read");
  // an edit-distance check keeps only real typos.
  index.fuse ??= new Fuse(index.terms, { keys: ["term"], includeScore: true, threshold: 0.5 });
  let best: { canonical: string; distance: number; score: number } | undefined;
  for (const result of index.fuse.search(term)) {
    const distance = editDistance(term, result.item.term, maxEdits);
    if (distance > maxEdits) continue;
    const score = result.score ?? 1;
    if (!best || distance < best.distance || (distance === best.distance && score < best.score)) {
      best = { canonical: result.item.canonical, distance, score };
    }
  }
  return best;
}

/**
 * Canonicalizes one raw value of a vocabulary field: exact term, then synonym, then a fuzzy
 * (typo) match, else the normalized raw value unchanged (`passthrough`, low confidence).
 * Results are cached per field, so repeated raw values cost one map lookup.
 */
export function canonicalizeTerm(field: VocabularyField, raw: string): TraceStep["prediction"] {
  const index = fieldIndex(field);
  const cached = index.cache.get(raw);
  if (cached) return cached;
  const term = normalizeTerm(raw);
  let prediction: TraceStep["prediction"];
  const synonym = index.synonyms.get(term);
  if (index.exact.has(term)) {
    prediction = { canonical: term, confidence: CONFIDENCE.exact, source: "exact" };
  } else if (synonym !== undefined) {
    prediction = { canonical: synonym, confidence: CONFIDENCE.synonym, source: "synonym" };
  } else {
    const fuzzy = fuzzyMatch(index, term);
    prediction = fuzzy
      ? {
          canonical: fuzzy.canonical,
          confidence: Math.round(CONFIDENCE.fuzzy * (1 - fuzzy.distance / (term.length + 1)) * 100) / 100,
          source: "fuzzy",
        }
      : { canonical: term, confidence: CONFIDENCE.passthrough, source: "passthrough" };
  }
  // A bounded cache: clearing when full keeps memory flat under hostile, ever-new input.
  Object.freeze(prediction);
  if (raw.length <= MAX_CACHED_LENGTH) {
    if (index.cache.size >= CACHE_LIMIT) index.cache.clear();
    index.cache.set(raw, prediction);
  }
  return prediction;
}

/**
 * For an external API, the service's name from a host or URL: `api.stripe.com` → `stripe`,
 * `https://hooks.slack.com/x` → `slack`. Undefined when the name does not look like a host.
 */
export function serviceNameFromHost(name: string): string | undefined {
  let host = name.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  host = host.split(/[/?#]/, 1)[0]!.replace(/:\d+$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || /^\d+(\.\d+){3}$/.test(host)) return undefined;
  const labels = host.split(".");
  // Drop the public suffix (one label, or two for `co.uk`-style suffixes) and generic prefixes.
  labels.pop();
  if (labels.length > 1 && ["co", "com", "org", "net", "gov", "ac"].includes(labels[labels.length - 1]!)) labels.pop();
  const service = labels[labels.length - 1];
  return service && service.length > 0 ? service : undefined;
}

/**
 * Validates a loose intent event and canonicalizes it: `action`, `resource.type`,
 * `data.sensitivity[]`, `data.volume` and `actor.type` against the vocabulary tables, and an
 * external API's host name to its service name. Pure; safe to call anywhere (the MCP server
 * uses it to explain decisions).
 *
 * @throws GovernorInitError `INVALID_INPUT` naming the malformed field (see {@link parseIntentEvent}).
 */
export function canonicalize(event: unknown): Canonicalization {
  const loose = parseIntentEvent(event);
  const trace: TraceStep[] = [];
  const step = (field: string, vocabulary: VocabularyField, raw: string): string => {
    const prediction = canonicalizeTerm(vocabulary, raw);
    trace.push({ field, raw_input: raw, prediction });
    return prediction.canonical;
  };

  const action = step("action", "action", loose.action);
  const resourceType = step("resource_type", "resource_type", loose.resource.type);
  const resource: CanonicalIntent["resource"] = { type: resourceType };
  if (loose.resource.name !== undefined) {
    resource.name = loose.resource.name;
    const service = resourceType === "external_api" ? serviceNameFromHost(loose.resource.name) : undefined;
    if (service !== undefined && service !== loose.resource.name) {
      resource.name = service;
      resource.host = loose.resource.name;
      trace.push({
        field: "resource_name",
        raw_input: loose.resource.name,
        prediction: { canonical: service, confidence: 0.9, source: "synonym" },
      });
    }
  }
  const data: CanonicalIntent["data"] = { sensitivity: [] };
  for (const level of loose.data?.sensitivity ?? []) {
    const canonical = step("sensitivity", "sensitivity", level);
    if (!data.sensitivity.includes(canonical)) data.sensitivity.push(canonical);
  }
  if (loose.data?.pii !== undefined) data.pii = loose.data.pii;
  if (loose.data?.volume !== undefined) data.volume = step("volume", "volume", loose.data.volume);
  const actor: CanonicalIntent["actor"] = {};
  if (loose.actor) {
    actor.id = loose.actor.id;
    if (loose.actor.type !== undefined) actor.type = step("actor_type", "actor_type", loose.actor.type);
  }

  return {
    canonical_intent: {
      action,
      actor,
      resource,
      data,
      risk: loose.risk ?? {},
      layer: loose.layer ?? DEFAULT_LAYER,
      context: loose.context ?? {},
    },
    canonicalization_trace: trace,
  };
}
