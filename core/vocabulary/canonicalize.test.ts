import { describe, expect, it } from "vitest";
import { GovernorInitError } from "../errors.js";
import { canonicalize, canonicalizeTerm, parseIntentEvent, serviceNameFromHost } from "./canonicalize.js";
import { VOCABULARY, type VocabularyField } from "./vocabulary.js";

describe("vocabulary tables", () => {
  it("never maps one word to two canonical terms within a field", () => {
    for (const [field, entries] of Object.entries(VOCABULARY)) {
      const seen = new Map<string, string>();
      for (const entry of entries) {
        for (const word of [entry.canonical, ...entry.synonyms]) {
          expect(
            seen.get(word),
            `${field}: "${word}" appears under ${seen.get(word)} and ${entry.canonical}`,
          ).toBeUndefined();
          seen.set(word, entry.canonical);
          expect(word).toMatch(/^[a-z0-9_]+$/);
        }
      }
    }
  });

  it("canonicalizes every synonym in every table to its entry", () => {
    for (const [field, entries] of Object.entries(VOCABULARY) as Array<
      [VocabularyField, (typeof VOCABULARY)[VocabularyField]]
    >) {
      for (const entry of entries) {
        expect(canonicalizeTerm(field, entry.canonical)).toMatchObject({
          canonical: entry.canonical,
          source: "exact",
          confidence: 1,
        });
        for (const synonym of entry.synonyms) {
          expect(canonicalizeTerm(field, synonym)).toMatchObject({ canonical: entry.canonical, source: "synonym" });
        }
      }
    }
  });
});

describe("canonicalizeTerm", () => {
  it.each([
    ["action", "query", "read"],
    ["action", "SELECT", "read"],
    ["action", "Upload", "write"],
    ["action", "drop", "delete"],
    ["action", "spawn", "execute"],
    ["resource_type", "postgres_db", "database"],
    ["resource_type", "Postgres-DB", "database"],
    ["resource_type", "webhook", "external_api"],
    ["resource_type", "disk", "filesystem"],
    ["resource_type", "shell", "process"],
    // Verbs agent tools are named with (the intent-scopes codemod infers actions from this table too).
    ["action", "refund", "write"],
    ["action", "transfer", "write"],
    ["action", "charge", "write"],
    ["action", "book", "write"],
    ["action", "cancel", "delete"],
    ["action", "deploy", "execute"],
    ["action", "restart", "execute"],
    ["action", "look", "read"],
    ["action", "summarize", "read"],
    ["resource_type", "test suite", "process"],
    ["resource_type", "status-page", "external_api"],
  ] as const)("%s %s → %s by synonym or exact", (field, raw, canonical) => {
    const prediction = canonicalizeTerm(field, raw);
    expect(prediction.canonical).toBe(canonical);
    expect(["exact", "synonym"]).toContain(prediction.source);
  });

  it.each([
    ["action", "raed", "read"],
    ["action", "wirte", "write"],
    ["action", "delet", "delete"],
    ["action", "exectue", "execute"],
    ["action", "lsit", "read"],
    ["resource_type", "databse", "database"],
    ["resource_type", "filesytem", "filesystem"],
    ["sensitivity", "confidental", "confidential"],
    ["action", "refnud", "write"],
    ["action", "summarise", "read"],
  ] as const)("fixes the typo %s %s → %s as fuzzy, with lower confidence", (field, raw, canonical) => {
    const prediction = canonicalizeTerm(field, raw);
    expect(prediction).toMatchObject({ canonical, source: "fuzzy" });
    expect(prediction.confidence).toBeGreaterThan(0.3);
    expect(prediction.confidence).toBeLessThan(0.95);
  });

  it.each([
    ["action", "approve"],
    ["action", "reconcile"],
    ["action", "escalate"],
    ["action", "rd"],
    ["resource_type", "ledger"],
    // "service" is a local daemon as often as a remote API: policies must say which.
    ["resource_type", "service"],
  ] as const)("passes %s %s through unchanged rather than guessing", (field, raw) => {
    expect(canonicalizeTerm(field, raw)).toEqual({ canonical: raw, confidence: 0.3, source: "passthrough" });
  });

  it("answers a repeated raw value identically (cached)", () => {
    expect(canonicalizeTerm("action", "raed")).toBe(canonicalizeTerm("action", "raed"));
  });
});

describe("serviceNameFromHost", () => {
  it.each([
    ["api.stripe.com", "stripe"],
    ["https://hooks.slack.com/services/x", "slack"],
    ["http://api.example.co.uk:8443/v1", "example"],
    ["stripe", undefined],
    ["127.0.0.1", undefined],
  ])("%s → %s", (input, expected) => {
    expect(serviceNameFromHost(input)).toBe(expected);
  });
});

