import { mkdtempSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { intentHash, verifyDecisionToken } from "@governor/sdk/protocol";
import { GovernorInitError } from "../core/errors.js";
import { startMockServer, type MockServer, type MockServerOptions } from "./server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary JSON answers
type Json = any;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const servers: MockServer[] = [];

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const AUTH = { authorization: "Bearer test-key" };
const EVENT = {
  action: "query",
  actor: { id: "user-123", type: "user" },
  resource: { type: "postgres_db", name: "users" },
  data: { sensitivity: ["confidential"], pii: false, volume: "single" },
  risk: { authn: "required" },
  layer: "L4",
};

async function post(server: MockServer, path: string, body: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Sends raw bytes and returns whatever comes back before the server closes (or `timeoutMs`). */
function raw(server: MockServer, bytes: string | Buffer, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(bytes);
  });
}

async function healthy(server: MockServer): Promise<boolean> {
  const response = await fetch(`${server.url}/health`);
  return response.status === 200 && ((await response.json()) as Json).status === "ok";
}

describe("POST /api/v2/enforce", () => {
  it("answers the contract's shape", async () => {
    const server = await start();
    const { status, json, headers } = await post(server, "/api/v2/enforce", EVENT);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/json");
    expect(Object.keys(json).sort()).toEqual(["decision", "enforcement_latency_ms", "metadata"]);
    expect(json.decision).toBe("ALLOW");
    expect(typeof json.enforcement_latency_ms).toBe("number");
    expect(json.enforcement_latency_ms).toBeGreaterThanOrEqual(0);
    expect(json.metadata.request_id).toMatch(UUID);
    expect(json.metadata.canonicalization_trace[0]).toEqual({
      field: "action",
      raw_input: "query",
      prediction: { canonical: "read", confidence: 0.95, source: "synonym" },
    });
    expect(json.metadata.canonicalization_trace[1]).toMatchObject({
      field: "resource_type",
      raw_input: "postgres_db",
      prediction: { canonical: "database" },
    });
    expect(json.metadata).toMatchObject({ matched_rule: null, policy: "allow-all" });
    expect(typeof json.metadata.reason).toBe("string");
  });

  it("gives each decision its own request id and records it", async () => {
    const server = await start();
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(server, "/api/v2/enforce", EVENT)));
    const ids = new Set(answers.map((a) => a.json.metadata.request_id));
    expect(ids.size).toBe(40);
    expect(new Set(server.decisions().map((d) => d.request_id))).toEqual(ids);
  });

  it("denies under deny-all and takes the tenant from the credential, not the body", async () => {
    const server = await start({ policy: "deny-all" });
    const a = await post(
      server,
      "/api/v2/enforce",
      { ...EVENT, tenantId: "someone-else" },
      { authorization: "Bearer key-a" },
    );
    const b = await post(server, "/api/v2/enforce", EVENT, { "x-api-key": "key-b" });
    expect(a.json.decision).toBe("DENY");
    const [first, second] = server.decisions();
    expect(first!.tenant_id).toMatch(/^tenant_[0-9a-f]{12}$/);
    expect(first!.tenant_id).not.toBe("someone-else");
    expect(second!.tenant_id).not.toBe(first!.tenant_id);
    expect(first!.intent).toEqual({ ...EVENT, tenantId: "someone-else" });
    expect(b.status).toBe(200);
  });

  it("decides with a policy file's rules", async () => {
    const server = await start({ policy: new URL("./policies/example.yaml", import.meta.url).pathname });
    const allowed = await post(server, "/api/v2/enforce", EVENT);
    expect(allowed.json.decision).toBe("ALLOW");
    expect(allowed.json.metadata).toMatchObject({
      matched_rule: "read-databases",
      reason: "Reading application databases is allowed.",
      policy: "example",
    });
    const denied = await post(server, "/api/v2/enforce", {
      action: "rm",
      actor: { id: "a", type: "agent" },
      resource: { type: "file", name: "/tmp/x" },
    });
    expect(denied.json).toMatchObject({ decision: "DENY", metadata: { matched_rule: "no-deletes-by-agents" } });
  });
});

