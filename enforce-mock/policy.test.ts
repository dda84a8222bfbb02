import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GovernorInitError } from "../core/errors.js";
import { canonicalize } from "../core/vocabulary/canonicalize.js";
import { compilePolicy, decide, explainDecision, loadPolicy, type PolicyDocument } from "./policy.js";

const exampleFile = new URL("./policies/example.yaml", import.meta.url).pathname;

function decideEvent(policy: Parameters<typeof decide>[0], event: unknown) {
  return decide(policy, canonicalize(event).canonical_intent);
}

function policyError(run: () => unknown): GovernorInitError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GovernorInitError);
    return error as GovernorInitError;
  }
  throw new Error("expected a policy error");
}

describe("presets", () => {
  it("allow-all allows and deny-all denies, by default", () => {
    const event = { action: "delete", resource: { type: "database", name: "users" } };
    expect(decideEvent(loadPolicy("allow-all"), event)).toMatchObject({ decision: "ALLOW", matched_rule: null });
    expect(decideEvent(loadPolicy("deny-all"), event)).toMatchObject({ decision: "DENY", matched_rule: null });
  });
});

describe("precedence", () => {
  const doc: PolicyDocument = {
    name: "precedence",
    default: "allow",
    rules: [
      { id: "allow-reads", effect: "allow", reason: "reads are fine", match: { action: "read" } },
      { id: "allow-users", effect: "allow", reason: "users table is fine", match: { resource_name: "users" } },
      { id: "deny-secrets", effect: "deny", reason: "secrets are off limits", match: { resource_name: "secret*" } },
      { id: "deny-restricted", effect: "deny", reason: "restricted data", match: { sensitivity: "restricted" } },
    ],
  };

  it("a deny rule beats an allow rule listed before it", () => {
    expect(decideEvent(doc, { action: "read", resource: { type: "db", name: "secrets" } })).toEqual({
      decision: "DENY",
      reason: "secrets are off limits",
      matched_rule: "deny-secrets",
    });
  });

  it("among deny rules the first match wins and its reason is reported", () => {
    expect(
      decideEvent(doc, {
        action: "read",
        resource: { type: "db", name: "secret_keys" },
        data: { sensitivity: ["restricted"] },
      }),
    ).toMatchObject({
      matched_rule: "deny-secrets",
      reason: "secrets are off limits",
    });
  });

  it("among allow rules the first match wins", () => {
    expect(decideEvent(doc, { action: "read", resource: { type: "db", name: "users" } })).toMatchObject({
      decision: "ALLOW",
      matched_rule: "allow-reads",
    });
    expect(decideEvent(doc, { action: "write", resource: { type: "db", name: "users" } })).toMatchObject({
      decision: "ALLOW",
      matched_rule: "allow-users",
    });
  });

  it("no match falls to the default, in both directions", () => {
    const event = { action: "write", resource: { type: "db", name: "orders" } };
    expect(decideEvent(doc, event)).toMatchObject({ decision: "ALLOW", matched_rule: null });
    expect(decideEvent({ ...doc, default: "deny" }, event)).toMatchObject({ decision: "DENY", matched_rule: null });
  });
});

