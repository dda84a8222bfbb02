/**
 * `get_decision_history` over a real MCP client: decisions made by the real hook command (audited to
 * the project's .governor/audit.jsonl) and by the real mock, filtered, each pointing at
 * explain_decision, which answers for the same request id.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../../enforce-mock/index.js";
import { CLI, requireBuild, runProcess } from "../../test/e2e/helpers.js";
import { getDecisionHistory } from "../../core/decision-history.js";
import { connect, tempDir, textOf } from "./helpers.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = Record<string, any>;

let mock: MockServer;
let project: string;

function hookEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of Object.keys(process.env)) if (key.startsWith("GOVERNOR_")) env[key] = undefined;
  return { ...env, GOVERNOR_ENFORCE_URL: mock.url, GOVERNOR_API_KEY: "k" };
}

const bash = (command: string) =>
  JSON.stringify({
    hook_event_name: "PreToolUse",
    cwd: project,
    session_id: "s",
    tool_name: "Bash",
    tool_input: { command },
  });

beforeAll(async () => {
  requireBuild();
  project = tempDir("gi-history-");
  mock = await startMockServer({
    policy: {
      name: "history",
      default: "allow",
      rules: [
        {
          id: "no-rm",
          effect: "deny",
          reason: "No rm from agents.",
          match: { action: "execute", resource_type: "process", resource_name: "rm" },
        },
      ],
    },
  });
  for (const command of ["ls -la", "rm -rf build", "git status"]) {
    await runProcess(process.execPath, [CLI, "hook", "claude-code", "PreToolUse"], {
      env: hookEnv(),
      cwd: project,
      input: bash(command),
    });
  }
});

afterAll(() => mock?.close());

describe("get_decision_history", () => {
  it("lists the hooks' decisions from .governor/audit.jsonl in the roots, newest first, each linked to explain_decision", async () => {
    const { client, close } = await connect({ roots: [project], env: {} });
    try {
      const result = await client.callTool({ name: "get_decision_history", arguments: {} });
      expect(result.isError).toBeFalsy();
      const { entries, sources } = result.structuredContent as Structured;
      expect(sources).toEqual([{ source: path.join(project, ".governor", "audit.jsonl"), records: 3 }]);
      expect(entries.map((e: Structured) => e.resourceName)).toEqual(["git", "rm", "ls"]);
      const denied = entries.find((e: Structured) => e.decision === "DENY");
      expect(denied).toMatchObject({
        tool: "Bash",
        agent: "claude-code",
        reason: "No rm from agents.",
        executed: false,
      });
      expect(denied.explain).toEqual({ tool: "explain_decision", arguments: { requestId: denied.requestId } });
      expect(textOf(result)).toContain(`explain_decision {"requestId":"${denied.requestId}"}`);

      const why = await client.callTool({
        name: "explain_decision",
        arguments: { ...denied.explain.arguments, mockUrl: mock.url },
      });
      expect((why.structuredContent as Structured).reason).toBe("No rm from agents.");
    } finally {
      await close();
    }
  });

  it("filters by decision, tool and time", async () => {
    const { client, close } = await connect({ roots: [project], env: {} });
    try {
      const denied = await client.callTool({ name: "get_decision_history", arguments: { decision: "DENY" } });
      expect((denied.structuredContent as Structured).entries.map((e: Structured) => e.resourceName)).toEqual(["rm"]);
      const git = await client.callTool({ name: "get_decision_history", arguments: { tool: "git" } });
      expect((git.structuredContent as Structured).entries.map((e: Structured) => e.resourceName)).toEqual(["git"]);
      const future = await client.callTool({
        name: "get_decision_history",
        arguments: { since: new Date(Date.now() + 60_000).toISOString() },
      });
      expect((future.structuredContent as Structured).entries).toEqual([]);
      const recent = await client.callTool({ name: "get_decision_history", arguments: { since: "1h", limit: 1 } });
      expect(recent.structuredContent as Structured).toMatchObject({ matched: 3 });
      expect((recent.structuredContent as Structured).entries).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("reads the mock's decision log", async () => {
    const { client, close } = await connect({ roots: [project], env: {} });
    try {
      const result = await client.callTool({
        name: "get_decision_history",
        arguments: { mockUrl: mock.url, auditLog: [], decision: "DENY" },
      });
      const { entries } = result.structuredContent as Structured;
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries[0]).toMatchObject({ from: "mock", resourceName: "rm", reason: "No rm from agents." });
      expect(entries[0].explain.arguments).toEqual({ requestId: entries[0].requestId, mockUrl: mock.url });
    } finally {
      await close();
    }
  });

  it("says what to pass when there is no log, and refuses files outside the roots", async () => {
    const empty = tempDir("gi-history-empty-");
    const { client, close } = await connect({ roots: [empty], env: {} });
    try {
      const none = await client.callTool({ name: "get_decision_history", arguments: {} });
      expect(none.isError).toBe(true);
      expect(textOf(none)).toMatch(/No decision log could be read.*auditLog.*mockUrl/s);
      const outside = await client.callTool({
        name: "get_decision_history",
        arguments: { auditLog: [path.join(project, ".governor", "audit.jsonl")] },
      });
      expect(outside.isError).toBe(true);
    } finally {
      await close();
    }
  });
});

describe("getDecisionHistory reads any JSONL log in the SDK's audit event shape", () => {
  it("skips lines in other shapes and says so", async () => {
    const dir = tempDir("gi-history-any-");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "proxy-audit.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({
          time: "2026-12-01T10:00:00.000Z",
          source: "tool",
          intent: {
            action: "execute",
            resource: { type: "mcp_tool", name: "github/create_issue" },
            context: { tool: "create_issue" },
          },
          decision: "DENY",
          requestId: "r-1",
          reason: "nope",
          executed: false,
          cached: false,
        }),
        "not json",
        JSON.stringify({ hello: "world" }),
      ].join("\n") + "\n",
    );
    const history = await getDecisionHistory({
      auditLogs: [file],
      now: new Date("2026-12-01T10:05:00Z"),
      since: "10m",
    });
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]).toMatchObject({ tool: "create_issue", requestId: "r-1", decision: "DENY" });
    expect(history.sources[0]).toMatchObject({
      records: 3,
      problem: "2 line(s) not in the audit event shape were skipped",
    });
    await expect(getDecisionHistory({ auditLogs: [file], since: "yesterday-ish" })).rejects.toThrow(/not a time/);
  });
});