describe("auth", () => {
  it("accepts any non-empty key without --api-key, refuses a missing or empty one", async () => {
    const server = await start();
    expect((await post(server, "/api/v2/enforce", EVENT, { authorization: "Bearer anything" })).status).toBe(200);
    expect((await post(server, "/api/v2/enforce", EVENT, { "x-api-key": "anything" })).status).toBe(200);
    for (const headers of [
      {},
      { authorization: "Bearer " },
      { authorization: "Basic abc" },
      { "x-api-key": "" },
    ] as Array<Record<string, string>>) {
      const answer = await post(server, "/api/v2/enforce", EVENT, headers);
      expect(answer.status).toBe(401);
      expect(answer.json.detail).toMatch(/API key/);
    }
    expect(server.decisions()).toHaveLength(2);
  });

  it("accepts only the configured key", async () => {
    const server = await start({ apiKey: "s3cret" });
    expect((await post(server, "/api/v2/enforce", EVENT, { authorization: "Bearer s3cret" })).status).toBe(200);
    expect((await post(server, "/api/v2/enforce", EVENT, { "x-api-key": "s3cret" })).status).toBe(200);
    const wrong = await post(server, "/api/v2/enforce", EVENT, { authorization: "Bearer s3cre" });
    expect(wrong).toMatchObject({ status: 401, json: { detail: "Invalid API key" } });
    expect((await post(server, "/api/v2/canonicalize", EVENT, { authorization: "Bearer nope" })).status).toBe(401);
    expect(
      (await post(server, "/api/v2/policies/install", { default: "deny", rules: [] }, { authorization: "Bearer nope" }))
        .status,
    ).toBe(401);
    expect(server.policy().name).toBe("allow-all");
  });
});