describe("conditions", () => {
  const rule = (match: object): PolicyDocument => ({
    default: "deny",
    rules: [{ id: "r", effect: "allow", reason: "ok", match }],
  });
  const base = {
    action: "read",
    actor: { id: "svc-ci-7", type: "service" },
    resource: { type: "database", name: "users" },
  };

  it("canonicalizes rule terms, so `query` in a rule means read", () => {
    const compiled = compilePolicy(rule({ action: "query", resource_type: "postgres" }));
    expect(decideEvent(compiled, { ...base, action: "select" }).decision).toBe("ALLOW");
    expect(compiled.trace.map((s) => [s.field, s.prediction.canonical])).toEqual([
      ["rules[0].match.action", "read"],
      ["rules[0].match.resource_type", "database"],
    ]);
  });

  it("ANDs conditions and ORs list values", () => {
    const doc = rule({ action: ["write", "read"], resource_type: "database" });
    expect(decideEvent(doc, base).decision).toBe("ALLOW");
    expect(decideEvent(doc, { ...base, resource: { type: "fs", name: "users" } }).decision).toBe("DENY");
  });

  it("matches resource names and actor ids by glob", () => {
    expect(decideEvent(rule({ resource_name: "us*" }), base).decision).toBe("ALLOW");
    expect(decideEvent(rule({ resource_name: "orders" }), base).decision).toBe("DENY");
    expect(
      decideEvent(rule({ resource_name: "/tmp/**" }), { ...base, resource: { type: "file", name: "/tmp/a/b.txt" } })
        .decision,
    ).toBe("ALLOW");
    expect(
      decideEvent(rule({ resource_name: "/tmp/*" }), { ...base, resource: { type: "file", name: "/tmp/a/b.txt" } })
        .decision,
    ).toBe("DENY");
    expect(decideEvent(rule({ actor_id: "svc-ci-*" }), base).decision).toBe("ALLOW");
    expect(decideEvent(rule({ actor_id: "svc-ci-*" }), { ...base, actor: undefined }).decision).toBe("DENY");
  });

  it("matches an external API by service name or original host", () => {
    const event = { action: "post", resource: { type: "http", name: "api.stripe.com" } };
    expect(decideEvent(rule({ resource_name: "stripe" }), event).decision).toBe("ALLOW");
    expect(decideEvent(rule({ resource_name: "*.stripe.com" }), event).decision).toBe("ALLOW");
    expect(decideEvent(rule({ resource_name: "*.paypal.com" }), event).decision).toBe("DENY");
  });

  it("requires a named resource for a name condition", () => {
    expect(decideEvent(rule({ resource_name: "**" }), { action: "read", resource: { type: "db" } }).decision).toBe(
      "DENY",
    );
  });

  it("matches sensitivity by any level, pii with absent meaning false, and actor type", () => {
    expect(
      decideEvent(rule({ sensitivity: ["restricted", "confidential"] }), {
        ...base,
        data: { sensitivity: ["public", "sensitive"] },
      }).decision,
    ).toBe("ALLOW");
    expect(
      decideEvent(rule({ sensitivity: "restricted" }), { ...base, data: { sensitivity: ["public"] } }).decision,
    ).toBe("DENY");
    expect(decideEvent(rule({ pii: true }), { ...base, data: { pii: true } }).decision).toBe("ALLOW");
    expect(decideEvent(rule({ pii: true }), base).decision).toBe("DENY");
    expect(decideEvent(rule({ pii: false }), base).decision).toBe("ALLOW");
    expect(decideEvent(rule({ actor_type: "system" }), base).decision).toBe("ALLOW");
    expect(decideEvent(rule({ actor_type: "agent" }), base).decision).toBe("DENY");
  });

  it("a rule without conditions matches everything", () => {
    expect(
      decideEvent({ default: "deny", rules: [{ id: "all", effect: "allow", reason: "open" }] }, base),
    ).toMatchObject({ decision: "ALLOW", matched_rule: "all" });
  });
});

describe("validation", () => {
  const ok = { id: "a", effect: "allow", reason: "r" };
  it.each([
    ["not an object", [], /a policy must be an object/],
    ["missing default", { rules: [] }, /default must be "allow" or "deny"/],
    ["bad default", { default: "maybe", rules: [] }, /default must be "allow" or "deny" \(got "maybe"\)/],
    ["rules not a list", { default: "deny", rules: {} }, /rules must be a list/],
    ["unknown top key", { default: "deny", rules: [], rule: [] }, /unknown top-level key "rule"/],
    ["rule not an object", { default: "deny", rules: ["x"] }, /rules\[0\] must be an object/],
    [
      "missing id",
      { default: "deny", rules: [ok, { effect: "allow", reason: "r" }] },
      /rules\[1\]\.id must be a non-empty string/,
    ],
    ["duplicate id", { default: "deny", rules: [ok, ok] }, /rules\[1\]\.id "a" is used by an earlier rule/],
    [
      "bad effect",
      { default: "deny", rules: [{ ...ok, effect: "permit" }] },
      /rules\[0\]\.effect must be "allow" or "deny"/,
    ],
    [
      "missing reason",
      { default: "deny", rules: [{ id: "a", effect: "deny" }] },
      /rules\[0\]\.reason must be a non-empty string/,
    ],
    [
      "misspelt condition",
      { default: "deny", rules: [{ ...ok, match: { resouce_type: "db" } }] },
      /rules\[0\]\.match has unknown key "resouce_type"/,
    ],
    [
      "bad pii",
      { default: "deny", rules: [{ ...ok, match: { pii: "yes" } }] },
      /rules\[0\]\.match\.pii must be true or false/,
    ],
    [
      "bad list item",
      { default: "deny", rules: [{ ...ok, match: { action: ["read", 3] } }] },
      /rules\[0\]\.match\.action\[1\] must be a non-empty string/,
    ],
    [
      "empty list",
      { default: "deny", rules: [{ ...ok, match: { action: [] } }] },
      /rules\[0\]\.match\.action must not be an empty list/,
    ],
  ])("%s", (_name, doc, message) => {
    const error = policyError(() => compilePolicy(doc, "p.yaml"));
    expect(error.code).toBe("INVALID_POLICY");
    expect(error.message).toMatch(/^p\.yaml: /);
    expect(error.message).toMatch(message);
    expect(error.suggestion).toBeTruthy();
  });

  it("names the file and rule index for a file, and reports YAML syntax errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "gi-policy-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "default: deny\nrules:\n  - id: a\n    effect: allow\n    reason: fine\n  - id: b\n    effect: nope\n    reason: x\n",
    );
    const error = policyError(() => loadPolicy(bad));
    expect(error.message).toBe(`${bad}: rules[1].effect must be "allow" or "deny"`);
    expect(error.details).toMatchObject({ file: bad, rule: 1 });

    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "default: deny\nrules: [\n");
    expect(policyError(() => loadPolicy(broken)).message).toMatch(/broken\.yaml: does not parse/);

    const json = join(dir, "p.json");
    writeFileSync(
      json,
      JSON.stringify({
        name: "from-json",
        default: "allow",
        rules: [{ id: "x", effect: "deny", reason: "no", match: { action: "delete" } }],
      }),
    );
    const loaded = loadPolicy(json);
    expect(loaded.name).toBe("from-json");
    expect(decideEvent(loaded, { action: "remove", resource: { type: "db" } }).decision).toBe("DENY");

    expect(policyError(() => loadPolicy(join(dir, "missing.yaml"))).code).toBe("NOT_FOUND");
  });
});

