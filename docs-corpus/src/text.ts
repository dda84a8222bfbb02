/**
 * Tokenizing, term normalization and the synonym table, shared by the index build and the query side
 * so both see the same terms.
 */

// Question words and glue that every query has and no section is about.
const STOP_WORDS = new Set(
  (
    "a an and are as at be by can do does for from how i if in into is it its me my of on or our so that the " +
    "their them then there these this to up use using was we what when where which who why will with you your " +
    "should would could get want need make set via vs am any all about after before"
  ).split(" "),
);

// Word families folded to one term at index and query time, so "denied", "denial" and "deny" meet.
// A Map, not an object: words like "constructor" must not find Object.prototype's members.
const TERM_FAMILIES = new Map<string, string>();
for (const [canonical, variants] of Object.entries({
  deny: "denied denies denying denial denials blocked blocks block refused refuse refuses forbidden rejected reject",
  allow: "allowed allows allowing permit permitted",
  test: "tests testing tested tester vitest jest",
  install: "installing installed installation installs setup",
  configure: "configuration config configuring configured configs settings options option",
  environment: "env environments",
  variable: "variables vars var",
  wrap: "wrapping wrapped wraps wrapper",
  govern: "governed governing governs governance",
  enable: "enabled enables enabling activate activation activating",
  disable: "disabled disables disabling",
  cache: "cached caching caches",
  token: "tokens",
  tool: "tools",
  handler: "handlers",
  agent: "agents",
  recipe: "recipes",
  start: "started starting",
  error: "errors",
  timeout: "timeouts",
  route: "routes routing",
  worker: "workers",
  queue: "queues",
  request: "requests",
  decision: "decisions decide decides decided",
  intent: "intents",
  fail: "fails failing failed failure failures",
  unavailable: "unreachable down offline outage",
  commonjs: "cjs require",
  esm: "esmodule esmodules",
  nextjs: "next.js",
  middleware: "middlewares",
  exempt: "exemption exemptions exempted allowlist whitelist skip skipping ignore",
  audit: "audited auditing",
  canonicalize: "canonicalization canonicalized canonical canonicalizes",
  sign: "signed signing signature signatures hmac",
  mock: "mocks mocked mocking fake",
  policy: "policies",
  bypass: "bypassing bypassed",
  preload: "preloading preloaded",
  serverless: "lambda lambdas",
  flag: "flags",
  command: "commands",
}) as Array<[string, string]>) {
  for (const variant of variants.split(" ")) TERM_FAMILIES.set(variant, canonical);
}

/**
 * Related terms a query is widened with (at a lower weight): what a developer types → what the docs say.
 * Keys and values are already-normalized terms.
 */
export const QUERY_SYNONYMS: Record<string, string[]> = {
  unavailable: ["governorunavailableerror", "closed", "fail"],
  deny: ["governordeniederror"],
  vercel: ["ai", "generatetext", "streamtext"],
  openai: ["agents"],
  cursor: ["mcp", "client"],
  claude: ["mcp", "client"],
  copilot: ["vscode", "mcp"],
  vscode: ["mcp"],
  windsurf: ["mcp"],
  codex: ["mcp"],
  gemini: ["mcp"],
  zed: ["mcp"],
  opencode: ["mcp"],
  environment: ["variable", "governor_enforce_url"],
  secret: ["sign", "token", "governor_decision_secret"],
  token: ["sign"],
  log: ["audit"],
  trail: ["audit"],
  actor: ["withactor"],
  user: ["actor"],
  lambda: ["serverless"],
  bullmq: ["queue", "worker"],
  fastapi: ["python"],
  requests: ["python"],
  python: ["fastapi"],
  workflow: ["n8n"],
  nodeoptions: ["preload", "node_options"],
  node_options: ["preload"],
  esm: ["import", "module"],
  commonjs: ["require"],
  bundler: ["webpack", "esbuild"],
  webpack: ["bundler"],
  esbuild: ["bundler"],
  exempt: ["governor_exempt"],
  health: ["exempt"],
  ci: ["check"],
  slow: ["timeout", "governor_timeout_ms"],
  latency: ["timeout"],
  "401": ["apikey", "governor_api_key"],
  trace: ["canonicalize"],
  why: ["reason"],
  request_id: ["requestid"],
  requestid: ["request_id"],
  dev: ["bypass", "local"],
  local: ["mock"],
  schema: ["intentevent"],
  intent: ["intentevent"],
};

/** Folds a term to its family and trims the commonest English suffix. */
export function normalizeTerm(raw: string): string | null {
  const term = raw.toLowerCase().replace(/^[-@./]+|[./]+$/g, "");
  if (term.length === 0 || STOP_WORDS.has(term)) return null;
  const family = TERM_FAMILIES.get(term);
  if (family) return family;
  if (term.length > 5 && /[^s]s$/.test(term) && !/[_$]/.test(term))
    return TERM_FAMILIES.get(term.slice(0, -1)) ?? term.slice(0, -1);
  return term;
}

/**
 * Splits text into raw tokens: whole identifiers (`GOVERNOR_FAIL_MODE`, `withActor`, `next.js`) and, for
 * compound ones, their parts, so `with actor` finds `withActor` and `withActor` finds itself.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}_$]+(?:[.'][\p{L}\p{N}_$]+)*/gu)) {
    const word = match[0];
    tokens.push(word.replace(/'/g, ""));
    const segments = word.split(/[_.$']+/).filter((segment) => segment.length > 0);
    if (segments.length > 1) tokens.push(...segments);
    for (const segment of segments) {
      const parts = segment
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .split(" ")
        .filter((part) => part.length > 0);
      if (parts.length > 1) tokens.push(...parts);
    }
  }
  return tokens;
}

/** Normalized terms of a text, stop words removed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const term = normalizeTerm(token);
    if (term) out.push(term);
  }
  return out;
}

/**
 * Normalized terms of a query. A compound word the corpus knows whole (`GOVERNOR_FAIL_MODE`,
 * `withActor`) stands for itself: its parts would match every page that says "governor".
 */
export function queryTerms(query: string, isKnownWhole: (term: string) => boolean): string[] {
  const out: string[] = [];
  for (const match of query.matchAll(/[\p{L}\p{N}_$]+(?:[.'][\p{L}\p{N}_$]+)*/gu)) {
    const word = match[0].replace(/'/g, "");
    const whole = normalizeTerm(word);
    const isCompound = /[_.$]|[a-z][A-Z]/.test(word);
    if (whole && isCompound && isKnownWhole(whole)) {
      out.push(whole);
      continue;
    }
    out.push(...terms(word));
  }
  return [...new Set(out)];
}
