/**
 * Deterministic inference of an agent tool's intent (action, resource, data) from its name,
 * description and parameter schema. No model, no network: the same input always gives the same
 * intent, so a codemod's diff is reproducible and reviewable.
 *
 * The canonical actions and resource types, and most of their synonyms, come from the enforce
 * mock's vocabulary table (`core/vocabulary/vocabulary.ts`), the same one the mock canonicalizes
 * against, so an inferred intent is already in the vocabulary policies are written in. A verb or
 * resource word missing here belongs in that table. This file only adds what is specific to reading
 * tool names: well-known service names (→ `external_api` with that name), domain nouns that live in
 * a database, and PII / bulk hints.
 */
import { ACTIONS, RESOURCE_TYPES, VOLUMES } from "../../core/vocabulary/vocabulary.js";
import { TODO_ACTION, TODO_MARKER, TODO_RESOURCE_TYPE } from "../../templates/snippets/scopes.js";

/** What a tool is described by, as far as it can be read statically. */
export interface ToolDescriptionInput {
  /** The tool's name as the agent sees it (`get_weather`, `sendEmail`, `delete-file`). */
  name?: string;
  /** The tool's description. Used when the name alone is not enough. */
  description?: string;
  /**
   * The tool's parameters: a JSON schema (`{ type: "object", properties: { … } }`), a zod-like
   * shape (`{ email: …, ids: { type: "array" } }`), or just the parameter names.
   */
  parameters?: unknown;
}

/** The intent inferred for a tool: the `action`, `resource` and `data` of a `ToolIntentSpec`. */
export interface InferredIntent {
  action: string;
  resource: { type: string; name?: string };
  data?: { pii?: boolean; volume?: string };
  /**
   * A parameter whose value names the resource on each call (`path`, `url`, `table`, `command`):
   * `governTool` then sets `resource.name` from the call's argument. Only set when the resource
   * type has no static name and a parameter is exactly such a name.
   */
  resourceNameFrom?: string;
}

/** The result of {@link inferIntent}. */
export interface IntentInference {
  intent: InferredIntent;
  /** Why each field got its value, keyed by field (`action`, `resource.type`, `resource.name`, `data.pii`, `data.volume`). */
  explanation: Record<string, string>;
  /** When the handler's body decided the intent: what it does, in a few words (for the plan). */
  fromBody?: string;
  /**
   * True when both the action and the resource type were determined. When false, the undetermined
   * field holds a `TODO(governor): …` placeholder (see {@link TODO_ACTION}, {@link TODO_RESOURCE_TYPE}).
   */
  confident: boolean;
}

export { TODO_ACTION, TODO_MARKER, TODO_RESOURCE_TYPE };

/** Well-known external services: a token naming one gives `external_api` with that name. */
const SERVICES: readonly string[] = [
  "weather",
  "stripe",
  "slack",
  "github",
  "gitlab",
  "jira",
  "linear",
  "notion",
  "twilio",
  "sendgrid",
  "mailgun",
  "openai",
  "anthropic",
  "google",
  "gmail",
  "calendar",
  "discord",
  "telegram",
  "twitter",
  "shopify",
  "salesforce",
  "hubspot",
  "zendesk",
  "paypal",
  "spotify",
  "maps",
  "wikipedia",
  "news",
  "stock",
  "currency",
  "exchange",
  "flight",
  "hotel",
  "brave",
  "tavily",
  "serp",
  "bing",
];

/** Nouns of records that live in a database (the noun becomes `resource.name`). */
const DATABASE_NOUNS: readonly string[] = [
  "record",
  "user",
  "order",
  "customer",
  "account",
  "invoice",
  "product",
  "row",
  "ticket",
  "employee",
  "transaction",
  "payment",
  "inventory",
  "profile",
  "contact",
  "lead",
  "subscription",
  "booking",
];

/** Nouns of filesystem things the vocabulary does not list. */
const FILESYSTEM_NOUNS: readonly string[] = ["document", "doc", "filename", "filepath", "pdf", "csv"];