describe("bad input", () => {
  it.each([
    [{ resource: { type: "db" } }, "action must be a non-empty string"],
    [{ action: 1, resource: { type: "db" } }, "action must be a non-empty string"],
    [{ action: "read" }, "resource is required (an object with a type)"],
    [{ action: "read", resource: { type: ["db"] } }, "resource.type must be a non-empty string"],
    [{ action: "read", resource: { type: "db" }, actor: { id: 7 } }, "actor.id must be a non-empty string"],
    [
      { action: "read", resource: { type: "db" }, data: { sensitivity: "internal" } },
      "data.sensitivity must be an array of strings",
    ],
    [{ action: "read", resource: { type: "db" }, data: { pii: 1 } }, "data.pii must be a boolean"],
    [{ action: "read", resource: { type: "db" }, context: [] }, "context must be an object"],
    [[1, 2], "body must be a JSON object (an intent event)"],
    ["null", "body must be a JSON object (an intent event)"],
  ])("422 for %j", async (body, detail) => {
    const server = await start();
    for (const path of ["/api/v2/enforce", "/api/v2/canonicalize"]) {
      const answer = await post(server, path, body);
      expect(answer.status).toBe(422);
      expect(answer.json).toEqual({ detail });
    }
    expect(server.decisions()).toHaveLength(0);
  });

  it("422 for malformed JSON, an empty body, and another content type (the contract has no 415)", async () => {
    const server = await start();
    const malformed = await post(server, "/api/v2/enforce", '{"action": "read",');
    expect(malformed.status).toBe(422);
    expect(malformed.json.detail).toMatch(/^body is not valid JSON/);
    expect((await post(server, "/api/v2/enforce", "")).status).toBe(422);
    const wrongType = await fetch(`${server.url}/api/v2/enforce`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "text/plain" },
      body: JSON.stringify(EVENT),
    });
    expect(wrongType.status).toBe(422);
    expect(await wrongType.json()).toEqual({ detail: "Content-Type must be application/json" });
    const charset = await post(server, "/api/v2/enforce", EVENT, {
      ...AUTH,
      "content-type": "application/json; charset=utf-8",
    });
    expect(charset.status).toBe(200);
  });

  it("413 for a body over the limit, declared or streamed", async () => {
    const server = await start({ maxBodyBytes: 1024 });
    const big = { ...EVENT, context: { blob: "x".repeat(2048) } };
    const declared = await post(server, "/api/v2/enforce", big);
    expect(declared.status).toBe(413);
    expect(declared.json.detail).toBe("Request body exceeds 1024 bytes");

    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/api/v2/enforce`,
        { method: "POST", headers: { ...AUTH, "content-type": "application/json", "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.write(JSON.stringify(big));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(await healthy(server)).toBe(true);
    expect((await post(server, "/api/v2/enforce", EVENT)).status).toBe(200);
  });

  it("404 for an unknown route, 405 with Allow for a wrong method", async () => {
    const server = await start();
    const missing = await fetch(`${server.url}/api/v2/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).detail).toMatch(/Not found/);
    const wrongMethod = await fetch(`${server.url}/api/v2/enforce`, { headers: AUTH });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect((await fetch(`${server.url}/health`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${server.url}/mock/faults`)).status).toBe(405);
  });

  it("survives garbage, truncated and abandoned requests", async () => {
    const server = await start({ maxBodyBytes: 1 << 20, tokenSecret: "t" });
    const garbage = await raw(server, "\x00\x01\x02GARBAGE \r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    await raw(server, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    // A body shorter than its Content-Length, abandoned mid-way.
    await raw(
      server,
      `POST /api/v2/enforce HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"action":"re`,
      200,
    );
    // Headers that never finish, left open while other clients are served.
    const slow = connect(server.port, "127.0.0.1");
    slow.on("error", () => {});
    slow.write("POST /api/v2/enforce HTTP/1.1\r\nHost: x\r\nContent-Le");
    const during = await post(server, "/api/v2/enforce", EVENT);
    expect(during.status).toBe(200);
    slow.destroy();
    // Invalid UTF-8 and deep nesting inside otherwise valid JSON.
    expect(
      (await post(server, "/api/v2/enforce", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1"))).status,
    ).toBe(422);
    expect((await post(server, "/api/v2/enforce", "[".repeat(5000) + "]".repeat(5000))).status).toBe(422);
    const deep = `{"action":"read","resource":{"type":"db"},"context":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}}`;
    const deepAnswer = await post(server, "/api/v2/enforce", deep);
    expect(deepAnswer).toMatchObject({ status: 422, json: { detail: "context must not nest deeper than 32 levels" } });
    expect(await healthy(server)).toBe(true);
    expect((await fetch(`${server.url}/mock/decisions`)).status).toBe(200);
  });
});

describe("random garbage", () => {
  // A seeded generator: the same garbage every run, so a failure reproduces.
  function generator(seed: number) {
    let state = seed;
    const next = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const value = (depth: number): unknown => {
      switch (pick(["str", "num", "bool", "null", "arr", "obj", "weird"])) {
        case "str":
          return pick([
            "",
            "read",
            "raed",
            "postgres_db",
            "api.stripe.com",
            "\u0000",
            "💥",
            "x".repeat(300),
            "__proto__",
          ]);
        case "num":
          return pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER]);
        case "bool":
          return next() < 0.5;
        case "null":
          return null;
        case "arr":
          return depth > 3 ? [] : Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
        case "obj":
          return depth > 3 ? {} : object(depth + 1);
        default:
          return pick<unknown>([
            JSON.parse('{"__proto__": {"polluted": true}}'),
            { constructor: { prototype: 1 } },
            [null],
            { toString: 1 },
          ]);
      }
    };
    const keys = [
      "action",
      "actor",
      "resource",
      "data",
      "risk",
      "layer",
      "context",
      "tenantId",
      "id",
      "type",
      "name",
      "sensitivity",
      "pii",
      "volume",
      "default",
      "rules",
      "effect",
      "reason",
      "match",
      "__proto__",
    ];
    const object = (depth: number): Record<string, unknown> =>
      Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [pick(keys), value(depth)]));
    return { value, object, next };
  }

  it("never answers 500 and keeps serving", async () => {
    const server = await start();
    const random = generator(42);
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const body = i % 3 === 0 ? random.value(0) : { action: "read", resource: { type: "db" }, ...random.object(0) };
      const path = ["/api/v2/enforce", "/api/v2/canonicalize", "/api/v2/policies/install", "/mock/faults"][i % 4]!;
      const answer = await post(server, path, JSON.stringify(body));
      statuses.add(answer.status);
      expect([200, 201, 422], `${path} ${JSON.stringify(body)} → ${answer.text}`).toContain(answer.status);
      if (answer.status === 422) expect(typeof answer.json.detail).toBe("string");
      if (path === "/mock/faults" || path === "/api/v2/policies/install") {
        server.setFaults({});
        server.installPolicy("allow-all");
      }
    }
    expect(statuses).toContain(422);
    expect(statuses).toContain(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await healthy(server)).toBe(true);
  });
});

