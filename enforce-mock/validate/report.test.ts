import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../index.js";
import { buildReport, type AuditRecord } from "./index.js";

const decision = (id: string, d: "ALLOW" | "DENY"): DecisionRecord => ({
  time: "2026-11-22T00:00:00Z",
  request_id: id,
  decision: d,
  reason: d === "ALLOW" ? "ok" : "no",
  matched_rule: null,
  policy: "p",
  tenant_id: "t",
  intent: { action: "read", resource: { type: "external_api", name: "x" } },
  canonical_intent: {
    action: "read",
    resource: { type: "external_api", name: "x" },
  } as unknown as DecisionRecord["canonical_intent"],
  enforcement_latency_ms: 1,
});
const attempt = (over: Partial<AuditRecord>): AuditRecord => ({
  time: "2026-11-22T00:00:00Z",
  source: "primitive",
  primitive: "fetch",
  target: "http://x",
  intent: {},
  decision: "ALLOW",
  executed: true,
  cached: false,
  ...over,
});

describe("buildReport: the audit log against the mock's decisions", () => {
  const ok = { exitCode: 0, signal: null };

  it("passes when every executed side effect has an ALLOW the mock issued", () => {
    const r = buildReport(
      ["node"],
      "allow-all",
      ok,
      [decision("a", "ALLOW")],
      [attempt({ requestId: "a" }), attempt({ requestId: "a", cached: true })],
    );
    expect(r.passed).toBe(true);
    expect(r.ungoverned).toEqual([]);
  });

  it("flags side effects that ran on ERROR (fail-open), BYPASS, or an ALLOW the mock never issued", () => {
    const r = buildReport(
      ["node"],
      "allow-all",
      ok,
      [decision("a", "ALLOW")],
      [
        attempt({ decision: "ERROR" }),
        attempt({ decision: "BYPASS" }),
        attempt({ requestId: "forged" }),
        attempt({ requestId: "a" }),
      ],
    );
    expect(r.ungoverned.map((a) => a.decision)).toEqual(["ERROR", "BYPASS", "ALLOW"]);
    expect(r.passed).toBe(false);
    expect(r.problems.join("\n")).toMatch(/ran without an ALLOW \(decision: ERROR\)/);
  });

  it("flags a denied side effect that ran anyway", () => {
    const r = buildReport(
      ["node"],
      "deny-all",
      ok,
      [decision("d", "DENY")],
      [attempt({ decision: "DENY", requestId: "d", executed: true })],
    );
    expect(r.passed).toBe(false);
    expect(r.problems.join("\n")).toMatch(/denied but ran anyway/);
  });

  it("a non-zero exit passes only when a denial explains it", () => {
    const denied = buildReport(
      ["node"],
      "deny-all",
      { exitCode: 1, signal: null },
      [decision("d", "DENY")],
      [attempt({ decision: "DENY", requestId: "d", executed: false })],
    );
    expect(denied.passed).toBe(true);
    const crashed = buildReport(
      ["node"],
      "allow-all",
      { exitCode: 1, signal: null },
      [decision("a", "ALLOW")],
      [attempt({ requestId: "a" })],
    );
    expect(crashed.passed).toBe(false);
    expect(crashed.problems.join("\n")).toMatch(/exited with code 1/);
  });

  it("fails when nothing was governed at all (the SDK did not load, or no side effect ran)", () => {
    const r = buildReport(["node"], "allow-all", ok, [], []);
    expect(r.passed).toBe(false);
  });
});
