/**
 * Regression: user code a governed builtin runs synchronously (a `cpSync` filter, an `http.Agent`'s
 * `createConnection`) was ungoverned, because every nested call passed through under the outer
 * decision. Only the builtin's own internal calls (`exec` → `execFile`, …) pass through now.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { startCountingServer, startMock, tempDir, type MockProcess, auditedGovernor } from "./helpers.js";

let mock: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let dir: string;
const governed = auditedGovernor();
const { audit } = governed;

const POLICY = {
  name: "copies-and-local-http-only",
  default: "deny",
  rules: [
    {
      id: "copy-into-dst",
      effect: "allow",
      reason: "Copies go to dst.",
      match: { resource_type: "filesystem", resource_name: "**/dst/**" },
    },
    {
      id: "copy-into-dst-root",
      effect: "allow",
      reason: "Copies go to dst.",
      match: { resource_type: "filesystem", resource_name: "**/dst" },
    },
    {
      id: "copy-sources",
      effect: "allow",
      reason: "A copy reads its source (decided as the other end of the copy).",
      match: { action: "read", resource_type: "filesystem" },
    },
    { id: "local-http", effect: "allow", reason: "Loopback is fine.", match: { resource_type: "external_api" } },
    { id: "shell", effect: "allow", reason: "Commands are fine.", match: { action: "execute", resource_name: "sh" } },
  ],
};

beforeAll(async () => {
  [mock, counter] = await Promise.all([startMock({ policy: POLICY }), startCountingServer()]);
  dir = tempDir();
  fs.mkdirSync(join(dir, "src/sub"), { recursive: true });
  fs.writeFileSync(join(dir, "src/sub/a"), "a");
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([mock?.stop(), counter?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (): void => governed.start(mock.url);

describe("user code run synchronously inside a governed call", () => {
  it("a cpSync filter's writes and commands are decided on their own; cp's own internal calls are not", () => {
    start();
    const attempts: string[] = [];
    fs.cpSync(join(dir, "src"), join(dir, "dst"), {
      recursive: true,
      filter: () => {
        for (const [what, run] of [
          ["write", () => fs.writeFileSync(join(dir, "cp-in-filter"), "x")],
          ["exec", () => childProcess.execFileSync("touch", [join(dir, "cp-exec")])],
        ] as const) {
          try {
            run();
            attempts.push(`${what} ran`);
          } catch (error) {
            attempts.push(error instanceof GovernorDeniedError ? `${what} denied` : String(error));
          }
        }
        return true;
      },
    });
    expect(fs.readFileSync(join(dir, "dst/sub/a"), "utf8")).toBe("a"); // the copy itself ran
    expect(attempts.length).toBeGreaterThan(0);
    expect(new Set(attempts)).toEqual(new Set(["write denied", "exec denied"]));
    expect(fs.existsSync(join(dir, "cp-in-filter"))).toBe(false);
    expect(fs.existsSync(join(dir, "cp-exec"))).toBe(false);
    // cpSync's own mkdirSync / copyFileSync ran under its decision: only cpSync and the filter's calls were asked.
    const asked = new Set(audit.filter((event) => !event.cached).map((event) => event.primitive));
    expect(asked).toEqual(new Set(["fs.cpSync", "fs.writeFileSync", "child_process.execFileSync"]));
  });

  it("an http.Agent's createConnection writing a file is decided, and the request still runs", async () => {
    start();
    const logFile = join(dir, "agent-log");
    let inside = "";
    class LoggingAgent extends http.Agent {
      override createConnection(options: http.ClientRequestArgs): net.Socket {
        try {
          fs.appendFileSync(logFile, "connect\n");
          inside = "ran";
        } catch (error) {
          inside = error instanceof GovernorDeniedError ? "denied" : String(error);
        }
        // A returned socket is used as the connection (the callback form is optional).
        return net.createConnection(options as net.NetConnectOpts);
      }
    }
    const before = counter.hits();
    await new Promise<void>((done, fail) =>
      http
        .get(`${counter.url}/agent`, { agent: new LoggingAgent() }, (res) => res.resume().on("end", done))
        .on("error", fail),
    );
    expect(counter.hits()).toBe(before + 1);
    expect(inside).toBe("denied");
    expect(fs.existsSync(logFile)).toBe(false);
  });

  it("one exec is still one decision (exec → execFile passes through)", async () => {
    start();
    const before = (await mock.decisions()).length;
    const out = await new Promise<string>((done, fail) =>
      childProcess.exec("echo once", (error, stdout) => (error ? fail(error) : done(stdout))),
    );
    expect(out.trim()).toBe("once");
    const asked = (await mock.decisions()).slice(before).map((decision) => decision.intent.context.primitive);
    expect(asked).toEqual(["child_process.exec"]);
  });
});
