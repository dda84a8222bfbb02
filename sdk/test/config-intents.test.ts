/** Configuration parsing and the default intents derived from calls (pure functions). */
import { describe, expect, it } from "vitest";
import { globToRegExp, normalizeEnforceUrl, parseExempt, resolveConfig } from "../src/config.js";
import { stableStringify } from "../src/protocol.js";
import {
  fetchIntent,
  fileCommandIntent,
  fsIntent,
  httpRequestIntent,
  hostForIntent,
  shellCommandIntent,
  sqlIntent,
} from "../src/intents.js";

describe("resolveConfig", () => {
  it("applies defaults and reads every variable", () => {
    const { config } = resolveConfig({}, {});
    expect(config).toMatchObject({
      enabled: true,
      failMode: "closed",
      timeoutMs: 2000,
      layer: "L4",
      cacheTtlMs: 5000,
      devBypass: false,
    });
    expect(config.primitives).toEqual(["fetch", "http", "child_process", "fs"]);
    expect(config.enforceUrl).toBeUndefined();
    const env = {
      GOVERNOR_ENABLED: "off",
      GOVERNOR_ENFORCE_URL: "https://governor.example.com",
      GOVERNOR_API_KEY: "k",
      GOVERNOR_FAIL_MODE: "open",
      GOVERNOR_TIMEOUT_MS: "250",
      GOVERNOR_ACTOR_ID: "svc-1",
      GOVERNOR_ACTOR_TYPE: "service",
      GOVERNOR_TENANT_ID: "t1",
      GOVERNOR_LAYER: "L3",
      GOVERNOR_CACHE_TTL_MS: "0",
      GOVERNOR_DECISION_SECRET: "s",
      GOVERNOR_EXEMPT: "http://127.0.0.1:*/health, fs:/var/log/*",
      GOVERNOR_PRIMITIVES: "fetch,fs",
      GOVERNOR_AUDIT_LOG: "/tmp/audit.jsonl",
    };
    const resolved = resolveConfig({}, env).config;
    expect(resolved).toMatchObject({
      enabled: false,
      enforceUrl: "https://governor.example.com/api/v2/enforce",
      apiKey: "k",
      failMode: "open",
      timeoutMs: 250,
      actor: { id: "svc-1", type: "service" },
      tenantId: "t1",
      layer: "L3",
      cacheTtlMs: 0,
      decisionSecret: "s",
      primitives: ["fetch", "fs"],
      auditLog: "/tmp/audit.jsonl",
    });
    expect(resolved.exempt.map(({ kind, target }) => ({ kind, target }))).toEqual([
      { kind: undefined, target: "http://127.0.0.1:*/health" },
      { kind: "fs", target: "/var/log/*" },
    ]);
    expect(resolved.exempt[0]!.pattern.test("http://127.0.0.1:8080/health")).toBe(true);
    expect(resolved.exempt[0]!.pattern.test("http://127.0.0.1:8080/healthz")).toBe(false);
    // Explicit options win over the environment.
    expect(resolveConfig({ timeoutMs: 10, failMode: "closed" }, env).config).toMatchObject({
      timeoutMs: 10,
      failMode: "closed",
    });
  });

  it("names the variable of an invalid value", () => {
    expect(() => resolveConfig({}, { GOVERNOR_ENABLED: "maybe" })).toThrow(/GOVERNOR_ENABLED/);
    expect(() => resolveConfig({}, { GOVERNOR_ENFORCE_URL: "ftp://x" })).toThrow(/GOVERNOR_ENFORCE_URL/);
    expect(() => resolveConfig({}, { GOVERNOR_TIMEOUT_MS: "-1" })).toThrow(/GOVERNOR_TIMEOUT_MS/);
    expect(() => resolveConfig({}, { GOVERNOR_CACHE_TTL_MS: "1.5" })).toThrow(/GOVERNOR_CACHE_TTL_MS/);
    expect(() => resolveConfig({}, { GOVERNOR_PRIMITIVES: "fetch,telepathy" })).toThrow(
      /GOVERNOR_PRIMITIVES.*telepathy/,
    );
    expect(() => resolveConfig({}, { GOVERNOR_ACTOR_TYPE: "user" })).toThrow(/GOVERNOR_ACTOR_ID/);
    expect(() => resolveConfig({}, { GOVERNOR_DEV_BYPASS: "please" })).toThrow(/GOVERNOR_DEV_BYPASS/);
  });

  it("refuses the dev bypass in production, with a warning", () => {
    const { config, warnings } = resolveConfig({}, { GOVERNOR_DEV_BYPASS: "1", NODE_ENV: "production" });
    expect(config.devBypass).toBe(false);
    expect(warnings.join()).toMatch(/refused because NODE_ENV=production/);
    expect(resolveConfig({}, { GOVERNOR_DEV_BYPASS: "1" }).config.devBypass).toBe(true);
  });

  it("exempt globs too broad: * stays within one path segment, ** crosses segments", () => {
    const health = globToRegExp("http://127.0.0.1:*/health");
    expect(health.test("http://127.0.0.1:8080/health")).toBe(true);
    expect(health.test("http://127.0.0.1:8080/admin/drop-all/health")).toBe(false);
    expect(health.test("http://127.0.0.1:8080/api/v2/enforce?x=/health")).toBe(false);
    expect(globToRegExp("*/health").test("/tmp/out/health")).toBe(false);
    expect(globToRegExp("/tmp/cache/*").test("/tmp/cache/a")).toBe(true);
    expect(globToRegExp("/tmp/cache/*").test("/tmp/cache/a/b")).toBe(false);
    expect(globToRegExp("/tmp/cache/**").test("/tmp/cache/a/b")).toBe(true);
    expect(globToRegExp("/tmp/**/x.log").test("/tmp/x.log")).toBe(true);
    expect(globToRegExp("/tmp/**/x.log").test("/tmp/a/b/x.log")).toBe(true);
    expect(globToRegExp("/tmp/**/x.log").test("/tmpx.log")).toBe(false);
    expect(globToRegExp("a?c").test("abc")).toBe(true);
    expect(globToRegExp("a?c").test("a/c")).toBe(false);
    expect(globToRegExp("https://otel.example.com/v1.(x)+").test("https://otel.example.com/v1.(x)+")).toBe(true);
    expect(globToRegExp("https://otel.example.com/v1.(x)+").test("https://otel.example.com/v1x(x)")).toBe(false);
  });

  it("exempt globs too broad: an exemption of * or ** alone is warned about once", () => {
    const { warnings } = resolveConfig({}, { GOVERNOR_EXEMPT: "fs:**,http://127.0.0.1:*/health,*" });
    expect(warnings.filter((w) => w.includes("exempts everything"))).toEqual([
      expect.stringMatching(/^GOVERNOR_EXEMPT: the exemption "fs:\*\*" exempts everything of kind fs/),
      expect.stringMatching(/^GOVERNOR_EXEMPT: the exemption "\*" exempts everything of every kind/),
    ]);
    expect(resolveConfig({ exempt: [{ target: "/tmp/**" }] }, {}).warnings).toEqual([]);
  });

  it("keeps an explicit enforce path and appends the default to a bare origin", () => {
    expect(normalizeEnforceUrl("http://127.0.0.1:4319")).toBe("http://127.0.0.1:4319/api/v2/enforce");
    expect(normalizeEnforceUrl("https://gw.example.com/custom/enforce")).toBe("https://gw.example.com/custom/enforce");
    expect(parseExempt("http:http://x/*,child_process:git")).toEqual([
      { kind: "http", target: "http://x/*" },
      { kind: "child_process", target: "git" },
    ]);
  });
});