describe("parseIntentEvent", () => {
  const valid = { action: "read", resource: { type: "database", name: "users" } };

  it.each([
    [null, "body"],
    [[], "body"],
    [{ resource: { type: "x" } }, "action"],
    [{ action: "", resource: { type: "x" } }, "action"],
    [{ action: 3, resource: { type: "x" } }, "action"],
    [{ action: "read" }, "resource"],
    [{ action: "read", resource: "db" }, "resource"],
    [{ action: "read", resource: { name: "x" } }, "resource.type"],
    [{ ...valid, resource: { type: "db", name: 4 } }, "resource.name"],
    [{ ...valid, actor: "me" }, "actor"],
    [{ ...valid, actor: { type: "user" } }, "actor.id"],
    [{ ...valid, actor: { id: "u", type: 1 } }, "actor.type"],
    [{ ...valid, data: [] }, "data"],
    [{ ...valid, data: { sensitivity: "internal" } }, "data.sensitivity"],
    [{ ...valid, data: { sensitivity: ["internal", 2] } }, "data.sensitivity[1]"],
    [{ ...valid, data: { pii: "yes" } }, "data.pii"],
    [{ ...valid, data: { volume: 10 } }, "data.volume"],
    [{ ...valid, risk: "high" }, "risk"],
    [{ ...valid, layer: 4 }, "layer"],
    [{ ...valid, context: "tool" }, "context"],
  ])("rejects %j naming the field %s", (body, field) => {
    let thrown: unknown;
    try {
      parseIntentEvent(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GovernorInitError);
    expect((thrown as GovernorInitError).code).toBe("INVALID_INPUT");
    expect((thrown as GovernorInitError).message.startsWith(`${field} `)).toBe(true);
    expect((thrown as GovernorInitError).details).toEqual({ field });
  });

  it("refuses context or risk nested deeper than 32 levels, and accepts 32", () => {
    const nest = (depth: number): Record<string, unknown> => {
      let value: Record<string, unknown> = {};
      for (let i = 1; i < depth; i++) value = { a: value };
      return value;
    };
    expect(() => parseIntentEvent({ ...valid, context: nest(32) })).not.toThrow();
    expect(() => parseIntentEvent({ ...valid, context: nest(33) })).toThrow(
      "context must not nest deeper than 32 levels",
    );
    expect(() => parseIntentEvent({ ...valid, risk: { list: [[[nest(31)]]] } })).toThrow("risk must not nest");
  });

  it("ignores tenantId and unknown fields", () => {
    expect(parseIntentEvent({ ...valid, tenantId: "evil", extra: 1 })).toEqual(valid);
  });
});

describe("canonicalize", () => {
  it("produces the canonical intent and one trace step per vocabulary field", () => {
    const result = canonicalize({
      action: "query",
      actor: { id: "user-123", type: "human" },
      resource: { type: "postgres_db", name: "users" },
      data: { sensitivity: ["confidential", "sensitive"], pii: false, volume: "one" },
      risk: { authn: "required" },
    });
    expect(result.canonical_intent).toEqual({
      action: "read",
      actor: { id: "user-123", type: "user" },
      resource: { type: "database", name: "users" },
      data: { sensitivity: ["confidential"], pii: false, volume: "single" },
      risk: { authn: "required" },
      layer: "L4",
      context: {},
    });
    expect(
      result.canonicalization_trace.map((s) => [s.field, s.raw_input, s.prediction.canonical, s.prediction.source]),
    ).toEqual([
      ["action", "query", "read", "synonym"],
      ["resource_type", "postgres_db", "database", "synonym"],
      ["sensitivity", "confidential", "confidential", "exact"],
      ["sensitivity", "sensitive", "confidential", "synonym"],
      ["volume", "one", "single", "synonym"],
      ["actor_type", "human", "user", "synonym"],
    ]);
  });

  it("reduces an external API's host to the service name and keeps the host", () => {
    const result = canonicalize({ action: "post", resource: { type: "http", name: "api.stripe.com" } });
    expect(result.canonical_intent.resource).toEqual({ type: "external_api", name: "stripe", host: "api.stripe.com" });
    expect(result.canonicalization_trace.find((s) => s.field === "resource_name")?.prediction.canonical).toBe("stripe");
  });

  it("keeps the layer the event names", () => {
    expect(canonicalize({ action: "read", resource: { type: "db" }, layer: "L2" }).canonical_intent.layer).toBe("L2");
  });
});