describe("decision tokens", () => {
  it("are absent without a secret", async () => {
    const server = await start();
    expect((await post(server, "/api/v2/enforce", EVENT)).json.decision_token).toBeUndefined();
  });

  it("verify for the exact body sent, and a tampered one does not", async () => {
    const server = await start({ tokenSecret: "shh", tokenTtlMs: 60_000 });
    const body = { ...EVENT, tenantId: "t-1", context: { tool: "lookup", args: { b: 1, a: [1, 2] } } };
    const { json } = await post(server, "/api/v2/enforce", body);
    const token = json.decision_token as string;
    const verified = verifyDecisionToken(token, "shh", { intentHash: intentHash(body), decision: "ALLOW" });
    expect(verified).toMatchObject({ ok: true, claims: { decision: "ALLOW", request_id: json.metadata.request_id } });
    if (!verified.ok) throw new Error("unreachable");
    expect(verified.claims.exp - Date.now()).toBeGreaterThan(50_000);

    const [version, payload, sig] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    const forged = `${version}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 1e9 })).toString("base64url")}.${sig}`;
    expect(verifyDecisionToken(forged, "shh", { intentHash: intentHash(body), decision: "ALLOW" })).toEqual({
      ok: false,
      problem: "bad-signature",
    });
    expect(verifyDecisionToken(token, "other", { intentHash: intentHash(body), decision: "ALLOW" })).toEqual({
      ok: false,
      problem: "bad-signature",
    });
    expect(
      verifyDecisionToken(token, "shh", { intentHash: intentHash({ ...body, action: "delete" }), decision: "ALLOW" }),
    ).toEqual({ ok: false, problem: "wrong-intent" });
    expect(verifyDecisionToken(token, "shh", { intentHash: intentHash(body), decision: "DENY" })).toEqual({
      ok: false,
      problem: "wrong-decision",
    });
    expect(
      verifyDecisionToken(token, "shh", { intentHash: intentHash(body), decision: "ALLOW", now: claims.exp }),
    ).toEqual({ ok: false, problem: "expired" });
    expect(server.decisions()[0]!.decision_token).toBe(token);
  });

  it("carry DENY decisions and the configured TTL", async () => {
    const server = await start({ tokenSecret: "shh", tokenTtlMs: 1_000, policy: "deny-all" });
    const before = Date.now();
    const { json } = await post(server, "/api/v2/enforce", EVENT);
    const verified = verifyDecisionToken(json.decision_token, "shh", {
      intentHash: intentHash(EVENT),
      decision: "DENY",
      now: before,
    });
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(verified.claims.exp).toBeLessThanOrEqual(Date.now() + 1_000);
  });
});