describe("the example policy", () => {
  const example = loadPolicy(exampleFile);

  it.each([
    [{ action: "query", resource: { type: "postgres_db", name: "users" } }, "ALLOW", "read-databases"],
    [
      {
        action: "query",
        resource: { type: "postgres_db", name: "users" },
        data: { pii: true, sensitivity: ["confidential"] },
      },
      "DENY",
      "no-confidential-pii-reads",
    ],
    [
      { action: "drop", actor: { id: "a1", type: "ai" }, resource: { type: "table", name: "users" } },
      "DENY",
      "no-deletes-by-agents",
    ],
    [{ action: "spawn", resource: { type: "shell", name: "/bin/bash" } }, "DENY", "no-shell"],
    [{ action: "post", resource: { type: "http", name: "api.stripe.com" } }, "ALLOW", "payments-api"],
    [{ action: "write", resource: { type: "file", name: "/tmp/out/report.csv" } }, "ALLOW", "scratch-files"],
    [{ action: "write", resource: { type: "file", name: "/etc/passwd" } }, "DENY", null],
    [
      { action: "delete", actor: { id: "svc-ci-1", type: "service" }, resource: { type: "db", name: "x" } },
      "ALLOW",
      "ci-service",
    ],
  ])("%j → %s (%s)", (event, decision, rule) => {
    expect(decideEvent(example, event)).toMatchObject({ decision, matched_rule: rule });
  });
});

describe("explainDecision", () => {
  it("reports every rule in evaluation order, the failed condition, and the same decision as decide", () => {
    const example = loadPolicy(exampleFile);
    const events = [
      { action: "drop", actor: { id: "a1", type: "ai" }, resource: { type: "table", name: "users" } },
      { action: "query", resource: { type: "postgres_db", name: "users" } },
      { action: "write", resource: { type: "file", name: "/etc/passwd" } },
    ];
    for (const event of events) {
      const intent = canonicalize(event).canonical_intent;
      const explanation = explainDecision(example, intent);
      const { decision, reason, matched_rule } = explanation;
      expect({ decision, reason, matched_rule }).toEqual(decide(example, intent));
    }
    const explanation = explainDecision(example, canonicalize(events[0]).canonical_intent);
    expect(explanation.rules.map((r) => r.id)).toEqual([
      "no-confidential-pii-reads",
      "no-deletes-by-agents",
      "no-shell",
      "read-databases",
      "payments-api",
      "scratch-files",
      "ci-service",
    ]);
    expect(explanation.rules[0]).toMatchObject({ matched: false, failed: "action" });
    expect(explanation.rules[1]).toMatchObject({ matched: true });
    expect(explanation.rules[1]!.failed).toBeUndefined();
    expect(explanation.rules[6]).toMatchObject({ matched: false, failed: "actor_id" });
    expect(explanation).toMatchObject({ policy: "example", default: "deny", decision: "DENY" });
  });
});
