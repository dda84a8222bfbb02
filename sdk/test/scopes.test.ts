/**
 * Explicit scopes, actors, decide(), governTool() and govern() against the real enforce mock
 * (in a child process) with a rule-based policy.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  govern,
  governor,
  governTool,
  GovernorDeniedError,
  withActor,
  withIntent,
  type AuditEvent,
  type IntentEvent,
} from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startCountingServer, startMock, tempDir, type MockProcess, auditedGovernor } from "./helpers.js";

const POLICY = {
  name: "sdk-scopes",
  default: "allow",
  rules: [
    { id: "no-deletes", effect: "deny", reason: "Deleting is not allowed here.", match: { action: "delete" } },
    {
      id: "no-forbidden-files",
      effect: "deny",
      reason: "That path is forbidden.",
      match: { resource_type: "filesystem", resource_name: "**/forbidden-*" },
    },
    {
      id: "no-user-writes",
      effect: "deny",
      reason: "The users table is read-only.",
      match: { action: "write", resource_type: "database", resource_name: "users" },
    },
    {
      id: "agents-no-exec",
      effect: "deny",
      reason: "Agents may not run programs.",
      match: { action: "execute", actor_type: "agent" },
    },
  ],
};

let mock: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let dir: string;
const governed = auditedGovernor();
const { audit } = governed;

