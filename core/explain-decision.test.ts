import { describe, expect, it } from "vitest";
import { explainDecision, explainRecord } from "./explain-decision.js";
import { parseEnvFile } from "./governor-status.js";

describe("explainRecord", () => {
  it.each([
    [422, "Field required: action", /malformed/],
    [500, "Canonicalization failed", /canonical terms/],
    [502, "Data Plane error: timeout", /data plane/],
    [500, "Internal server error", /retry later/],
  ])("explains HTTP %i (%s)", (status, detail, advice) => {
    const explanation = explainRecord({ status, detail }, "response");
    expect(explanation.decision).toBe("ERROR");
    expect(explanation.summary).toContain(detail);
    expect(explanation.nextSteps.join(" ")).toMatch(advice);
  });

  it("flags a passthrough (unrecognized) term", () => {
    const explanation = explainRecord(
      {
        decision: "DENY",
        metadata: {
          request_id: "r",
          canonicalization_trace: [
            {
              field: "resource_type",
              raw_input: "blockchain",
              prediction: { canonical: "blockchain", confidence: 0, source: "passthrough" },
            },
          ],
        },
      },
      "response",
    );
    expect(explanation.trace[0]!.concern).toMatch(/not recognized/);
    expect(explanation.nextSteps[0]).toMatch(/^resource_type: /);
  });

  it("says an ALLOW with exact matches needs nothing", () => {
    const explanation = explainRecord(
      {
        decision: "ALLOW",
        metadata: {
          request_id: "r2",
          canonicalization_trace: [
            { field: "action", raw_input: "read", prediction: { canonical: "read", confidence: 1, source: "exact" } },
          ],
        },
      },
      "response",
    );
    expect(explanation.summary).toBe("Allowed (request r2). Nothing to change.");
    expect(explanation.nextSteps).toEqual([]);
  });

  it("names the rule and policy that denied", () => {
    const explanation = explainRecord(
      {
        decision: "DENY",
        metadata: { request_id: "r3", reason: "no deletes", matched_rule: "deny-deletes", policy: "prod" },
      },
      "response",
    );
    expect(explanation).toMatchObject({ matchedRule: "deny-deletes", policy: "prod", reason: "no deletes" });
    expect(explanation.nextSteps.join(" ")).toContain("(deny-deletes in policy prod)");
  });
});

describe("explainDecision", () => {
  it("refuses a request id without any mock URL", async () => {
    const saved = { mock: process.env.GOVERNOR_MOCK_URL, enforce: process.env.GOVERNOR_ENFORCE_URL };
    delete process.env.GOVERNOR_MOCK_URL;
    delete process.env.GOVERNOR_ENFORCE_URL;
    try {
      await expect(explainDecision({ requestId: "x" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    } finally {
      if (saved.mock !== undefined) process.env.GOVERNOR_MOCK_URL = saved.mock;
      if (saved.enforce !== undefined) process.env.GOVERNOR_ENFORCE_URL = saved.enforce;
    }
  });

  it("reports a mock that does not answer as SERVICE_UNAVAILABLE", async () => {
    await expect(
      explainDecision({ requestId: "x", mockUrl: "http://127.0.0.1:1", timeoutMs: 500 }),
    ).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
  });
});

describe("parseEnvFile", () => {
  it("reads GOVERNOR_* keys with export, quotes and trailing comments, and nothing else", () => {
    const parsed = parseEnvFile(
      "export GOVERNOR_API_KEY=\"a b#c\"\r\nGOVERNOR_FAIL_MODE=closed # default\nOTHER=1\n# GOVERNOR_LAYER=L9\nGOVERNOR_ACTOR_ID='svc'\n",
    );
    expect(Object.fromEntries(parsed)).toEqual({
      GOVERNOR_API_KEY: "a b#c",
      GOVERNOR_FAIL_MODE: "closed",
      GOVERNOR_ACTOR_ID: "svc",
    });
  });
});
