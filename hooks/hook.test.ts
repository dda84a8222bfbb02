/**
 * `governor-init hook` end to end: the built CLI in a child process, the recorded payloads on stdin,
 * the real enforce mock on loopback with allow-all, deny-all and a rule set. Every failure blocks.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../enforce-mock/server.js";
import { requireBuild, runCli, runProcess, REPO_ROOT } from "../test/e2e/helpers.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
interface Fixture {
  file: string;
  client: string;
  event: string;
  intents: Array<[string, string, string]>;
}
const index = JSON.parse(readFileSync(path.join(FIXTURES, "index.json"), "utf8")) as Fixture[];
const payload = (file: string) => readFileSync(path.join(FIXTURES, file), "utf8");
const PRE = new Set(["PreToolUse", "BeforeTool", "beforeShellExecution", "beforeMCPExecution", "beforeReadFile"]);
const isRead = (f: Fixture) => f.intents.every(([action]) => action === "read") && f.intents[0]![1] === "filesystem";
const pre = index.filter((f) => PRE.has(f.event) && !isRead(f));
const reads = index.filter((f) => PRE.has(f.event) && isRead(f));
const post = index.filter((f) => !PRE.has(f.event));

let allowAll: MockServer;
let denyAll: MockServer;
let rules: MockServer;
let work: string;

/** A clean environment: no GOVERNOR_* from the machine running the tests. */
function env(url: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const key of Object.keys(process.env))
    if (key.startsWith("GOVERNOR_") || key === "CLAUDE_PROJECT_DIR") clean[key] = undefined;
  return {
    ...clean,
    GOVERNOR_ENFORCE_URL: url,
    GOVERNOR_API_KEY: "test-key",
    GOVERNOR_AUDIT_LOG: path.join(work, "audit.jsonl"),
    ...extra,
  };
}

const hook = (client: string, event: string, input: string, e: NodeJS.ProcessEnv, extra: string[] = []) =>
  runProcess(process.execPath, [path.join(REPO_ROOT, "dist/cli/bin.js"), "hook", client, event, ...extra], {
    env: e,
    input,
    cwd: work,
  });

beforeAll(async () => {
  requireBuild();
  work = mkdtempSync(path.join(tmpdir(), "gi-hook-"));
  allowAll = await startMockServer({ policy: "allow-all" });
  denyAll = await startMockServer({ policy: "deny-all" });
  rules = await startMockServer({
    policy: {
      name: "coding-agent",
      default: "deny",
      rules: [
        {
          id: "no-rm",
          effect: "deny",
          reason: "Deleting files from the shell needs a human.",
          match: { action: "execute", resource_type: "process", resource_name: ["rm", "**/rm"] },
        },
        {
          id: "npm",
          effect: "allow",
          reason: "npm scripts are fine.",
          match: { action: "execute", resource_type: "process", resource_name: "npm" },
        },
        {
          id: "src",
          effect: "allow",
          reason: "Edits under src/ are fine.",
          match: { action: "write", resource_type: "filesystem", resource_name: "src/**" },
        },
      ],
    },
  });
});

afterAll(async () => {
  await Promise.all([allowAll?.close(), denyAll?.close(), rules?.close()]);
});

describe("allow-all: every recorded pre-event payload is allowed, in its agent's protocol", () => {
  for (const fixture of pre) {
    it(fixture.file, async () => {
      const before = allowAll.decisions().length;
      const result = await hook(fixture.client, fixture.event, payload(fixture.file), env(allowAll.url));
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      if (fixture.client === "cursor") expect(JSON.parse(result.stdout)).toEqual({ permission: "allow" });
      else if (fixture.client === "gemini") expect(JSON.parse(result.stdout)).toEqual({});
      else expect(result.stdout).toBe("");
      const asked = allowAll
        .decisions()
        .slice(before)
        .map((d) => {
          const intent = d.intent as { action: string; resource: { type: string; name: string } };
          return [intent.action, intent.resource.type, intent.resource.name];
        });
      expect(asked.sort()).toEqual([...fixture.intents].sort());
    });
  }
});

describe("deny-all: every recorded pre-event payload is blocked with exit 2 and a reason", () => {
  for (const fixture of pre) {
    it(fixture.file, async () => {
      const result = await hook(fixture.client, fixture.event, payload(fixture.file), env(denyAll.url));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Governor denied .+\(request [\w-]+\)/);
      expect(result.stderr).toContain("explain_decision");
      if (fixture.client === "cursor") {
        expect(JSON.parse(result.stdout)).toMatchObject({
          permission: "deny",
          agent_message: expect.stringContaining("denied"),
        });
      }
    });
  }
});

describe("reads", () => {
  for (const fixture of reads) {
    it(`${fixture.file}: let through without asking by default`, async () => {
      const before = denyAll.decisions().length;
      const result = await hook(fixture.client, fixture.event, payload(fixture.file), env(denyAll.url));
      expect(result.code).toBe(0);
      expect(denyAll.decisions().length).toBe(before);
    });
    it(`${fixture.file}: decided with --reads`, async () => {
      const result = await hook(fixture.client, fixture.event, payload(fixture.file), env(denyAll.url), ["--reads"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/denied read on filesystem/);
    });
  }
});

describe("a rule set", () => {
  const bash = (command: string) =>
    JSON.stringify({ hook_event_name: "PreToolUse", cwd: "/work/project", tool_name: "Bash", tool_input: { command } });
  it("allows a line whose every program is allowed", async () => {
    const result = await hook("claude-code", "PreToolUse", bash("npm test"), env(rules.url));
    expect(result.code).toBe(0);
  });
  it("blocks a line when one of its programs is denied, with the rule's reason", async () => {
    const result = await hook("claude-code", "PreToolUse", bash("npm test && rm -rf dist"), env(rules.url));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Deleting files from the shell needs a human.");
  });
  it("decides writes by the path relative to the project", async () => {
    const write = (file: string) =>
      JSON.stringify({ cwd: "/work/project", tool_name: "Write", tool_input: { file_path: file, content: "" } });
    expect((await hook("claude-code", "PreToolUse", write("/work/project/src/a.ts"), env(rules.url))).code).toBe(0);
    const outside = await hook("claude-code", "PreToolUse", write("/work/project/package.json"), env(rules.url));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('write on filesystem "package.json"');
  });
  it("audits each decision to GOVERNOR_AUDIT_LOG with its request id", async () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), "gi-hook-audit-")), "audit.jsonl");
    await hook("claude-code", "PreToolUse", bash("rm x"), env(rules.url, { GOVERNOR_AUDIT_LOG: log }));
    const records = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ decision: "DENY", executed: false, requestId: expect.any(String) });
    expect(rules.decisions().some((d) => d.request_id === records[0]!.requestId)).toBe(true);
  });
});

