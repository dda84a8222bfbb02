/**
 * Regression: a scope is valid only while its function runs. AsyncLocalStorage carries a scope into
 * timers and sockets created inside it; once the function settled, what they do later is decided on
 * its own intent, not run under the scope's ALLOW.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { govern, governor, governTool, GovernorDeniedError, withIntent } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { startMock, tempDir, type MockProcess, auditedGovernor } from "./helpers.js";

const POLICY = {
  name: "reads-only",
  default: "deny",
  rules: [
    { id: "read-db", effect: "allow", reason: "Reads are fine.", match: { action: "read", resource_type: "database" } },
  ],
};

let mock: MockProcess;
let dir: string;
let echo: net.Server;
const governed = auditedGovernor();
const { audit } = governed;

beforeAll(async () => {
  mock = await startMock({ policy: POLICY });
  dir = tempDir();
  echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((done) => echo.listen(0, "127.0.0.1", done));
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
  await new Promise<void>((done) => echo.close(() => done()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (): void => governed.start(mock.url);

/** Runs `write` and says whether it ran or which error stopped it. */
function attempt(write: () => void): string {
  try {
    write();
    return "ran";
  } catch (error) {
    return error instanceof GovernorDeniedError ? "denied" : String(error);
  }
}

describe("scope outlives its function", () => {
  it("a timer started inside governTool decides its own writes after the tool returned", async () => {
    start();
    const file = join(dir, "flushed.log");
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    let later!: Promise<string>;
    const lookup = governTool(
      { tool: "lookup", action: "read", resource: { type: "database", name: "users" } },
      async (_input: { id: number }) => {
        // A background flusher the tool starts lazily: it writes after the tool has returned.
        later = new Promise((done) =>
          setTimeout(() => {
            void released.then(() => done(attempt(() => fs.appendFileSync(file, "later\n"))));
          }, 0),
        );
        expect(governor.currentIntent()?.resource.name).toBe("users");
        return 1;
      },
    );
    expect(await lookup({ id: 1 })).toBe(1);
    release();
    expect(await later).toBe("denied");
    expect(fs.existsSync(file)).toBe(false);
    // Decided on the write's own intent, not the tool's expired-or-not "read database users".
    const denied = audit.filter((event) => event.decision === "DENY");
    expect(denied.map((event) => [event.intent.action, event.intent.resource.type])).toEqual([["write", "filesystem"]]);
  });

  it("withIntent: a promise continuation registered inside runs without the scope once it returned", async () => {
    start();
    const file = join(dir, "continuation");
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    let later!: Promise<string>;
    await withIntent({ action: "read", resource: { type: "database", name: "orders" } }, () => {
      later = released.then(() => {
        expect(governor.currentIntent()).toBeUndefined();
        return attempt(() => fs.writeFileSync(file, "x"));
      });
    });
    release();
    expect(await later).toBe("denied");
    expect(fs.existsSync(file)).toBe(false);
  });

  it("govern(client)'s internal scope does not reach a lazily connected pool's later socket callbacks", async () => {
    start();
    const port = (echo.address() as AddressInfo).port;
    const pending: Array<(error: null, row: string) => void> = [];
    let socket: net.Socket | undefined;
    const client = {
      query(sql: string, callback: (error: null, row: string) => void): void {
        // Connects on the first query, inside the governed original: the socket keeps that async context.
        socket ??= net.connect(port, "127.0.0.1").on("data", (data) => {
          for (const line of data.toString().split("\n").filter(Boolean)) pending.shift()!(null, line);
        });
        pending.push(callback);
        socket.write(`${sql}\n`);
      },
    };
    const db = govern(client, "sql");
    const first = new Promise<string>((done) => db.query("SELECT * FROM users", (_e, row) => done(row)));
    expect(await first).toBe("SELECT * FROM users");
    const file = join(dir, "pool-leak");
    const second = new Promise<string>((done) =>
      db.query("SELECT 1 FROM users", () => done(attempt(() => fs.writeFileSync(file, "x")))),
    );
    expect(await second).toBe("denied");
    expect(fs.existsSync(file)).toBe(false);
    socket!.destroy();
  });
});
