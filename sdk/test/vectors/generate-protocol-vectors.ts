/**
 * Generates protocol-vectors.json from the Node implementation (sdk/src/protocol.ts): intents with
 * their stable JSON and hash, and decision tokens with the verdict each must get. Both SDKs' tests
 * read the file (sdk/test/protocol-vectors.test.ts and sdk-python/tests/test_protocol_vectors.py),
 * so the two implementations cannot drift apart.
 *
 * Run once after changing the protocol: `npx tsx sdk/test/vectors/generate-protocol-vectors.ts &&
 * npx prettier --write sdk/test/vectors/protocol-vectors.json`.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { httpIntent, sqlIntent } from "../../src/intents.js";
import { intentHash, signDecisionToken, stableStringify, type DecisionTokenClaims } from "../../src/protocol.js";

const intents: Array<{ name: string; intent: unknown }> = [
  { name: "minimal", intent: { action: "read", resource: { type: "database" } } },
  {
    name: "contract example",
    intent: {
      action: "query",
      actor: { id: "user-123", type: "user" },
      resource: { type: "postgres_db", name: "users" },
      data: { sensitivity: ["confidential"], pii: false, volume: "single" },
      risk: { authn: "required" },
      layer: "L4",
    },
  },
  {
    name: "keys out of order at every depth",
    intent: {
      resource: { name: "orders", type: "database" },
      action: "write",
      context: { z: 1, a: { y: [3, 2], b: null } },
    },
  },
  {
    name: "derived http intent",
    intent: {
      action: "read",
      resource: { type: "external_api", name: "api.stripe.com" },
      context: { primitive: "http.client", method: "GET", url: "https://api.stripe.com/v1/charges" },
      layer: "L4",
      tenantId: "t-1",
    },
  },
  {
    name: "numbers as JavaScript writes them",
    intent: {
      action: "write",
      resource: { type: "filesystem", name: "/tmp/x" },
      context: { ints: [0, -1, 42, 9007199254740991], floats: [0.5, -2.25, 1e21, 1e-7, 0.000001, 123456.789, 1e300] },
    },
  },
  {
    name: "strings with escapes and non-ASCII",
    intent: {
      action: "execute",
      resource: { type: "process", name: "sh" },
      context: { command: 'echo "hi"\n\ttab\\slash \u0001 \u001f \u007f', text: "café ☕ 日本 😀 \u2028" },
    },
  },
  {
    name: "keys sorted by UTF-16 code units",
    intent: {
      action: "read",
      resource: { type: "x" },
      context: { é: 1, e: 2, E: 3, "😀": 4, "\uffff": 5, "10": 6, "9": 7 },
    },
  },
  {
    name: "empty containers and booleans",
    intent: { action: "read", resource: { type: "x" }, context: { a: [], o: {}, t: true, f: false } },
  },
];

const secret = "vector-secret";
const now = 1_800_000_000_000;
const subject = intents[1]!.intent;
const hash = intentHash(subject);
const claims = (over: Partial<DecisionTokenClaims> = {}): DecisionTokenClaims => ({
  intent_hash: hash,
  decision: "ALLOW",
  request_id: "req-1",
  exp: now + 30_000,
  ...over,
});
const valid = signDecisionToken(claims(), secret);
const [version, payload, signature] = valid.split(".") as [string, string, string];
const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;

const tokens = [
  { name: "valid", token: valid, expect: { ok: true, request_id: "req-1" } },
  {
    name: "signed with another secret",
    token: signDecisionToken(claims(), "other"),
    expect: { ok: false, problem: "bad-signature" },
  },
  {
    name: "signature altered",
    token: `${version}.${payload}.${flipped}`,
    expect: { ok: false, problem: "bad-signature" },
  },
  {
    name: "payload altered",
    token: `${version}.${Buffer.from(JSON.stringify(claims({ decision: "DENY" }))).toString("base64url")}.${signature}`,
    expect: { ok: false, problem: "bad-signature" },
  },
  {
    name: "expired",
    token: signDecisionToken(claims({ exp: now - 1 }), secret),
    expect: { ok: false, problem: "expired" },
  },
  {
    name: "expires exactly now",
    token: signDecisionToken(claims({ exp: now }), secret),
    expect: { ok: false, problem: "expired" },
  },
  {
    name: "issued for another intent",
    token: signDecisionToken(claims({ intent_hash: intentHash(intents[0]!.intent) }), secret),
    expect: { ok: false, problem: "wrong-intent" },
  },
  {
    name: "a DENY token presented for an ALLOW",
    token: signDecisionToken(claims({ decision: "DENY" }), secret),
    expect: { ok: false, problem: "wrong-decision" },
  },
  { name: "two parts", token: `${version}.${payload}`, expect: { ok: false, problem: "malformed" } },
  { name: "another version", token: `v2.${payload}.${signature}`, expect: { ok: false, problem: "malformed" } },
  { name: "empty", token: "", expect: { ok: false, problem: "malformed" } },
];

// Derived SQL intents: both SDKs name a statement by its most destructive verb and its table.
const statements = [
  "SELECT * FROM orders WHERE id = 1",
  "select count(*) from users",
  "DELETE FROM users WHERE id = 1",
  "INSERT INTO audit (msg) VALUES ('drop table users')",
  "UPDATE accounts SET balance = 0",
  "SELECT * FROM accounts FOR UPDATE",
  "CREATE TABLE IF NOT EXISTS events (id int)",
  "DROP TABLE sessions",
  "TRUNCATE logs",
  "WITH gone AS (DELETE FROM carts RETURNING *) SELECT * FROM gone",
  "SELECT 1; DELETE FROM tokens",
  "ALTER TABLE users ADD COLUMN age int",
  "VACUUM",
  '-- cleanup\nDELETE /* all */ FROM "cache"',
  "CREATE TABLE t (id int REFERENCES p ON DELETE CASCADE)",
  "SELECT REPLACE(name, 'a', 'b') FROM people",
];

// Derived HTTP intents: method → action, host → resource name, the URL without its query string.
const requests: Array<[string, string]> = [
  ["GET", "https://api.stripe.com/v1/charges?limit=3&api_key=secret"],
  ["post", "http://127.0.0.1:8080/orders"],
  ["DELETE", "https://API.Example.COM./users/42#frag"],
  ["HEAD", "http://[::1]:9000/health"],
  ["PUT", "https://example.com:443/a/b/"],
  ["OPTIONS", "http://example.com:80"],
];

const vectors = {
  description:
    "Cross-language protocol vectors generated from @governor/sdk (sdk/test/vectors/generate-protocol-vectors.ts). Every SDK must give each intent this stable JSON and hash, each HTTP request and SQL statement this derived intent (primitive `http` / `sql`), and each token this verdict when verified with `secret` for `expected` at time `now` (ms).",
  intents: intents.map(({ name, intent }) => ({
    name,
    intent,
    stable: stableStringify(intent),
    hash: intentHash(intent),
  })),
  http: requests.map(([method, url]) => ({ method, url, derived: httpIntent("http", method, new URL(url)) })),
  sql: statements.map((statement) => ({ statement, derived: sqlIntent("sql", statement) })),
  tokens: {
    secret,
    now,
    expected: { intent_hash: hash, decision: "ALLOW" },
    cases: tokens,
  },
};

const out = join(dirname(fileURLToPath(import.meta.url)), "protocol-vectors.json");
writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
process.stderr.write(`wrote ${out}\n`);