describe("after-events append to the audit log and never block", () => {
  for (const fixture of post) {
    it(fixture.file, async () => {
      const log = path.join(mkdtempSync(path.join(tmpdir(), "gi-hook-post-")), "audit.jsonl");
      const result = await hook(
        fixture.client,
        fixture.event,
        payload(fixture.file),
        env(undefined, { GOVERNOR_AUDIT_LOG: log }),
      );
      expect(result.code).toBe(0);
      const records = readFileSync(log, "utf8")
        .trim()
        .split("\n")
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed audit records, checked field by field
        .map((l) => JSON.parse(l) as Record<string, any>);
      expect(records.map((r) => [r.intent.action, r.intent.resource.type, r.intent.resource.name])).toEqual(
        fixture.intents,
      );
      expect(records[0]).toMatchObject({
        primitive: `${fixture.client} ${fixture.event}`,
        executed: true,
        source: "tool",
      });
    });
  }
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("fail closed: every failure blocks with exit 2 and says how to fix it", () => {
  const bashLs = payload("claude-code.PreToolUse.bash.json");
  it("GOVERNOR_ENFORCE_URL unset", async () => {
    const result = await hook("claude-code", "PreToolUse", bashLs, env(undefined));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Set GOVERNOR_ENFORCE_URL");
  });
  it("the policy service unreachable", async () => {
    const result = await hook("claude-code", "PreToolUse", bashLs, env(`http://127.0.0.1:${await closedPort()}`));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/could not reach the policy service.*Check GOVERNOR_ENFORCE_URL/);
  });
  it("the policy service answering 500", async () => {
    const failing = await startMockServer({ policy: "allow-all", faults: { errorRate: 1 } });
    try {
      const result = await hook("gemini", "BeforeTool", payload("gemini.BeforeTool.shell.json"), env(failing.url));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/HTTP 5\d\d/);
    } finally {
      await failing.close();
    }
  });
  it("a policy service slower than the hook's deadline", async () => {
    const slow = await startMockServer({ policy: "allow-all", faults: { latencyMs: 3000 } });
    try {
      const result = await hook(
        "cursor",
        "beforeShellExecution",
        payload("cursor.beforeShellExecution.json"),
        env(slow.url, { GOVERNOR_TIMEOUT_MS: "10000", GOVERNOR_HOOK_DEADLINE_MS: "400" }),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("no decision within 400 ms");
      expect(JSON.parse(result.stdout)).toMatchObject({ permission: "deny" });
    } finally {
      await slow.close();
    }
  });
  it("stdin that never closes", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "dist/cli/bin.js"), "hook", "claude-code", "PreToolUse"],
      {
        env: { ...process.env, ...env(allowAll.url, { GOVERNOR_HOOK_DEADLINE_MS: "300" }) },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(stderr).toContain("no decision within 300 ms");
  });
  it.each([
    ["garbage", "claude-code", "PreToolUse", "this is not json", /not JSON/],
    ["an empty payload", "gemini", "BeforeTool", "", /no payload/],
    ["an unknown event", "claude-code", "Stop", bashLs, /event "Stop" is not one governor-init handles/],
    ["an unknown client", "windsurf", "PreToolUse", bashLs, /unknown client "windsurf"/],
    [
      "another event's payload",
      "claude-code",
      "PreToolUse",
      payload("claude-code.PostToolUse.bash.json"),
      /installed for "PreToolUse"/,
    ],
  ])("%s", async (_name, client, event, input, message) => {
    const result = await hook(client, event, input, env(allowAll.url));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
  it("malformed arguments", async () => {
    const result = await hook("claude-code", "PreToolUse", bashLs, env(allowAll.url), ["extra"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: governor-init hook");
  });
  it("a tampered ALLOW when decision tokens are required", async () => {
    const signing = await startMockServer({ policy: "allow-all", tokenSecret: "right-secret" });
    try {
      const result = await hook(
        "claude-code",
        "PreToolUse",
        bashLs,
        env(signing.url, { GOVERNOR_DECISION_SECRET: "wrong-secret" }),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("decision token is invalid");
    } finally {
      await signing.close();
    }
  });
});

describe("the hook's own entry (dist/hooks/bin.js) answers like the CLI", () => {
  it("blocks under deny-all", async () => {
    const result = await runProcess(
      process.execPath,
      [path.join(REPO_ROOT, "dist/hooks/bin.js"), "claude-code", "PreToolUse"],
      {
        env: env(denyAll.url),
        input: payload("claude-code.PreToolUse.write.json"),
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Governor denied write on filesystem "src\/app.ts"/);
  });
  it("governor-init hook --help is served by the command tree", async () => {
    const result = await runCli(["hook", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("GOVERNOR_HOOK_DEADLINE_MS");
  });
});