describe("derived intents", () => {
  it("HTTP: action from the method, external_api named by the host, no query string", () => {
    // Host-based policy rules never match SDK intents: the full host is sent, the policy service reduces it.
    expect(hostForIntent("API.Stripe.com.")).toBe("api.stripe.com");
    expect(hostForIntent("[::1]")).toBe("::1");
    expect(fetchIntent("fetch", ["https://uploads.github.com/repos/x/y/releases/1/assets"]).intent.resource.name).toBe(
      "uploads.github.com",
    );
    expect(fetchIntent("fetch", ["https://attacker.github.io/exfil"]).intent.resource.name).toBe("attacker.github.io");
    expect(fetchIntent("fetch", ["https://api.stripe.com/v1/charges?key=secret", { method: "POST" }]).intent).toEqual({
      action: "write",
      resource: { type: "external_api", name: "api.stripe.com" },
      context: { primitive: "fetch", method: "POST", url: "https://api.stripe.com/v1/charges" },
    });
    expect(fetchIntent("fetch", [new Request("https://api.github.com/x", { method: "DELETE" })]).intent.action).toBe(
      "delete",
    );
    expect(
      httpRequestIntent("https.request", "https:", [
        { hostname: "api.openai.com", path: "/v1/chat?x=1", method: "HEAD" },
      ]),
    ).toMatchObject({
      intent: { action: "read", resource: { name: "api.openai.com" } },
      target: "https://api.openai.com/v1/chat",
    });
    expect(httpRequestIntent("http.get", "http:", ["http://example.org:8080/a", { method: "PUT" }]).target).toBe(
      "http://example.org:8080/a",
    );
  });

  it("http.request override: url and options merged as Node merges them", () => {
    const target = (args: unknown[], protocol = "http:") => httpRequestIntent("http.request", protocol, args).target;
    expect(target(["http://a.test:1/x?q=1", { hostname: "b.test", path: "/y?z", port: 2 }])).toBe("http://b.test:2/y");
    expect(target(["http://a.test/x", { host: "b.test" }])).toBe("http://a.test/x");
    expect(target([{ host: "b.test:8080", path: "/p" }])).toBe("http://b.test:8080/p");
    expect(target([{ hostname: "b.test", host: "c.test" }])).toBe("http://b.test/");
    expect(target([{ hostname: "::1", port: 9 }])).toBe("http://[::1]:9/");
    expect(target(["http://a.test/", { path: "//evil.test/x" }])).toBe("http://a.test//evil.test/x");
    expect(target(["http://a.test/", { protocol: "https:" }])).toBe("https://a.test/");
    expect(target([{ hostname: "a.test" }], "https:")).toBe("https://a.test/");
    expect(
      httpRequestIntent("http.get", "http:", [new URL("http://a.test/"), { method: "DELETE" }]).intent.action,
    ).toBe("delete");
  });

  it("processes: execute on process named by the program, or by the shell that runs a command line", () => {
    expect(shellCommandIntent("child_process.exec", ["git status --short"]).intent).toEqual({
      action: "execute",
      resource: { type: "process", name: "sh" },
      context: { primitive: "child_process.exec", command: "git status --short", program: "git" },
    });
    expect(fileCommandIntent("child_process.spawn", ["/usr/bin/python3", ["-c", "1"]]).intent.resource.name).toBe(
      "/usr/bin/python3",
    );
    expect(fileCommandIntent("child_process.spawn", ["rm -rf /tmp/x", { shell: true }]).intent.resource.name).toBe(
      "sh",
    );
    expect(fileCommandIntent("child_process.spawn", ["rm", ["-rf", "/x"], { shell: "/bin/zsh" }]).intent).toMatchObject(
      {
        resource: { name: "zsh" },
        context: { command: "rm -rf /x", program: "rm" },
      },
    );
  });

  it("fs: write or delete on filesystem named by the path written", () => {
    expect(fsIntent("fs.unlink", "unlink", ["/tmp/a"]).intent).toMatchObject({
      action: "delete",
      resource: { type: "filesystem", name: "/tmp/a" },
    });
    expect(fsIntent("fs.copyFile", "copyFile", ["/tmp/a", "/tmp/b"]).intent).toMatchObject({
      action: "write",
      resource: { name: "/tmp/b" },
      context: { from: "/tmp/a" },
    });
    expect(fsIntent("fs.writeFile", "writeFile", [new URL("file:///tmp/c")]).target).toBe("/tmp/c");
    expect(fsIntent("fs.writeFile", "writeFile", [3]).target).toBe("fd:3");
  });

  it("SQL: action from the most destructive verb anywhere, database named by the table it acts on", () => {
    const cases: Array<[string, string, string | undefined]> = [
      ["SELECT * FROM users u JOIN orders o ON o.uid = u.id", "read", "users"],
      ["  -- comment\n insert into public.orders (id) values (1)", "write", "public.orders"],
      ['UPDATE "accounts" SET x = 1', "write", "accounts"],
      ["DELETE FROM sessions WHERE 1", "delete", "sessions"],
      ["DROP TABLE IF EXISTS temp_items", "delete", "temp_items"],
      ["TRUNCATE logs", "delete", "logs"],
      ["VACUUM", "execute", undefined],
      ["SELECT 1; DELETE FROM users", "delete", "users"],
      ["EXPLAIN ANALYZE DELETE FROM users", "delete", "users"],
      ["WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone", "delete", "users"],
      ["WITH recent AS (SELECT * FROM orders) UPDATE orders SET seen = true", "write", "orders"],
      ["SELECT * FROM accounts FOR UPDATE", "read", "accounts"],
      ["CREATE TABLE items (id int REFERENCES carts ON DELETE CASCADE)", "write", "items"],
      ["INSERT INTO notes VALUES ('drop table users')", "write", "notes"],
      ["SELECT replace(name, 'a', 'b') FROM users", "read", "users"],
    ];
    for (const [sql, action, table] of cases) {
      const { intent } = sqlIntent("sql.query", sql);
      expect([intent.action, intent.resource.name], sql).toEqual([action, table]);
    }
    expect(sqlIntent("sql.query", { text: "select 1 from t" }).intent.resource).toEqual({
      type: "database",
      name: "t",
    });
  });
});