beforeAll(async () => {
  [mock, counter] = await Promise.all([startMock({ policy: POLICY }), startCountingServer()]);
  dir = tempDir();
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([mock?.stop(), counter?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.GOVERNOR_ENFORCE_URL;
  delete process.env.GOVERNOR_API_KEY;
});

function start(options: Parameters<typeof governor.enable>[0] = {}): void {
  governed.start(mock.url, options);
}

const readOrders: IntentEvent = { action: "read", resource: { type: "database", name: "orders" } };
const deleteOrders: IntentEvent = { action: "delete", resource: { type: "database", name: "orders" } };

describe("an unfinished intent (a TODO(governor) placeholder left by the codemod)", () => {
  it("is refused before anything is asked or run", async () => {
    start();
    const before = (await mock.decisions()).length;
    let ran = false;
    const handler = governTool(
      {
        tool: "ping",
        action: "TODO(governor): choose an action (read, write, delete, execute)",
        resource: { type: "external_api" },
      },
      async () => {
        ran = true;
      },
    );
    await expect(handler()).rejects.toMatchObject({ code: "GOVERNOR_UNRESOLVED_INTENT" });
    await expect(
      withIntent({ action: "read", resource: { type: "TODO(governor): choose a resource type" } }, () => {
        ran = true;
      }),
    ).rejects.toThrow(/unfinished/);
    expect(ran).toBe(false);
    expect((await mock.decisions()).length).toBe(before);
  });
});

describe("withIntent", () => {
  it("decides once on entry; primitives inside run under the scope's decision", async () => {
    start({ cacheTtlMs: 60_000 });
    const before = (await mock.decisions()).length;
    const forbidden = join(dir, "forbidden-but-in-scope");
    const result = await governor.withIntent(
      { action: "write", resource: { type: "filesystem", name: dir } },
      async () => {
        expect(governor.currentIntent()).toMatchObject({ action: "write", layer: "L4" });
        fs.writeFileSync(forbidden, "x"); // its own derived intent would be denied; the scope's decision covers it
        await fetch(`${counter.url}/in-scope`);
        return 42;
      },
    );
    expect(result).toBe(42);
    expect(fs.existsSync(forbidden)).toBe(true);
    expect((await mock.decisions()).length - before).toBe(1);
    expect(audit.map((e) => [e.source, e.primitive, e.cached])).toEqual([
      ["scope", undefined, false],
      ["primitive", "fs.writeFileSync", true],
      ["primitive", "fetch", true],
    ]);
    expect(governor.currentIntent()).toBeUndefined();
  });

  it("DENY throws GovernorDeniedError and the body never runs", async () => {
    start();
    let ran = false;
    const error = (await withIntent(deleteOrders, () => {
      ran = true;
    }).catch((e: unknown) => e)) as GovernorDeniedError;
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(GovernorDeniedError);
    expect(error.reason).toBe("Deleting is not allowed here.");
    expect(error.intent).toMatchObject(deleteOrders);
    expect(error.message).toContain(error.requestId!);
  });

  it("nested scopes are each decided: an allowed outer scope does not cover a denied inner one", async () => {
    start();
    const steps: string[] = [];
    await expect(
      withIntent(readOrders, async () => {
        steps.push("outer");
        await withIntent(deleteOrders, () => steps.push("inner"));
      }),
    ).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(steps).toEqual(["outer"]);
    await withIntent(readOrders, () =>
      withIntent({ action: "read", resource: { type: "database", name: "items" } }, () => steps.push("both")),
    );
    expect(steps).toEqual(["outer", "both"]);
  });

  it("re-asks the scope's intent once its decision has expired", async () => {
    start({ cacheTtlMs: 1000 });
    const before = (await mock.decisions()).length;
    await withIntent(readOrders, async () => {
      fs.writeFileSync(join(dir, "expiry-1"), "x");
      await new Promise((resolve) => setTimeout(resolve, 1200));
      fs.writeFileSync(join(dir, "expiry-2"), "x");
    });
    const asked = (await mock.decisions()).slice(before);
    expect(asked.map((d) => d.intent.resource.name)).toEqual(["orders", "orders"]);
  });

  it("withActor sets the actor of derived intents and scopes", async () => {
    start({ actor: { id: "svc-default", type: "service" } });
    execFileOk();
    await withActor({ id: "agent-7", type: "agent" }, async () => {
      expect(() => childProcess.execFileSync(process.execPath, ["-e", "0"])).toThrow(/Agents may not run programs/);
      const decided = await governor.decide({ action: "read", resource: { type: "database" } });
      expect(decided.intent.actor).toEqual({ id: "agent-7", type: "agent" });
    });
    execFileOk();
    // decide() is a question, not an attempt: it is not in the audit trail.
    expect(audit.map((e) => e.intent.actor?.id)).toEqual(["svc-default", "agent-7", "svc-default"]);
  });

  it("decide() answers without running anything", async () => {
    start();
    const denied = await governor.decide(deleteOrders);
    expect(denied).toMatchObject({ decision: "DENY", cached: false, reason: "Deleting is not allowed here." });
    const allowed = await governor.decide(readOrders);
    expect(allowed.decision).toBe("ALLOW");
    expect((await governor.decide(readOrders)).cached).toBe(true);
  });

  it("appends every attempt to GOVERNOR_AUDIT_LOG as JSON lines", async () => {
    const log = join(dir, "audit.jsonl");
    start({ auditLog: log });
    await withIntent(readOrders, () => undefined);
    await withIntent(deleteOrders, () => undefined).catch(() => undefined);
    const lines = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEvent);
    expect(lines.map((e) => [e.decision, e.executed])).toEqual([
      ["ALLOW", true],
      ["DENY", false],
    ]);
  });
});

function execFileOk(): void {
  childProcess.execFileSync(process.execPath, ["-e", "0"]);
}

describe("governTool", () => {
  it("preserves this and every argument, and builds the intent from the spec and the input", async () => {
    start();
    const seen: unknown[] = [];
    const toolObject = {
      label: "tool-object",
      execute: governTool(
        {
          tool: "lookup_order",
          action: "read",
          resource: { type: "database" },
          resourceNameFrom: "table",
          data: { pii: false },
        },
        async function (
          this: { label: string },
          input: { table: string; id: number },
          runManager: object,
          config: object,
        ) {
          seen.push(this.label, input, runManager, config);
          return `found ${input.id}`;
        },
      ),
    };
    const runManager = { callbacks: [] };
    const config = { configurable: { thread: 1 } };
    await expect(toolObject.execute({ table: "orders", id: 7 }, runManager, config)).resolves.toBe("found 7");
    expect(seen).toEqual(["tool-object", { table: "orders", id: 7 }, runManager, config]);
    expect(audit[0]).toMatchObject({
      source: "tool",
      decision: "ALLOW",
      intent: {
        action: "read",
        resource: { type: "database", name: "orders" },
        data: { pii: false },
        context: { tool: "lookup_order", arguments: { table: "orders", id: 7 } },
      },
    });
  });

  it("a denied call never runs the handler; wrapping twice is a no-op", async () => {
    start();
    let calls = 0;
    const handler = governTool(
      { tool: "update_user", action: "write", resource: { type: "database" }, resourceNameFrom: "table" },
      async (_input: { table: string }) => ++calls,
    );
    expect(governTool({ tool: "other", action: "read", resource: { type: "x" } }, handler)).toBe(handler);
    await expect(handler({ table: "users" })).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(calls).toBe(0);
    await expect(handler({ table: "orders" })).resolves.toBe(1);
  });

  it("cuts large arguments to about 4 KB", async () => {
    start();
    const handler = governTool(
      { tool: "big", action: "read", resource: { type: "database" } },
      async (_input: { blob: string }) => "ok",
    );
    await handler({ blob: "x".repeat(20_000) });
    const argument = audit[0]!.intent.context!.arguments as { truncated: boolean; preview: string };
    expect(argument.truncated).toBe(true);
    expect(argument.preview.length).toBeLessThan(4200);
  });
});

describe("govern()", () => {
  it("works without enable(), reading the environment", async () => {
    resetGovernor();
    process.env.GOVERNOR_ENFORCE_URL = mock.url;
    process.env.GOVERNOR_API_KEY = API_KEY;
    const before = counter.hits();
    const response = await govern(fetch)(`${counter.url}/governed`);
    expect(await response.text()).toBe("ok");
    expect(counter.hits()).toBe(before + 1);
    const forbidden = join(dir, "forbidden-govern");
    expect(() => govern(fs).writeFileSync(forbidden, "x")).toThrow(GovernorDeniedError);
    await expect(govern(fs.promises).writeFile(forbidden, "x")).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(() => govern(fs.writeFileSync)(forbidden, "x")).toThrow(GovernorDeniedError);
    expect(fs.existsSync(forbidden)).toBe(false);
    expect(govern(fs)).toBe(govern(fs)); // cached per target
  });

  it("governs http, child_process (including promisify) and keeps one decision when patches are on too", async () => {
    start({ cacheTtlMs: 0 });
    const before = (await mock.decisions()).length;
    await new Promise<void>((resolve, reject) =>
      govern(http)
        .get(`${counter.url}/h`, (res) => res.resume().on("end", resolve))
        .on("error", reject),
    );
    const out = govern(childProcess).execSync("echo governed").toString().trim();
    expect(out).toBe("governed");
    const { stdout } = await promisify(govern(childProcess.exec))("echo promised");
    expect(stdout.trim()).toBe("promised");
    await govern(globalThis.fetch)(`${counter.url}/patched-and-governed`);
    const asked = (await mock.decisions()).slice(before).map((d) => d.intent.context.primitive);
    expect(asked).toEqual(["http.get", "child_process.execSync", "child_process.exec", "fetch"]);
  });

  it("governs a duck-typed SQL pool: verb → action, first table → resource", async () => {
    start();
    const executed: string[] = [];
    class FakePool {
      #connections = 1; // private state: the wrapper must call with the real object as `this`
      async query(sql: string | { text: string }, _values?: unknown[]) {
        executed.push(typeof sql === "string" ? sql : sql.text);
        return { rows: [], connections: this.#connections };
      }
      execute(sql: string, callback: (error: unknown, rows?: unknown[]) => void) {
        executed.push(sql);
        setImmediate(() => callback(null, []));
      }
    }
    const pool = govern(new FakePool());
    await expect(pool.query("SELECT * FROM orders WHERE id = $1", [1])).resolves.toEqual({ rows: [], connections: 1 });
    await expect(pool.query({ text: "UPDATE users SET name = $1" })).rejects.toBeInstanceOf(GovernorDeniedError);
    await expect(pool.query("DELETE FROM orders")).rejects.toBeInstanceOf(GovernorDeniedError);
    const cbError = await new Promise((resolve) => pool.execute("DROP TABLE orders", resolve));
    expect(cbError).toBeInstanceOf(GovernorDeniedError);
    await new Promise((resolve) => pool.execute("INSERT INTO orders VALUES (1)", resolve));
    expect(executed).toEqual(["SELECT * FROM orders WHERE id = $1", "INSERT INTO orders VALUES (1)"]);
    expect(audit.map((e) => [e.intent.action, e.intent.resource.name])).toEqual([
      ["read", "orders"],
      ["write", "users"],
      ["delete", "orders"],
      ["delete", "orders"],
      ["write", "orders"],
    ]);
  });

  it("governs an axios-like client by duck type", async () => {
    start();
    const calls: unknown[] = [];
    const request = async (config: { url: string; method?: string }) => {
      calls.push(config);
      return { status: 200 };
    };
    const client = Object.assign(async (config: { url: string }) => request(config), {
      interceptors: { request: {}, response: {} },
      defaults: { baseURL: "https://api.stripe.com/v1" },
      request,
      get: (url: string) => request({ url, method: "get" }),
      delete: (url: string) => request({ url, method: "delete" }),
    });
    const governed = govern(client);
    await governed.get("charges");
    await expect(governed.delete("charges/ch_1")).rejects.toBeInstanceOf(GovernorDeniedError);
    await governed({ url: "customers" });
    expect(calls).toEqual([{ url: "charges", method: "get" }, { url: "customers" }]);
    expect(audit[0]!.intent).toMatchObject({
      action: "read",
      resource: { type: "external_api", name: "api.stripe.com" },
      context: { url: "https://api.stripe.com/v1/charges" },
    });
  });

  it("governs an undici-style request function when told the kind", async () => {
    start();
    const sent: unknown[] = [];
    // The shape of undici's request(url, { method }): resolves to { statusCode, body }.
    const request = async (url: string, options: { method?: string } = {}) => {
      sent.push([url, options.method]);
      return { statusCode: 200, body: "ok" };
    };
    const governed = govern(request, "undici");
    await expect(governed("https://api.openai.com/v1/models")).resolves.toEqual({ statusCode: 200, body: "ok" });
    await expect(governed("https://api.openai.com/v1/files/f1", { method: "DELETE" })).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    expect(sent).toEqual([["https://api.openai.com/v1/models", undefined]]);
    expect(audit[0]!.intent).toMatchObject({
      action: "read",
      resource: { type: "external_api", name: "api.openai.com" },
    });
  });

  it("refuses an unknown target, naming the kinds", () => {
    expect(() => govern({ something: 1 })).toThrow(/fetch.*http.*child_process.*fs.*axios.*sql.*undici/s);
    expect(() => govern(() => 1)).toThrow(TypeError);
  });
});
