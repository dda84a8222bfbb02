/**
 * The cross-language protocol vectors (test/vectors/protocol-vectors.json), checked against this
 * SDK. The Python SDK's tests (sdk-python/tests/test_protocol_vectors.py) read the same file, so a
 * token signed for an intent sent by either SDK verifies in both.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { httpIntent, sqlIntent } from "../src/intents.js";
import {
  intentHash,
  intentHashAsync,
  stableStringify,
  verifyDecisionToken,
  verifyDecisionTokenAsync,
} from "../src/protocol.js";

interface Vectors {
  intents: Array<{ name: string; intent: unknown; stable: string; hash: string }>;
  sql: Array<{ statement: string; derived: unknown }>;
  http: Array<{ method: string; url: string; derived: unknown }>;
  tokens: {
    secret: string;
    now: number;
    expected: { intent_hash: string; decision: "ALLOW" | "DENY" };
    cases: Array<{ name: string; token: string; expect: { ok: boolean; problem?: string; request_id?: string } }>;
  };
}

const vectors = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "vectors/protocol-vectors.json"), "utf8"),
) as Vectors;

describe("cross-language protocol vectors", () => {
  it("has intents and tokens of every verdict", () => {
    expect(vectors.intents.length).toBeGreaterThan(5);
    const problems = new Set(vectors.tokens.cases.map((c) => c.expect.problem ?? "ok"));
    expect([...problems].sort()).toEqual([
      "bad-signature",
      "expired",
      "malformed",
      "ok",
      "wrong-decision",
      "wrong-intent",
    ]);
  });

  for (const vector of vectors.intents) {
    it(`intent "${vector.name}": stable JSON and hash`, async () => {
      expect(stableStringify(vector.intent)).toBe(vector.stable);
      expect(intentHash(vector.intent)).toBe(vector.hash);
      expect(await intentHashAsync(vector.intent)).toBe(vector.hash);
    });
  }

  for (const vector of vectors.http) {
    it(`HTTP ${vector.method} ${vector.url}: derived intent`, () => {
      expect(httpIntent("http", vector.method, new URL(vector.url))).toEqual(vector.derived);
    });
  }

  for (const vector of vectors.sql) {
    it(`SQL ${JSON.stringify(vector.statement)}: derived intent`, () => {
      expect(sqlIntent("sql", vector.statement)).toEqual(vector.derived);
    });
  }

  for (const vector of vectors.tokens.cases) {
    it(`token "${vector.name}": ${vector.expect.ok ? "valid" : vector.expect.problem}`, async () => {
      const expected = {
        intentHash: vectors.tokens.expected.intent_hash,
        decision: vectors.tokens.expected.decision,
        now: vectors.tokens.now,
      };
      for (const verdict of [
        verifyDecisionToken(vector.token, vectors.tokens.secret, expected),
        await verifyDecisionTokenAsync(vector.token, vectors.tokens.secret, expected),
      ]) {
        expect(verdict.ok).toBe(vector.expect.ok);
        if (verdict.ok) expect(verdict.claims.request_id).toBe(vector.expect.request_id);
        else expect(verdict.problem).toBe(vector.expect.problem);
      }
    });
  }
});
