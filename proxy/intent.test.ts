import { describe, expect, it } from "vitest";
import { toolCallIntent, UNKNOWN_ACTION, UNKNOWN_RESOURCE_TYPE } from "./intent.js";
import { overrideLookup, parseOverrides } from "./overrides.js";

const schema = (...names: string[]) => ({
  type: "object",
  properties: Object.fromEntries(names.map((n) => [n, { type: "string" }])),
});

describe("toolCallIntent", () => {
  it("reads the verb and resource from the tool's name, and the resource name from the call's path", () => {
    expect(
      toolCallIntent(
        "fs",
        { name: "write_file", inputSchema: schema("path", "content") },
        { path: "/tmp/a", content: "x" },
      ),
    ).toEqual({
      action: "write",
      resource: { type: "filesystem", name: "/tmp/a" },
      context: { mcp_server: "fs", tool: "write_file", arguments: { path: "/tmp/a", content: "x" } },
    });
  });

  it("lets readOnlyHint make a call a read whatever the name says", () => {
    const intent = toolCallIntent("s", { name: "run_report", annotations: { readOnlyHint: true } }, {});
    expect(intent.action).toBe("read");
  });

  it("maps destructiveHint to delete where the name names no verb, and keeps a named verb", () => {
    expect(toolCallIntent("s", { name: "purge_everything_now", annotations: { destructiveHint: true } }).action).toBe(
      "delete",
    );
    expect(toolCallIntent("s", { name: "frobnicate", annotations: { destructiveHint: true } }).action).toBe("delete");
    const write = toolCallIntent("s", { name: "write_file", annotations: { destructiveHint: true } });
    expect(write.action).toBe("write");
    expect(write.risk).toEqual({ destructive: true });
  });

  it("uses openWorldHint and the server's name when the tool names no resource", () => {
    expect(toolCallIntent("acme", { name: "frobnicate", annotations: { openWorldHint: true } }).resource).toEqual({
      type: "external_api",
      name: "acme",
    });
    expect(toolCallIntent("postgres", { name: "frobnicate" }).resource).toEqual({ type: "database", name: "postgres" });
    expect(toolCallIntent("github", { name: "frobnicate" }).resource).toEqual({ type: "external_api", name: "github" });
  });

  it("falls back to execute on the server itself when nothing is known, never to a placeholder", () => {
    const intent = toolCallIntent("acme", { name: "frobnicate" });
    expect(intent.action).toBe(UNKNOWN_ACTION);
    expect(intent.resource).toEqual({ type: UNKNOWN_RESOURCE_TYPE, name: "acme" });
    expect(JSON.stringify(intent)).not.toContain("TODO");
  });

  it("marks personal-data argument names as pii and list arguments as bulk", () => {
    const intent = toolCallIntent("crm", { name: "send_email" }, { email: "a@b.c", recipients: ["a", "b"] });
    expect(intent.data).toMatchObject({ pii: true, volume: "bulk" });
  });

  it("sends large arguments as a preview plus their SHA-256, so calls that differ late stay apart", () => {
    const big = (tail: string) =>
      toolCallIntent("s", { name: "write_file" }, { path: "/a", content: "x".repeat(10_000) + tail });
    const a = big("a");
    const b = big("b");
    expect(a.context!.arguments).toMatchObject({ truncated: true });
    expect(a.context!.arguments_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.context!.arguments_sha256).not.toBe(b.context!.arguments_sha256);
  });

  it("applies an override's fields over the inferred ones", () => {
    const [override] = parseOverrides({
      overrides: [
        {
          tool: "query",
          action: "read",
          resource: { type: "database", nameFrom: "table" },
          data: { sensitivity: ["confidential"] },
        },
      ],
    });
    expect(toolCallIntent("db", { name: "query" }, { table: "users", sql: "select 1" }, override)).toMatchObject({
      action: "read",
      resource: { type: "database", name: "users" },
      data: { sensitivity: ["confidential"] },
    });
  });
});

describe("overrides", () => {
  it("finds the first override whose tool and server globs match", () => {
    const lookup = overrideLookup(
      parseOverrides({
        overrides: [
          { tool: "write_*", server: "fs-*", action: "write" },
          { tool: "*", action: "execute" },
        ],
      }),
    );
    expect(lookup("fs-prod", "write_file")?.action).toBe("write");
    expect(lookup("other", "write_file")?.action).toBe("execute");
  });

  it("refuses an unknown field, naming where it is", () => {
    expect(() => parseOverrides({ overrides: [{ tool: "x", resource: { kind: "file" } }] }, "o.yaml")).toThrow(
      /o\.yaml: overrides\.0\.resource/,
    );
    expect(() => parseOverrides({ overrides: [{ action: "read" }] })).toThrow(/overrides\.0\.tool/);
    expect(() => parseOverrides({ rules: [] })).toThrow(/overrides/);
  });
});

describe("the guide's override file", () => {
  it("validates with the proxy's schema", async () => {
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const guide = readFileSync(new URL("../docs-corpus/guides/govern-mcp-server.md", import.meta.url), "utf8");
    const blocks = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => b.includes("overrides:"));
    expect(blocks).toHaveLength(1);
    const overrides = parseOverrides(parse(blocks[0]!));
    expect(overrideLookup(overrides)("postgres", "query_users")?.resource?.nameFrom).toBe("table");
  });
});
