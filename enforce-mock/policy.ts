/**
 * Policies of the enforce mock: the document format, validation with clear errors, the two
 * presets, and the pure decision function.
 *
 * Precedence (the one rule to remember): **deny rules beat allow rules**. Every deny rule is
 * tried first, in file order, and the first that matches decides `DENY` with its reason; then
 * the allow rules, in file order, and the first that matches decides `ALLOW`; when no rule
 * matches, the policy's `default` decides. Within one rule, every condition given must hold
 * (AND); a condition listing several values holds when any of them does (OR).
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";
import { canonicalizeTerm, type CanonicalIntent, type TraceStep } from "../core/vocabulary/canonicalize.js";
import type { VocabularyField } from "../core/vocabulary/vocabulary.js";

/** What a rule does when it matches, and what a policy does when none does. */
export type Effect = "allow" | "deny";

/** One value, or a list of which any may match. */
export type OneOrMany<T> = T | T[];

/**
 * The conditions of a rule; every condition given must hold. Terms (`action`, `resource_type`,
 * `sensitivity`, `actor_type`) are canonicalized when the policy is loaded, so `query` in a rule
 * means `read`. Globs use picomatch syntax (`*` stops at `/`, `**` does not).
 */
export interface RuleMatch {
  /** Canonical actions, for example `read` or `[write, delete]`. */
  action?: OneOrMany<string>;
  /** Canonical resource types, for example `database`. */
  resource_type?: OneOrMany<string>;
  /** Globs on the resource name (for an external API, the service name or its original host). An event without a name never matches. */
  resource_name?: OneOrMany<string>;
  /** Holds when the event's data carries any of these sensitivity levels. */
  sensitivity?: OneOrMany<string>;
  /** Holds when the event's `data.pii` equals this; an event that does not say counts as `false`. */
  pii?: boolean;
  /** Globs on the actor's id. An event without an actor never matches. */
  actor_id?: OneOrMany<string>;
  /** Canonical actor types, for example `agent`. */
  actor_type?: OneOrMany<string>;
}

/** One rule of a policy. */
export interface PolicyRule {
  /** Unique within the policy; reported as `matched_rule`. */
  id: string;
  effect: Effect;
  /** A short human reason, reported with the decision (the SDK shows it in denials). */
  reason: string;
  /** Conditions; an empty or absent match holds for every event. */
  match?: RuleMatch;
}

/** A policy file (YAML or JSON) or a policy installed through `POST /api/v2/policies/install`. */
export interface PolicyDocument {
  name?: string;
  /** The decision when no rule matches. */
  default: Effect;
  rules: PolicyRule[];
}

/** What {@link decide} answers. */
export interface PolicyDecision {
  decision: "ALLOW" | "DENY";
  reason: string;
  /** The id of the deciding rule, or `null` when the policy's default decided. */
  matched_rule: string | null;
}

interface CompiledRule {
  id: string;
  effect: Effect;
  reason: string;
  actions?: Set<string>;
  resourceTypes?: Set<string>;
  resourceName?: (name: string) => boolean;
  sensitivity?: Set<string>;
  pii?: boolean;
  actorId?: (id: string) => boolean;
  actorTypes?: Set<string>;
}

/** A validated policy, ready for {@link decide}. Build one with {@link compilePolicy} or {@link loadPolicy}. */
export interface CompiledPolicy {
  readonly name: string;
  readonly default: Effect;
  /** The document as given (before canonicalization of its terms). */
  readonly document: PolicyDocument;
  /** How each rule term was canonicalized (`rules[0].match.action`: `query` → `read`). */
  readonly trace: readonly TraceStep[];
  readonly stats: { rules: number; allow_rules: number; deny_rules: number; default: Effect };
  /** @internal deny rules first, then allow rules, each in document order. */
  readonly ordered: readonly CompiledRule[];
}

/** The preset that allows everything. */
export const ALLOW_ALL: PolicyDocument = Object.freeze({
  name: "allow-all",
  default: "allow",
  rules: [],
}) as PolicyDocument;
/** The preset that denies everything. */
export const DENY_ALL: PolicyDocument = Object.freeze({
  name: "deny-all",
  default: "deny",
  rules: [],
}) as PolicyDocument;
/** Preset names accepted wherever a policy file is. */
export const POLICY_PRESETS = { "allow-all": ALLOW_ALL, "deny-all": DENY_ALL } as const;