/** Parameters whose value names the resource of each call, by resource type. */
const RESOURCE_NAME_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  filesystem: ["path", "filePath", "file_path", "filename", "fileName", "file"],
  external_api: ["url", "endpoint"],
  database: ["table", "tableName", "table_name", "collection"],
  process: ["command", "cmd"],
};

/**
 * Parameter-name tokens that mark personal data on their own. A bare `name`, `title` or `file` does
 * not: most tools take a file's, a project's or a channel's name, and calling those PII would make a
 * policy refuse ordinary calls.
 */
const PII_TOKENS: readonly string[] = [
  "email",
  "phone",
  "ssn",
  "address",
  "dob",
  "birth",
  "birthdate",
  "birthday",
  "passport",
  "iban",
  "firstname",
  "lastname",
  "fullname",
  "surname",
  "username",
  "customername",
];
/** Words that make a following `name` a person's name (`first_name`, `customer_name`). */
const PERSON_NAME_PREFIXES: readonly string[] = [
  "first",
  "last",
  "full",
  "middle",
  "maiden",
  "given",
  "family",
  "sur",
  "user",
  "customer",
  "person",
  "patient",
];
/** Word pairs that mark personal data together, though neither does alone (`credit_card`, `card_number`). */
const PII_PAIRS: readonly (readonly [string, string])[] = [
  ["credit", "card"],
  ["card", "number"],
];

function buildLookup(entries: readonly { canonical: string; synonyms: readonly string[] }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    map.set(entry.canonical, entry.canonical);
    for (const synonym of entry.synonyms) if (!map.has(synonym)) map.set(synonym, entry.canonical);
  }
  return map;
}

const ACTION_LOOKUP = buildLookup(ACTIONS);
const RESOURCE_LOOKUP = buildLookup(RESOURCE_TYPES);
const BULK_WORDS = new Set(["bulk", ...(VOLUMES.find((v) => v.canonical === "bulk")?.synonyms ?? [])]);

/**
 * Splits an identifier or a sentence into lower-case word tokens:
 * `getWeatherForCity` → get weather for city; `delete-file`, `run_sql` and prose alike.
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

/** A plural's singular when the singular is a known word (`files` → `file`, `orders` → `order`). */
function singular(token: string, known: (word: string) => boolean): string {
  if (known(token)) return token;
  if (token.endsWith("ies") && known(token.slice(0, -3) + "y")) return token.slice(0, -3) + "y";
  if (token.endsWith("es") && known(token.slice(0, -2))) return token.slice(0, -2);
  if (token.endsWith("s") && known(token.slice(0, -1))) return token.slice(0, -1);
  return token;
}

interface ResourceMatch {
  type: string;
  name?: string;
  why: string;
}

/** A service or infrastructure word (`stripe`, `file`, `sql`, `api`, `command`): a strong hint of the resource. */
function strongResourceOf(token: string, where: string): ResourceMatch | undefined {
  const service = singular(token, (w) => SERVICES.includes(w));
  if (SERVICES.includes(service))
    return { type: "external_api", name: service, why: `service "${token}" in the ${where}` };
  const fsNoun = singular(token, (w) => FILESYSTEM_NOUNS.includes(w));
  if (FILESYSTEM_NOUNS.includes(fsNoun)) return { type: "filesystem", why: `noun "${token}" in the ${where}` };
  return vocabularyResourceOf(token, token, where);
}

/** A resource type the vocabulary table names by this word (or its singular). */
function vocabularyResourceOf(word: string, written: string, where: string): ResourceMatch | undefined {
  const canonical = RESOURCE_LOOKUP.get(singular(word, (w) => RESOURCE_LOOKUP.has(w)));
  return canonical ? { type: canonical, why: `vocabulary word "${written}" in the ${where}` } : undefined;
}

/** A record noun (`user`, `order`, `customer`): a database row, unless a stronger word says otherwise. */
function recordNounOf(token: string, where: string): ResourceMatch | undefined {
  const noun = singular(token, (w) => DATABASE_NOUNS.includes(w));
  if (DATABASE_NOUNS.includes(noun))
    return { type: "database", name: noun, why: `record noun "${token}" in the ${where}` };
  return undefined;
}