describe("faults", () => {
  it("adds latency", async () => {
    const server = await start({ faults: { latencyMs: 150 } });
    const started = Date.now();
    const { json } = await post(server, "/api/v2/enforce", EVENT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(149);
    expect(json.enforcement_latency_ms).toBeGreaterThanOrEqual(149);
  });

  it("answers 500 at error rate 1, a fixed status, or a malformed body; health stays up", async () => {
    const server = await start({ faults: { errorRate: 1 } });
    expect(await post(server, "/api/v2/enforce", EVENT)).toMatchObject({
      status: 500,
      json: { detail: "Internal server error" },
    });
    server.setFaults({ status: 502 });
    expect(await post(server, "/api/v2/enforce", EVENT)).toMatchObject({
      status: 502,
      json: { detail: "Data Plane error: injected fault" },
    });
    expect(await post(server, "/api/v2/canonicalize", EVENT)).toMatchObject({ status: 502 });
    server.setFaults({ malformedRate: 1 });
    const malformed = await post(server, "/api/v2/enforce", EVENT);
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    expect(await healthy(server)).toBe(true);
    expect(server.decisions()).toHaveLength(0);
    server.setFaults({});
    expect((await post(server, "/api/v2/enforce", EVENT)).status).toBe(200);
  });

  it("drops connections without answering", async () => {
    const server = await start({ faults: { dropRate: 1 } });
    await expect(post(server, "/api/v2/enforce", EVENT)).rejects.toThrow();
    expect(await healthy(server)).toBe(true);
  });

  it("are set at runtime through POST /mock/faults, validated", async () => {
    const server = await start();
    const set = await post(server, "/mock/faults", { status: 502 }, {});
    expect(set).toMatchObject({ status: 200, json: { faults: { status: 502 } } });
    expect(await post(server, "/api/v2/enforce", EVENT)).toMatchObject({
      status: 502,
      json: { detail: "Data Plane error: injected fault" },
    });
    expect((await fetch(`${server.url}/health`).then((r) => r.json() as Promise<Json>)).faults).toEqual({
      status: 502,
    });
    for (const bad of [
      { errorRate: 2 },
      { status: 200 },
      { latencyMs: -1 },
      { dropRate: "all" },
      { nonsense: 1 },
      [],
    ]) {
      const answer = await post(server, "/mock/faults", bad, {});
      expect(answer.status).toBe(422);
      expect(typeof answer.json.detail).toBe("string");
    }
    await post(server, "/mock/faults", {}, {});
    expect((await post(server, "/api/v2/enforce", EVENT)).status).toBe(200);
    expect(() => server.setFaults({ errorRate: -0.1 })).toThrow(GovernorInitError);
  });
});

describe("policies/install", () => {
  it("installs a policy at runtime and changes decisions", async () => {
    const server = await start();
    expect(
      (await post(server, "/api/v2/enforce", { action: "delete", resource: { type: "db", name: "users" } })).json
        .decision,
    ).toBe("ALLOW");
    const installed = await post(server, "/api/v2/policies/install", {
      name: "no-deletes",
      default: "allow",
      rules: [{ id: "no-delete", effect: "deny", reason: "Deletes need approval.", match: { action: "remove" } }],
    });
    expect(installed.status).toBe(201);
    expect(installed.json).toMatchObject({
      status: "installed",
      installation_stats: { rules: 1, deny_rules: 1, allow_rules: 0, default: "allow", name: "no-deletes" },
    });
    expect(installed.json.boundary_id).toMatch(/^bnd_/);
    expect(installed.json.request_id).toMatch(UUID);
    expect(installed.json.canonicalization_trace).toEqual([
      {
        field: "rules[0].match.action",
        raw_input: "remove",
        prediction: { canonical: "delete", confidence: 0.95, source: "synonym" },
      },
    ]);
    const after = await post(server, "/api/v2/enforce", { action: "delete", resource: { type: "db", name: "users" } });
    expect(after.json).toMatchObject({
      decision: "DENY",
      metadata: { reason: "Deletes need approval.", matched_rule: "no-delete", policy: "no-deletes" },
    });
    expect((await fetch(`${server.url}/health`).then((r) => r.json() as Promise<Json>)).policy).toBe("no-deletes");
  });

  it("refuses an invalid policy with 422 naming the problem, keeping the old one", async () => {
    const server = await start({ policy: "deny-all" });
    const answer = await post(server, "/api/v2/policies/install", {
      default: "allow",
      rules: [{ id: "a", effect: "permit", reason: "x" }],
    });
    expect(answer).toMatchObject({ status: 422, json: { detail: 'rules[0].effect must be "allow" or "deny"' } });
    expect((await post(server, "/api/v2/enforce", EVENT)).json.decision).toBe("DENY");
  });

  it("installPolicy() does the same from code", async () => {
    const server = await start();
    server.installPolicy("deny-all");
    expect((await post(server, "/api/v2/enforce", EVENT)).json.decision).toBe("DENY");
  });
});

describe("GET /health and /mock/decisions", () => {
  it("health needs no key and names the policy", async () => {
    const server = await start({ policy: "deny-all" });
    const health = await fetch(`${server.url}/health`).then((r) => r.json() as Promise<Json>);
    expect(health).toMatchObject({ status: "ok", policy: "deny-all", decisions: 0, tokens: false });
  });

  it("lists decisions and filters by request id", async () => {
    const server = await start();
    const first = await post(server, "/api/v2/enforce", EVENT);
    await post(server, "/api/v2/enforce", { action: "write", resource: { type: "fs", name: "/tmp/a" } });
    const all = await fetch(`${server.url}/mock/decisions`).then((r) => r.json() as Promise<Json>);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({
      decision: "ALLOW",
      canonical_intent: { action: "write", resource: { type: "filesystem", name: "/tmp/a" } },
    });
    const one = await fetch(`${server.url}/mock/decisions?request_id=${first.json.metadata.request_id}`).then(
      (r) => r.json() as Promise<Json>,
    );
    expect(one).toHaveLength(1);
    expect(one[0].intent).toEqual(EVENT);
    expect(await fetch(`${server.url}/mock/decisions?request_id=nope`).then((r) => r.json() as Promise<Json>)).toEqual(
      [],
    );
  });

  it("keeps a bounded number of decisions in memory", async () => {
    const server = await start({ maxRecordedDecisions: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(server, "/api/v2/enforce", EVENT)).json.metadata.request_id);
    expect(server.decisions().map((d) => d.request_id)).toEqual(ids.slice(2));
  });
});

describe("decision log", () => {
  it("appends every decision as one JSON line", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "gi-mock-")), "decisions.jsonl");
    const server = await start({ decisionLog: log, policy: "deny-all" });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await post(server, "/api/v2/enforce", { ...EVENT, context: { i } })).json.metadata.request_id);
    await server.close();
    const lines = readFileSync(log, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.request_id)).toEqual(ids);
    expect(lines[2]).toMatchObject({
      decision: "DENY",
      intent: { context: { i: 2 } },
      canonical_intent: { action: "read" },
      policy: "deny-all",
    });
  });
});

describe("startMockServer", () => {
  it("reports a busy port as SERVICE_UNAVAILABLE suggesting --port 0", async () => {
    const first = await start();
    const error = await startMockServer({ port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GovernorInitError);
    expect((error as GovernorInitError).code).toBe("SERVICE_UNAVAILABLE");
    expect((error as GovernorInitError).suggestion).toMatch(/--port 0/);
  });

  it("refuses a bad policy before listening", async () => {
    await expect(startMockServer({ policy: { default: "sometimes", rules: [] } as never })).rejects.toMatchObject({
      code: "INVALID_POLICY",
    });
  });

  it("refuses a decision log it cannot open before listening", async () => {
    await expect(startMockServer({ decisionLog: "/nonexistent-dir/decisions.jsonl" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("Cannot open the decision log /nonexistent-dir/decisions.jsonl"),
    });
  });

  it("close() is idempotent and frees the port", async () => {
    const server = await startMockServer({ port: 0 });
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    const again = await start({ port: server.port });
    expect(await healthy(again)).toBe(true);
  });
});