const RULE_KEYS = new Set(["id", "effect", "reason", "match"]);
const MATCH_KEYS = new Set([
  "action",
  "resource_type",
  "resource_name",
  "sensitivity",
  "pii",
  "actor_id",
  "actor_type",
]);
const TOP_KEYS = new Set(["name", "default", "rules", "description", "version"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function policyError(
  source: string | undefined,
  message: string,
  details: Record<string, unknown> = {},
): GovernorInitError {
  return new GovernorInitError(ErrorCodes.INVALID_POLICY, source ? `${source}: ${message}` : message, {
    details: { ...details, ...(source ? { file: source } : {}) },
    suggestion:
      "Fix the policy: `default: allow|deny` and `rules: [{ id, effect: allow|deny, reason, match: {...} }]`. See enforce-mock/policies/example.yaml.",
  });
}

function stringList(value: unknown, where: string, source: string | undefined, ruleIndex: number): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw policyError(source, `${where} must not be an empty list`, { rule: ruleIndex });
  list.forEach((item, i) => {
    if (typeof item !== "string" || item.trim() === "") {
      throw policyError(source, `${where}${Array.isArray(value) ? `[${i}]` : ""} must be a non-empty string`, {
        rule: ruleIndex,
      });
    }
  });
  return list as string[];
}

/**
 * Validates a policy document and compiles it for {@link decide}: rule terms are
 * canonicalized (with a trace), globs compiled, and rules ordered deny-first.
 *
 * @param source shown in error messages (a file name); omitted for documents from the API.
 * @throws GovernorInitError `INVALID_POLICY` naming the rule index and field
 *   (`policy.yaml: rules[2].effect must be "allow" or "deny"`).
 */
export function compilePolicy(document: unknown, source?: string): CompiledPolicy {
  if (!isPlainObject(document)) throw policyError(source, "a policy must be an object with `default` and `rules`");
  for (const key of Object.keys(document)) {
    if (!TOP_KEYS.has(key)) throw policyError(source, `unknown top-level key "${key}" (expected name, default, rules)`);
  }
  const name = document.name;
  if (name !== undefined && (typeof name !== "string" || name.trim() === ""))
    throw policyError(source, "name must be a non-empty string");
  if (document.default !== "allow" && document.default !== "deny") {
    throw policyError(
      source,
      `default must be "allow" or "deny" (got ${JSON.stringify(document.default) ?? "nothing"})`,
    );
  }
  if (!Array.isArray(document.rules)) throw policyError(source, "rules must be a list (use [] for none)");

  const trace: TraceStep[] = [];
  const ids = new Set<string>();
  const compiled: Array<CompiledRule & { index: number }> = [];

  document.rules.forEach((rule: unknown, index: number) => {
    const at = `rules[${index}]`;
    if (!isPlainObject(rule)) throw policyError(source, `${at} must be an object`, { rule: index });
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.has(key))
        throw policyError(source, `${at} has unknown key "${key}" (expected id, effect, reason, match)`, {
          rule: index,
        });
    }
    if (typeof rule.id !== "string" || rule.id.trim() === "")
      throw policyError(source, `${at}.id must be a non-empty string`, { rule: index });
    if (ids.has(rule.id))
      throw policyError(source, `${at}.id "${rule.id}" is used by an earlier rule`, { rule: index });
    ids.add(rule.id);
    if (rule.effect !== "allow" && rule.effect !== "deny") {
      throw policyError(source, `${at}.effect must be "allow" or "deny"`, { rule: index });
    }
    if (typeof rule.reason !== "string" || rule.reason.trim() === "") {
      throw policyError(source, `${at}.reason must be a non-empty string`, { rule: index });
    }
    const out: CompiledRule & { index: number } = { id: rule.id, effect: rule.effect, reason: rule.reason, index };
    if (rule.match !== undefined && rule.match !== null) {
      const match = rule.match;
      if (!isPlainObject(match)) throw policyError(source, `${at}.match must be an object`, { rule: index });
      for (const key of Object.keys(match)) {
        // An unknown (misspelt) condition would silently widen the rule; refuse it.
        if (!MATCH_KEYS.has(key)) {
          throw policyError(source, `${at}.match has unknown key "${key}" (expected ${[...MATCH_KEYS].join(", ")})`, {
            rule: index,
          });
        }
      }
      const terms = (key: string, vocabulary: VocabularyField): Set<string> | undefined => {
        if (match[key] === undefined) return undefined;
        const values = stringList(match[key], `${at}.match.${key}`, source, index);
        return new Set(
          values.map((raw) => {
            const prediction = canonicalizeTerm(vocabulary, raw);
            trace.push({ field: `${at}.match.${key}`, raw_input: raw, prediction });
            return prediction.canonical;
          }),
        );
      };
      const globs = (key: string): ((value: string) => boolean) | undefined => {
        if (match[key] === undefined) return undefined;
        const patterns = stringList(match[key], `${at}.match.${key}`, source, index);
        try {
          return picomatch(patterns, { dot: true });
        } catch (error) {
          throw policyError(source, `${at}.match.${key} has an invalid glob: ${(error as Error).message}`, {
            rule: index,
          });
        }
      };
      out.actions = terms("action", "action");
      out.resourceTypes = terms("resource_type", "resource_type");
      out.sensitivity = terms("sensitivity", "sensitivity");
      out.actorTypes = terms("actor_type", "actor_type");
      out.resourceName = globs("resource_name");
      out.actorId = globs("actor_id");
      if (match.pii !== undefined) {
        if (typeof match.pii !== "boolean")
          throw policyError(source, `${at}.match.pii must be true or false`, { rule: index });
        out.pii = match.pii;
      }
    }
    compiled.push(out);
  });

  const deny = compiled.filter((r) => r.effect === "deny");
  const allow = compiled.filter((r) => r.effect === "allow");
  const effect: Effect = document.default;
  const result: CompiledPolicy = {
    name: typeof name === "string" ? name : source ? basename(source) : "unnamed",
    default: effect,
    document: document as unknown as PolicyDocument,
    trace,
    stats: { rules: compiled.length, allow_rules: allow.length, deny_rules: deny.length, default: effect },
    ordered: [...deny, ...allow],
  };
  return Object.freeze(result);
}

