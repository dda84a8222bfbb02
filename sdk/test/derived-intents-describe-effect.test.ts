/**
 * Regression: derived intents that did not describe the side effect. SQL was named by its first
 * verb (`SELECT 1; DELETE FROM users` was a read); a shell command line was named by its first word
 * (`echo ok; rm -rf …` was "echo"). Now the most destructive verb anywhere decides, and a command
 * line is the shell that runs it (`sh`), so a no-shell rule applies.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { govern, GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startMock, tempDir, type MockProcess } from "./helpers.js";

const POLICY = {
  name: "no-deletes-no-shell",
  default: "allow",
  rules: [
    { id: "no-deletes", effect: "deny", reason: "No deleting.", match: { action: "delete" } },
    {
      id: "no-shell",
      effect: "deny",
      reason: "No shell commands.",
      match: { action: "execute", resource_type: "process", resource_name: ["sh", "bash", "**/sh"] },
    },
  ],
};

let mock: MockProcess;
let dir: string;

beforeAll(async () => {
  mock = await startMock({ policy: POLICY });
  dir = tempDir();
  process.env.GOVERNOR_ENFORCE_URL = mock.url;
  process.env.GOVERNOR_API_KEY = API_KEY;
});
afterAll(async () => {
  delete process.env.GOVERNOR_ENFORCE_URL;
  delete process.env.GOVERNOR_API_KEY;
  resetGovernor();
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => resetGovernor());

describe("derived intents describe the side effect", () => {
  it("SQL: a DELETE anywhere (after ;, in a CTE, under EXPLAIN ANALYZE) is a delete on its table", async () => {
    const executed: string[] = [];
    const db = govern({
      query: async (sql: string) => {
        executed.push(sql);
        return { rows: [] };
      },
    });
    const destructive = [
      "DELETE FROM users",
      "EXPLAIN ANALYZE DELETE FROM users",
      "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone",
      "SELECT 1; DELETE FROM users",
      "select 1; /* harmless */ drop table users",
    ];
    for (const sql of destructive) await expect(db.query(sql), sql).rejects.toBeInstanceOf(GovernorDeniedError);
    await db.query("SELECT * FROM users; SELECT 2");
    await db.query("INSERT INTO notes (text) VALUES ('drop table users')");
    expect(executed).toEqual(["SELECT * FROM users; SELECT 2", "INSERT INTO notes (text) VALUES ('drop table users')"]);
    const asked = (await mock.decisions()).filter((decision) => decision.intent.resource.type === "database");
    expect(asked.map((decision) => [decision.intent.action, decision.intent.resource.name])).toEqual([
      ...destructive.map(() => ["delete", "users"]),
      ["read", "users"],
      ["write", "notes"],
    ]);
  });

  it("processes: exec/execSync and spawn with shell: true are the shell, so a no-shell rule applies", async () => {
    const victim = join(dir, "victim");
    fs.mkdirSync(victim);
    const cp = govern(childProcess);
    for (const run of [
      () => cp.execSync(`rm -rf ${victim}`),
      () => cp.execSync(`echo ok; rm -rf ${victim}`),
      () => cp.spawnSync(`echo ok; rm -rf ${victim}`, { shell: true }),
      () => cp.execFileSync("echo", ["ok;", "rm", "-rf", victim], { shell: "/bin/bash" }),
    ]) {
      expect(run).toThrow(GovernorDeniedError);
    }
    expect(fs.existsSync(victim)).toBe(true);
    const shells = (await mock.decisions()).filter((decision) => decision.intent.resource.type === "process");
    expect(shells.map((decision) => decision.intent.resource.name)).toEqual(["sh", "sh", "sh", "bash"]);
    expect(shells[1]!.intent.context).toMatchObject({ command: `echo ok; rm -rf ${victim}`, program: "echo" });
    // Without a shell the program is what runs, and it is named as before.
    expect(cp.execFileSync("echo", ["plain"]).toString().trim()).toBe("plain");
    expect((await mock.decisions()).at(-1)!.intent.resource.name).toBe("echo");
  });
});