describe("stableStringify", () => {
  // An independent reference: sort keys at every depth, then JSON.stringify.
  const reference = (value: unknown): string => {
    const sort = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map((item) => (item === undefined ? null : sort(item)));
      if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(v).sort()) {
          const item = (v as Record<string, unknown>)[key];
          if (item !== undefined) out[key] = sort(item);
        }
        return out;
      }
      return v;
    };
    // What is sent is JSON.stringify's text (toJSON applied: a Date is its ISO string), sorted.
    return JSON.stringify(sort(JSON.parse(JSON.stringify(value)) as unknown));
  };

  it("gives the same text as JSON.stringify with keys sorted (toJSON applied), for plain and unusual values", () => {
    const values: unknown[] = [
      { b: 1, a: [3, { d: "x", c: null }], e: undefined, "10": true, "9": false },
      { action: "read", resource: { type: "external_api", name: "stripe" }, context: { url: 'https://x/\u2028"q"' } },
      [1, undefined, "two", -0, 1e21, { z: { y: { x: [] } } }],
      { when: new Date(0), fn: () => 1, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, nested: [() => 2] },
      Object.assign(Object.create(null) as object, { b: 2, a: 1 }),
      "plain string",
      42,
      null,
    ];
    for (const value of values) expect(stableStringify(value)).toBe(reference(value));
  });
});