/**
 * Loads a policy: a preset name (`allow-all`, `deny-all`), a path to a YAML (`.yaml`, `.yml`)
 * or JSON file, or a {@link PolicyDocument} object.
 *
 * @throws GovernorInitError `NOT_FOUND` when the file cannot be read, `INVALID_POLICY` when it
 *   does not parse or validate (the message names the file and the rule index).
 */
export function loadPolicy(fileOrPreset: string | PolicyDocument): CompiledPolicy {
  if (typeof fileOrPreset !== "string") return compilePolicy(fileOrPreset);
  const preset = (POLICY_PRESETS as Record<string, PolicyDocument>)[fileOrPreset];
  if (preset) return compilePolicy(preset);
  let text: string;
  try {
    text = readFileSync(fileOrPreset, "utf8");
  } catch (error) {
    throw new GovernorInitError(
      ErrorCodes.NOT_FOUND,
      `Cannot read policy file ${fileOrPreset}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        cause: error,
        suggestion: "Pass --policy allow-all, --policy deny-all, or the path of an existing YAML or JSON policy file.",
        details: { file: fileOrPreset },
      },
    );
  }
  let document: unknown;
  try {
    document = extname(fileOrPreset).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw policyError(fileOrPreset, `does not parse: ${(error as Error).message}`);
  }
  return compilePolicy(document, fileOrPreset);
}

const compiledDocuments = new WeakMap<object, CompiledPolicy>();

/** Whether `value` is a compiled policy (rather than a raw document). */
function isCompiled(policy: CompiledPolicy | PolicyDocument): policy is CompiledPolicy {
  return Array.isArray((policy as CompiledPolicy).ordered);
}

/** The condition of a rule that an intent fails, or `null` when every condition holds. */
function failedCondition(rule: CompiledRule, intent: CanonicalIntent): keyof RuleMatch | null {
  if (rule.actions && !rule.actions.has(intent.action)) return "action";
  if (rule.resourceTypes && !rule.resourceTypes.has(intent.resource.type)) return "resource_type";
  if (rule.resourceName) {
    const { name, host } = intent.resource;
    if (!((name !== undefined && rule.resourceName(name)) || (host !== undefined && rule.resourceName(host)))) {
      return "resource_name";
    }
  }
  if (rule.sensitivity && !intent.data.sensitivity.some((level) => rule.sensitivity!.has(level))) return "sensitivity";
  if (rule.pii !== undefined && (intent.data.pii ?? false) !== rule.pii) return "pii";
  if (rule.actorId && (intent.actor.id === undefined || !rule.actorId(intent.actor.id))) return "actor_id";
  if (rule.actorTypes && (intent.actor.type === undefined || !rule.actorTypes.has(intent.actor.type)))
    return "actor_type";
  return null;
}

function compiledFrom(policy: CompiledPolicy | PolicyDocument): CompiledPolicy {
  if (isCompiled(policy)) return policy;
  let compiled = compiledDocuments.get(policy);
  if (!compiled) {
    compiled = compilePolicy(policy);
    compiledDocuments.set(policy, compiled);
  }
  return compiled;
}

/**
 * Decides a canonical intent under a policy. Deny rules beat allow rules; among rules of the
 * same effect the first match (in document order) wins and its reason is reported; when no
 * rule matches, the policy's default decides. Pure.
 *
 * @param policy a compiled policy, or a document (compiled once and remembered).
 * @param intent the `canonical_intent` from {@link canonicalize}.
 */
export function decide(policy: CompiledPolicy | PolicyDocument, intent: CanonicalIntent): PolicyDecision {
  const compiled = compiledFrom(policy);
  for (const rule of compiled.ordered) {
    if (failedCondition(rule, intent) === null) {
      return { decision: rule.effect === "allow" ? "ALLOW" : "DENY", reason: rule.reason, matched_rule: rule.id };
    }
  }
  return defaultDecision(compiled);
}

function defaultDecision(compiled: CompiledPolicy): PolicyDecision {
  return {
    decision: compiled.default === "allow" ? "ALLOW" : "DENY",
    reason: `No rule matched; policy "${compiled.name}" defaults to ${compiled.default}.`,
    matched_rule: null,
  };
}

/** How one rule fared in {@link explainDecision}. */
export interface RuleEvaluation {
  id: string;
  effect: Effect;
  reason: string;
  /** Whether every condition held. */
  matched: boolean;
  /** The first condition that did not hold (in the order action, resource_type, resource_name, sensitivity, pii, actor_id, actor_type). */
  failed?: keyof RuleMatch;
}

/** What {@link explainDecision} answers: the decision plus how every rule fared, in evaluation order. */
export interface DecisionExplanation extends PolicyDecision {
  policy: string;
  default: Effect;
  /** Deny rules first, then allow rules, each in document order: the order they are tried. */
  rules: RuleEvaluation[];
}

/**
 * Decides like {@link decide} and also reports, for every rule in the order rules are tried,
 * whether it matched and otherwise which condition failed. For "why was this denied?" answers
 * (the docs MCP server). Pure.
 */
export function explainDecision(policy: CompiledPolicy | PolicyDocument, intent: CanonicalIntent): DecisionExplanation {
  const compiled = compiledFrom(policy);
  const rules: RuleEvaluation[] = compiled.ordered.map((rule) => {
    const failed = failedCondition(rule, intent);
    return {
      id: rule.id,
      effect: rule.effect,
      reason: rule.reason,
      matched: failed === null,
      ...(failed ? { failed } : {}),
    };
  });
  const first = rules.find((rule) => rule.matched);
  const verdict: PolicyDecision = first
    ? { decision: first.effect === "allow" ? "ALLOW" : "DENY", reason: first.reason, matched_rule: first.id }
    : defaultDecision(compiled);
  return { ...verdict, policy: compiled.name, default: compiled.default, rules };
}