/**
 * The resource named by one source of tokens: its first strong word wins over record nouns
 * ("save a note for the customer to a file" is about a file); a record noun still names a
 * database found by a strong word (`query_orders_table` → database `order`).
 */
function resourceIn(tokens: readonly string[], where: string): ResourceMatch | undefined {
  let strong: ResourceMatch | undefined;
  let record: ResourceMatch | undefined;
  for (const [index, token] of tokens.entries()) {
    // Two-word vocabulary terms (`status_page`, `test_suite`) before the single word (`page`, `test`).
    const next = tokens[index + 1];
    if (next !== undefined) strong ??= vocabularyResourceOf(`${token}_${next}`, `${token} ${next}`, where);
    strong ??= strongResourceOf(token, where);
    record ??= recordNounOf(token, where);
    if (strong && record) break;
  }
  if (strong && strong.type === "database" && !strong.name && record)
    return { ...strong, name: record.name, why: `${strong.why} and ${record.why}` };
  return strong ?? record;
}

interface ParameterInfo {
  name: string;
  array: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads parameter names (and whether each is an array) from a JSON schema, a zod-like shape or a name list. */
function parametersOf(parameters: unknown): ParameterInfo[] {
  if (Array.isArray(parameters))
    return parameters.filter((p): p is string => typeof p === "string").map((name) => ({ name, array: false }));
  if (!isRecord(parameters)) return [];
  const shape = isRecord(parameters.properties)
    ? parameters.properties
    : parameters.type === "object"
      ? {}
      : parameters;
  return Object.entries(shape).map(([name, schema]) => ({
    name,
    array: schema === "array" || (isRecord(schema) && (schema.type === "array" || schema.array === true)),
  }));
}

/** Whether a parameter's name says it holds personal data (see {@link PII_TOKENS}, {@link PII_PAIRS}). */
export function isPiiParameter(name: string): boolean {
  const tokens = tokenize(name).map((t) => singular(t, (w) => PII_TOKENS.includes(w) || w === "name"));
  if (tokens.some((t) => PII_TOKENS.includes(t))) return true;
  if (PII_PAIRS.some(([a, b]) => tokens.some((t, i) => t === a && tokens[i + 1] === b))) return true;
  return tokens.some((t, i) => t === "name" && i > 0 && PERSON_NAME_PREFIXES.includes(tokens[i - 1]!));
}

/**
 * Infers a tool's intent deterministically from its name, description and parameters.
 *
 * - The action is the first verb of the name (else of the description), mapped to a canonical
 *   action: `get`/`fetch`/`list`/`search`/`query` → `read`; `create`/`send`/`update`/`upload`/`set`
 *   → `write`; `delete`/`remove`/`drop`/`cancel` → `delete`; `run`/`exec`/`invoke`/`deploy` → `execute`.
 * - The resource is the first noun of the name (else of the description, else of the parameter
 *   names) that names one: a known service (`weather`, `stripe`, `slack` → `external_api` with that
 *   name), a record (`user`, `order`, `customer` → `database` with that name), or a vocabulary word
 *   (`sql`/`table` → `database`, `url`/`api` → `external_api`, `file`/`path` → `filesystem`,
 *   `command`/`shell` → `process`, `email` → `email`, …).
 * - `data.pii` is true when a parameter names personal data (`email`, `phone`, `ssn`, `address`,
 *   `date_of_birth`, `credit_card`, a person's name such as `first_name` or `customer_name`, but
 *   not a bare `name`); `data.volume` is `bulk` for array parameters or "all"/"bulk"/"batch" wording.
 *
 * When `sideEffects` (what the handler's body does, see {@link inferIntentFromSites}) name a kind of
 * side effect, they decide the resource type and, where they tell, the action and the resource name:
 * the code that runs under the scope is what the policy should decide on. The name and description
 * fill in what the body does not tell (an HTTP method or a host that is not a literal).
 *
 * When the verb or the noun cannot be determined, `confident` is false and that field holds a
 * `TODO(governor): …` placeholder which the `check` command reports. Used by the intent-scopes
 * codemod and by the docs MCP server's `build_intent` tool.
 *
 * @example
 * inferIntent({ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } })
 * // → { intent: { action: "read", resource: { type: "external_api", name: "weather" } }, confident: true, … }
 */
export function inferIntent(input: ToolDescriptionInput, sideEffects: readonly SideEffect[] = []): IntentInference {
  const described = inferIntentFromDescription(input);
  const fromBody = inferIntentFromSites(sideEffects);
  return fromBody ? combineIntents(described, fromBody, input) : described;
}

/** {@link inferIntent} from the name, description and parameters alone. */
function inferIntentFromDescription(input: ToolDescriptionInput): IntentInference {
  const explanation: Record<string, string> = {};
  const nameTokens = input.name ? tokenize(input.name) : [];
  const descriptionTokens = input.description ? tokenize(input.description) : [];
  const parameters = parametersOf(input.parameters);

  let action: string | undefined;
  for (const [tokens, where] of [
    [nameTokens, "name"],
    [descriptionTokens, "description"],
  ] as const) {
    for (const [index, token] of tokens.entries()) {
      // "Call this tool when…" / "Use this to…" address the model; they are not what the tool does.
      if (where === "description" && ["this", "it", "me"].includes(tokens[index + 1] ?? "")) continue;
      const canonical = ACTION_LOOKUP.get(token) ?? ACTION_LOOKUP.get(singular(token, (w) => ACTION_LOOKUP.has(w)));
      if (canonical) {
        action = canonical;
        explanation.action = `verb "${token}" in the ${where} → ${canonical}`;
        break;
      }
    }
    if (action) break;
  }
  if (!action) explanation.action = "no known verb in the name or description: choose one by hand";

  let resource: ResourceMatch | undefined;
  const sources: [string[], string][] = [
    [nameTokens, "name"],
    [descriptionTokens, "description"],
    [parameters.flatMap((p) => tokenize(p.name)), "parameter names"],
  ];
  for (const [tokens, where] of sources) {
    resource = resourceIn(tokens, where);
    if (resource) break;
  }
  if (resource) {
    explanation["resource.type"] = `${resource.why} → ${resource.type}`;
    if (resource.name) explanation["resource.name"] = `"${resource.name}"`;
  } else {
    explanation["resource.type"] = "no known resource noun in the name, description or parameters: choose one by hand";
  }

  const data: NonNullable<InferredIntent["data"]> = {};
  const piiParameter = parameters.find((p) => isPiiParameter(p.name));
  if (piiParameter) {
    data.pii = true;
    explanation["data.pii"] = `parameter "${piiParameter.name}" holds personal data`;
  }
  const arrayParameter = parameters.find((p) => p.array);
  const bulkWord = [...nameTokens, ...descriptionTokens].find((t) => BULK_WORDS.has(t));
  if (arrayParameter) {
    data.volume = "bulk";
    explanation["data.volume"] = `parameter "${arrayParameter.name}" is an array → bulk`;
  } else if (bulkWord) {
    data.volume = "bulk";
    explanation["data.volume"] = `"${bulkWord}" in the name or description → bulk`;
  }

  const intent: InferredIntent = {
    action: action ?? TODO_ACTION,
    resource: resource
      ? resource.name
        ? { type: resource.type, name: resource.name }
        : { type: resource.type }
      : { type: TODO_RESOURCE_TYPE },
  };
  if (data.pii !== undefined || data.volume !== undefined) intent.data = data;
  const nameParameter =
    resource && !resource.name
      ? parameters.find((p) => RESOURCE_NAME_PARAMETERS[resource!.type]?.includes(p.name))
      : undefined;
  if (nameParameter) {
    intent.resourceNameFrom = nameParameter.name;
    explanation.resourceNameFrom = `parameter "${nameParameter.name}" names the ${resource!.type} resource of each call`;
  }
  return { intent, explanation, confident: action !== undefined && resource !== undefined };
}

/** The kinds of side effect the primitive finder reports (`PrimitiveSite["kind"]`). */
export type SideEffectKind = "fetch" | "axios" | "http" | "undici" | "child_process" | "fs" | "sql";

/** One side effect in a tool handler's body, as far as its call can be read statically. */
export interface SideEffect {
  kind: SideEffectKind;
  /** The function called (`fetch`, `post`, `execFile`, `writeFile`, `rmSync`, `query`). */
  operation?: string;
  /** HTTP: the URL's host, when the URL is a literal with a literal host. */
  host?: string;
  /** HTTP: the method, when known (upper case; `GET` for a call that sends no method). */
  method?: string;
  /** child_process: the program run (`du`; `sh` for a shell command line). */
  program?: string;
  /** sql: the SQL text, when it is a literal. */
  sql?: string;
}

/** The intent a handler's side effects decide (see {@link inferIntentFromSites}). */
export interface SideEffectIntent {
  /** Undefined when the effect does not tell (an HTTP call whose method is not a literal, SQL that is not). */
  action?: string;
  resource: { type: string; name?: string };
  /** Why, keyed like {@link IntentInference.explanation}. */
  explanation: Record<string, string>;
  /** What the body does, in a few words: `fetch to docs.example.com`, `execFile du`. */
  summary: string;
}

const HTTP_KINDS: ReadonlySet<SideEffectKind> = new Set(["fetch", "axios", "http", "undici"]);
/** How consequential an action is: a handler doing several things is scoped by the most consequential. */
const ACTION_RANK: Readonly<Record<string, number>> = { read: 1, write: 2, delete: 3, execute: 4 };
/** An effect whose action cannot be read (an HTTP call with a computed method) may still write. */
const UNKNOWN_ACTION_RANK = 1.5;
const FS_DELETE_OPERATIONS = new Set(["rm", "rmdir", "unlink"]);

function httpAction(method: string | undefined): string | undefined {
  if (method === undefined) return undefined;
  const upper = method.toUpperCase();
  if (["GET", "HEAD", "OPTIONS"].includes(upper)) return "read";
  if (upper === "DELETE") return "delete";
  return "write";
}

/** The verb of a literal SQL statement (`SELECT` → read, `INSERT`/`UPDATE` → write, `DELETE`/`DROP` → delete). */
export function sqlAction(sql: string): string | undefined {
  const verb = /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase();
  if (verb === undefined) return undefined;
  if (["select", "show", "explain", "describe"].includes(verb)) return "read";
  if (["insert", "update", "upsert", "merge", "replace", "create", "alter", "grant", "revoke"].includes(verb))
    return "write";
  if (["delete", "drop", "truncate"].includes(verb)) return "delete";
  return undefined;
}

interface ReadEffect {
  action?: string;
  type: string;
  name?: string;
  what: string;
}

function readEffect(effect: SideEffect): ReadEffect {
  const operation = effect.operation ?? effect.kind;
  if (HTTP_KINDS.has(effect.kind)) {
    const to = effect.host ? ` to ${effect.host}` : "";
    const method = effect.method ? ` ${effect.method}` : "";
    return {
      action: httpAction(effect.method),
      type: "external_api",
      name: effect.host,
      what: `${operation}${method}${to}`,
    };
  }
  if (effect.kind === "child_process")
    return {
      action: "execute",
      type: "process",
      name: effect.program,
      what: effect.program ? `${operation} ${effect.program}` : operation,
    };
  if (effect.kind === "fs") {
    const base = operation.replace(/Sync$/, "");
    return { action: FS_DELETE_OPERATIONS.has(base) ? "delete" : "write", type: "filesystem", what: operation };
  }
  return { action: effect.sql === undefined ? undefined : sqlAction(effect.sql), type: "database", what: operation };
}

/** Operations that only prepare a place for the effect (a directory for the file a handler then writes). */
const PREPARATORY_OPERATIONS = new Set(["mkdir", "mkdtemp"]);

function rank(effect: ReadEffect): number {
  const base = effect.action === undefined ? UNKNOWN_ACTION_RANK : (ACTION_RANK[effect.action] ?? UNKNOWN_ACTION_RANK);
  // At the same rank, the write that carries the data (writeFile) names the intent, not the mkdir before it.
  const operation = effect.what.replace(/^.*\./, "").replace(/Sync$/, "");
  return effect.type === "filesystem" && PREPARATORY_OPERATIONS.has(operation) ? base - 0.01 : base;
}

/**
 * The intent a tool handler's side effects decide, or undefined when it has none that can be read.
 *
 * - HTTP (`fetch`, axios, `http`/`https`, undici) → `external_api`, named by the URL's literal host;
 *   `GET`/`HEAD` → read, `DELETE` → delete, any other method → write, a computed method → undecided.
 * - `child_process` → execute `process`, named by the program (`sh` for a shell command line).
 * - `fs` writes → write `filesystem` (delete for `rm`/`rmdir`/`unlink`).
 * - SQL → `database`, the action from a literal statement's verb.
 *
 * Side effects of several kinds: the most consequential decides (execute > delete > write > read);
 * the spec stays one static intent. A name is only kept when every effect of the chosen kind agrees
 * on it. Pure, so the docs MCP server's `build_intent` tool can call it too.
 *
 * @example
 * inferIntentFromSites([{ kind: "fetch", host: "api.example.com", method: "POST" }])
 * // → { action: "write", resource: { type: "external_api", name: "api.example.com" }, … }
 */
export function inferIntentFromSites(sideEffects: readonly SideEffect[]): SideEffectIntent | undefined {
  if (sideEffects.length === 0) return undefined;
  const effects = sideEffects.map(readEffect);
  const chosen = effects.reduce((best, effect) => (rank(effect) > rank(best) ? effect : best));
  const sameType = effects.filter((e) => e.type === chosen.type);
  const names = new Set(sameType.map((e) => e.name));
  const name = names.size === 1 ? chosen.name : undefined;
  const others = [...new Set(effects.filter((e) => e.type !== chosen.type).map((e) => `${e.action ?? "?"} ${e.type}`))];
  const explanation: Record<string, string> = {};
  const why = `${chosen.what} in the handler's body`;
  explanation["resource.type"] =
    others.length > 0
      ? `${why} → ${chosen.type}, the most consequential of its side effects (also: ${others.join(", ")})`
      : `${why} → ${chosen.type}`;
  if (chosen.action !== undefined) explanation.action = `${why} → ${chosen.action}`;
  if (name !== undefined) explanation["resource.name"] = `"${name}" from the handler's body`;
  const summary = others.length > 0 ? `${chosen.what}, the most consequential of its side effects` : chosen.what;
  const intent: SideEffectIntent = {
    resource: name !== undefined ? { type: chosen.type, name } : { type: chosen.type },
    explanation,
    summary,
  };
  if (chosen.action !== undefined) intent.action = chosen.action;
  return intent;
}

/** The described intent with what the handler's body decides laid over it. */
function combineIntents(
  described: IntentInference,
  fromBody: SideEffectIntent,
  input: ToolDescriptionInput,
): IntentInference {
  const explanation = { ...described.explanation, ...fromBody.explanation };
  const describedAction = described.intent.action === TODO_ACTION ? undefined : described.intent.action;
  const action = fromBody.action ?? describedAction;
  // A name the body does not tell (a computed URL) is kept from the tool's name or description.
  const name = fromBody.resource.name ?? described.intent.resource.name;
  if (fromBody.resource.name === undefined && name !== undefined)
    explanation["resource.name"] = `"${name}" from the tool's name or description (not a literal in the body)`;
  else if (name === undefined) delete explanation["resource.name"];
  const intent: InferredIntent = {
    action: action ?? TODO_ACTION,
    resource: name !== undefined ? { type: fromBody.resource.type, name } : { type: fromBody.resource.type },
  };
  if (described.intent.data) intent.data = described.intent.data;
  delete explanation.resourceNameFrom;
  if (name === undefined) {
    const nameParameter = parametersOf(input.parameters).find((p) =>
      RESOURCE_NAME_PARAMETERS[fromBody.resource.type]?.includes(p.name),
    );
    if (nameParameter) {
      intent.resourceNameFrom = nameParameter.name;
      explanation.resourceNameFrom = `parameter "${nameParameter.name}" names the ${fromBody.resource.type} resource of each call`;
    }
  }
  return { intent, explanation, confident: action !== undefined, fromBody: fromBody.summary };
}
