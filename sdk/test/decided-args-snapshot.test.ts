/**
 * Regression (findings 14–18, 21): an argument could say one thing to the SDK and another to Node —
 * a Buffer path changed while the decision was awaited, an options getter, a `toString`, a
 * `redirect` getter, fork's `execPath`, a custom `lookup`. Every governed call now copies its
 * arguments once, decides on the copy and runs exactly the copy. A narrow policy (something allowed)
 * and counting servers / files that must not appear show the effect never happens where it was not decided.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { auditedGovernor, startCountingServer, startMock, tempDir, type MockProcess } from "./helpers.js";

let mock: MockProcess;
let evil: Awaited<ReturnType<typeof startCountingServer>>;
let redirector: http.Server;
let redirectorPort: number;
let dir: string;
const governed = auditedGovernor();

beforeAll(async () => {
  dir = tempDir();
  fs.mkdirSync(join(dir, "allowed"));
  fs.mkdirSync(join(dir, "outside"));
  evil = await startCountingServer();
  redirector = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(307, { location: `${evil.url}/followed` }).end());
  });
  await new Promise<void>((done) => redirector.listen(0, "127.0.0.1", done));
  redirectorPort = (redirector.address() as AddressInfo).port;
  mock = await startMock({
    policy: {
      name: "narrow",
      default: "deny",
      rules: [
        {
          id: "files",
          effect: "allow",
          reason: "writes under allowed/ only",
          match: { resource_type: "filesystem", resource_name: `${dir}/allowed/**` },
        },
        {
          id: "ls",
          effect: "allow",
          reason: "ls and node only",
          match: { resource_type: "process", resource_name: ["ls", "node"] },
        },
        {
          id: "web",
          effect: "allow",
          reason: "localhost only",
          match: { resource_type: "external_api", resource_name: "localhost" },
        },
      ],
    },
  });
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([mock?.stop(), evil?.close(), new Promise((done) => redirector?.close(done))]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("decided on one argument, executed on another", () => {
  it("14: an async fs write whose Buffer path is changed before the decision returns writes where it was decided", async () => {
    governed.start(mock.url);
    const allowed = join(dir, "allowed/aa");
    const outside = join(dir, "outside/aa");
    expect(allowed.length).toBe(outside.length);
    const path = Buffer.from(allowed);
    const pending = fs.promises.writeFile(path, "x");
    path.write(outside); // same length: the bytes change in place while the decision is awaited
    await pending;
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.readFileSync(allowed, "utf8")).toBe("x");
    // The callback form too.
    const path2 = Buffer.from(join(dir, "allowed/bb"));
    const done = new Promise<unknown>((resolve) => fs.writeFile(path2, "y", resolve));
    path2.write(join(dir, "outside/bb"));
    expect(await done).toBeNull();
    expect(fs.existsSync(join(dir, "outside/bb"))).toBe(false);
  });

  it("15: spawnSync options with a shell getter (false to the SDK, true to Node) never run a shell", () => {
    governed.start(mock.url);
    const marker = join(dir, "outside/shell-ran");
    let reads = 0;
    const options = {
      get shell() {
        return reads++ > 0;
      },
    };
    childProcess.spawnSync("ls", [dir, ";", "touch", marker], options);
    expect(fs.existsSync(marker)).toBe(false);
    expect(reads).toBe(1);
    // execFileSync / spawn alike.
    reads = 0;
    try {
      childProcess.execFileSync("ls", [dir, "&&", "touch", marker], { ...options, stdio: "ignore" });
    } catch {
      // ls fails on the literal "&&": no shell read it.
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("16: fetch({ url: allowed, toString: () => evil }) is decided on the URL it is sent to", async () => {
    governed.start(mock.url);
    const before = evil.hits();
    const input = { url: `http://localhost:${redirectorPort}/ok`, toString: () => `${evil.url}/stolen` };
    await expect(fetch(input as unknown as string)).rejects.toBeInstanceOf(GovernorDeniedError);
    // A URL subclass whose href lies is sent (and decided) by its real href.
    class Lying extends URL {
      override toString(): string {
        return `${evil.url}/stolen`;
      }
    }
    Object.defineProperty(Lying.prototype, "href", { get: () => `http://localhost:${redirectorPort}/ok` });
    await expect(fetch(new Lying(`${evil.url}/stolen`))).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(evil.hits()).toBe(before);
    expect(governed.audit.filter((event) => event.decision === "DENY").map((event) => event.target)).toEqual([
      `${evil.url}/stolen`,
      `${evil.url}/stolen`,
    ]);
  });

  it("17: fork with execPath /bin/sh and execArgv -c is decided as running sh, not node", () => {
    governed.start(mock.url);
    const marker = join(dir, "outside/forked-shell");
    expect(() =>
      childProcess.fork(join(dir, "mod.js"), [], {
        execPath: "/bin/sh",
        execArgv: ["-c", `touch ${marker}`],
        stdio: "ignore",
      }),
    ).toThrow(GovernorDeniedError);
    expect(governed.audit.at(-1)).toMatchObject({
      decision: "DENY",
      intent: { resource: { type: "process", name: "sh" } },
    });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("18: an init.redirect getter ('manual' to the SDK, 'follow' to undici) cannot follow a 307 to an undecided host", async () => {
    governed.start(mock.url);
    const before = evil.hits();
    let reads = 0;
    const init = {
      method: "POST",
      body: "secret",
      get redirect(): "manual" | "follow" {
        return reads++ === 0 ? "manual" : "follow";
      },
    };
    const response = await fetch(`http://localhost:${redirectorPort}/go`, init);
    expect(response.status).toBe(307); // manual, as decided
    expect(reads).toBe(1);
    expect(evil.hits()).toBe(before);
  });

  it("21: http.get({ hostname: allowed, lookup }) connecting where the custom lookup says is decided on that address", async () => {
    governed.start(mock.url);
    const before = evil.hits();
    const port = Number(new URL(evil.url).port);
    const lookup = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void): void => {
      if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
      else callback(null, "127.0.0.1", 4);
    };
    const error = await new Promise<unknown>((resolve) => {
      const request = http.get({ hostname: "localhost", port, path: "/via-lookup", lookup } as http.RequestOptions);
      request.on("error", resolve);
      request.on("response", (res) => {
        res.resume();
        resolve("connected");
      });
    });
    expect(error).toBeInstanceOf(GovernorDeniedError);
    expect((error as GovernorDeniedError).intent).toMatchObject({
      resource: { name: "127.0.0.1" },
      context: { lookup: "custom", lookup_host: "localhost" },
    });
    expect(evil.hits()).toBe(before);
  });
});
