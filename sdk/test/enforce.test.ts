/**
 * The SDK in this process against the real enforce mock (running in a child process, so the
 * synchronous decision path can block this thread). ALLOW runs; DENY leaves no trace at all.
 */
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { governor, GovernorDeniedError, GovernorUnavailableError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startCountingServer, startMock, tempDir, type MockProcess, auditedGovernor } from "./helpers.js";

let allowMock: MockProcess;
let denyMock: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let dir: string;
const governed = auditedGovernor();
const { audit } = governed;

beforeAll(async () => {
  [allowMock, denyMock, counter] = await Promise.all([
    startMock({ policy: "allow-all" }),
    startMock({ policy: "deny-all" }),
    startCountingServer(),
  ]);
  dir = tempDir();
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([allowMock?.stop(), denyMock?.stop(), counter?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function enableAgainst(mock: MockProcess, extra: Parameters<typeof governor.enable>[0] = {}): void {
  governed.start(mock.url, extra);
}

/** A node one-liner that would leave `marker` behind if it ran. */
function markerScript(marker: string): string {
  return `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran")`;
}

describe("ALLOW: the side effect runs", () => {
  it("fetch, http.get, http.request reach the server; each asked the mock", async () => {
    enableAgainst(allowMock, { cacheTtlMs: 0 });
    const before = (await allowMock.decisions()).length;
    const response = await fetch(`${counter.url}/a`);
    expect(await response.text()).toBe("ok");
    await new Promise<void>((resolve, reject) => {
      http.get(`${counter.url}/b`, (res) => res.resume().on("end", resolve)).on("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: new URL(counter.url).port, path: "/c", method: "POST" },
        (res) => res.resume().on("end", resolve),
      );
      req.on("error", reject);
      req.end("body");
    });
    expect(counter.hits()).toBeGreaterThanOrEqual(3);
    const decisions = (await allowMock.decisions()).slice(before);
    expect(decisions.map((d) => d.intent.context.primitive)).toEqual(["fetch", "http.get", "http.request"]);
    expect(decisions[0]!.intent).toMatchObject({
      action: "read",
      resource: { type: "external_api", name: "127.0.0.1" },
      layer: "L4",
    });
    expect(decisions[2]!.intent.action).toBe("write");
    expect(audit.map((e) => [e.primitive, e.decision, e.executed])).toEqual([
      ["fetch", "ALLOW", true],
      ["http.get", "ALLOW", true],
      ["http.request", "ALLOW", true],
    ]);
    expect(audit[0]!.requestId).toBe(decisions[0]!.request_id);
  });

  it("fs writes in every form create their files", async () => {
    enableAgainst(allowMock);
    fs.writeFileSync(join(dir, "sync.txt"), "a");
    await fs.promises.writeFile(join(dir, "promise.txt"), "b");
    await new Promise<void>((resolve, reject) =>
      fs.writeFile(join(dir, "callback.txt"), "c", (err) => (err ? reject(err) : resolve())),
    );
    const stream = fs.createWriteStream(join(dir, "stream.txt"));
    await new Promise<void>((resolve) => stream.end("d", resolve));
    fs.mkdirSync(join(dir, "sub"));
    fs.renameSync(join(dir, "sync.txt"), join(dir, "sub/renamed.txt"));
    for (const name of ["promise.txt", "callback.txt", "stream.txt", "sub/renamed.txt"])
      expect(fs.existsSync(join(dir, name))).toBe(true);
    const renamed = audit.find((e) => e.primitive === "fs.renameSync")!;
    expect(renamed.intent.resource).toEqual({ type: "filesystem", name: join(dir, "sub/renamed.txt") });
    expect(renamed.intent.context).toMatchObject({ from: join(dir, "sync.txt") });
  });

  it("child processes run: execSync, spawnSync, exec, spawn, promisified exec", async () => {
    enableAgainst(allowMock);
    expect(childProcess.execSync("echo sync").toString().trim()).toBe("sync");
    expect(childProcess.spawnSync(process.execPath, ["-e", "process.stdout.write('spawned')"]).stdout.toString()).toBe(
      "spawned",
    );
    const viaExec = await new Promise<string>((resolve, reject) =>
      childProcess.exec("echo cb", (err, out) => (err ? reject(err) : resolve(out))),
    );
    expect(viaExec.trim()).toBe("cb");
    const { stdout, stderr } = await promisify(childProcess.exec)("echo promised");
    expect([stdout.trim(), stderr]).toEqual(["promised", ""]);
    const marker = join(dir, "spawned-marker");
    await new Promise<void>((resolve) =>
      childProcess.spawn(process.execPath, ["-e", markerScript(marker)]).on("exit", () => resolve()),
    );
    expect(fs.existsSync(marker)).toBe(true);
    // A command line runs in a shell: the shell is the process, the line its context.
    expect(audit.find((e) => e.primitive === "child_process.execSync")!.intent).toMatchObject({
      resource: { type: "process", name: "sh" },
      context: { command: "echo sync", program: "echo" },
    });
    expect(audit.find((e) => e.primitive === "child_process.spawn")!.intent).toMatchObject({
      action: "execute",
      resource: { name: process.execPath },
    });
  });
});

describe("DENY: no side effect at all", () => {
  it("fetch rejects and the server is never hit", async () => {
    enableAgainst(denyMock);
    const before = counter.hits();
    const error = await fetch(`${counter.url}/denied`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GovernorDeniedError);
    const denied = error as GovernorDeniedError;
    expect(denied.decision).toBe("DENY");
    expect(denied.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(denied.reason.length).toBeGreaterThan(0);
    expect(denied.nextSteps.length).toBeGreaterThan(0);
    expect(denied.intent.resource).toEqual({ type: "external_api", name: "127.0.0.1" });
    expect((await denyMock.decisions()).some((d) => d.request_id === denied.requestId)).toBe(true);
    expect(() => http.get(`${counter.url}/denied`)).toThrow(GovernorDeniedError);
    expect(() => http.request(`${counter.url}/denied`, { method: "POST" })).toThrow(GovernorDeniedError);
    // Give any stray request time to land before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counter.hits()).toBe(before);
    expect(audit.every((e) => e.decision === "DENY" && e.executed === false)).toBe(true);
  });

  it("fs writes: no file appears, in every form", async () => {
    enableAgainst(denyMock);
    const file = (name: string) => join(dir, `denied-${name}`);
    expect(() => fs.writeFileSync(file("sync"), "x")).toThrow(GovernorDeniedError);
    await expect(fs.promises.writeFile(file("promise"), "x")).rejects.toBeInstanceOf(GovernorDeniedError);
    const cbError = await new Promise((resolve) => fs.writeFile(file("callback"), "x", resolve));
    expect(cbError).toBeInstanceOf(GovernorDeniedError);
    expect(() => fs.createWriteStream(file("stream"))).toThrow(GovernorDeniedError);
    expect(() => fs.mkdirSync(file("dir"))).toThrow(GovernorDeniedError);
    expect(() => fs.appendFileSync(file("append"), "x")).toThrow(GovernorDeniedError);
    const existing = join(dir, "keep-me");
    resetGovernor();
    fs.writeFileSync(existing, "precious");
    enableAgainst(denyMock);
    expect(() => fs.unlinkSync(existing)).toThrow(GovernorDeniedError);
    await expect(fs.promises.rm(existing)).rejects.toBeInstanceOf(GovernorDeniedError);
    expect(audit.find((e) => e.primitive === "fs.unlinkSync")!.intent.action).toBe("delete");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const name of ["sync", "promise", "callback", "stream", "dir", "append"])
      expect(fs.existsSync(file(name))).toBe(false);
    expect(fs.readFileSync(existing, "utf8")).toBe("precious");
  });

  it("child processes never start: no marker file", async () => {
    enableAgainst(denyMock);
    const marker = join(dir, "never-marker");
    const script = markerScript(marker);
    expect(() => childProcess.spawn(process.execPath, ["-e", script])).toThrow(GovernorDeniedError);
    expect(() => childProcess.execFileSync(process.execPath, ["-e", script])).toThrow(GovernorDeniedError);
    expect(() => childProcess.exec(`${JSON.stringify(process.execPath)} -e '${script}'`)).toThrow(GovernorDeniedError);
    expect(() => childProcess.fork(join(dir, "nothing.js"))).toThrow(GovernorDeniedError);
    await expect(promisify(childProcess.execFile)(process.execPath, ["-e", script])).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    // Long enough for a child that had started (node start-up on a busy machine) to leave its marker.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("fail closed when no decision can be had", () => {
  const faults: Array<[string, Record<string, number>, Record<string, number>]> = [
    ["latency beyond the timeout", { latencyMs: 1500 }, { timeoutMs: 300 }],
    ["500 answers", { errorRate: 1 }, {}],
    ["a fixed 503 status", { status: 503 }, {}],
    ["a fixed 401 status", { status: 401 }, {}],
    ["dropped connections", { dropRate: 1 }, {}],
    ["malformed bodies", { malformedRate: 1 }, {}],
  ];
  let faulty: MockProcess;
  beforeAll(async () => {
    faulty = await startMock({ policy: "allow-all" });
  });
  afterAll(() => faulty?.stop());

  for (const [label, fault, options] of faults) {
    it(`under ${label}: async and sync paths both refuse`, async () => {
      await faulty.setFaults(fault);
      enableAgainst(faulty, options);
      const before = counter.hits();
      const file = join(dir, `fault-${label.replace(/\W+/g, "-")}`);
      const error = await fetch(`${counter.url}/fault`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GovernorUnavailableError);
      expect(() => fs.writeFileSync(file, "x")).toThrow(GovernorUnavailableError);
      expect(counter.hits()).toBe(before);
      expect(fs.existsSync(file)).toBe(false);
      expect(audit.map((e) => [e.decision, e.executed])).toEqual([
        ["ERROR", false],
        ["ERROR", false],
      ]);
      await faulty.setFaults({});
    });
  }

  it("with the policy service stopped", async () => {
    const doomed = await startMock();
    await doomed.stop();
    enableAgainst(doomed);
    const error = (await fetch(`${counter.url}/x`).catch((e: unknown) => e)) as GovernorUnavailableError;
    expect(error).toBeInstanceOf(GovernorUnavailableError);
    expect(error.message).toMatch(/could not reach the policy service/);
    expect(error.hint).toMatch(/GOVERNOR_ENFORCE_URL/);
    expect(() => childProcess.execSync("echo nope")).toThrow(GovernorUnavailableError);
  });

  it("with no enforce URL configured, and says to set GOVERNOR_ENFORCE_URL", async () => {
    const saved = process.env.GOVERNOR_ENFORCE_URL;
    delete process.env.GOVERNOR_ENFORCE_URL;
    try {
      resetGovernor();
      governor.enable({ failMode: "open" });
      const file = join(dir, "unconfigured");
      expect(() => fs.writeFileSync(file, "x")).toThrow(/GOVERNOR_ENFORCE_URL/);
      await expect(fetch(`${counter.url}/x`)).rejects.toThrow(GovernorUnavailableError);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      if (saved !== undefined) process.env.GOVERNOR_ENFORCE_URL = saved;
    }
  });

  it("fail-open mode runs the side effect and audits ERROR", async () => {
    await faulty.setFaults({ status: 500 });
    enableAgainst(faulty, { failMode: "open" });
    const file = join(dir, "fail-open");
    fs.writeFileSync(file, "ran anyway");
    expect(fs.readFileSync(file, "utf8")).toBe("ran anyway");
    expect(audit).toMatchObject([{ decision: "ERROR", executed: true, primitive: "fs.writeFileSync" }]);
    await faulty.setFaults({});
  });
});

describe("cache, tokens, reentrancy", () => {
  it("reuses an ALLOW for the identical intent until its TTL, then asks again", async () => {
    enableAgainst(allowMock, { cacheTtlMs: 1500 });
    const count = async () =>
      (await allowMock.decisions()).filter((d) => d.intent.context?.url === `${counter.url}/ttl`).length;
    await fetch(`${counter.url}/ttl`);
    await fetch(`${counter.url}/ttl`);
    expect(await count()).toBe(1);
    expect(audit.map((e) => e.cached)).toEqual([false, true]);
    await fetch(`${counter.url}/other`); // a different intent is never "close enough"
    expect(audit.at(-1)!.cached).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await fetch(`${counter.url}/ttl`);
    expect(await count()).toBe(2);
  });

  it("one exec is one decision, though exec calls execFile inside", async () => {
    enableAgainst(allowMock, { cacheTtlMs: 0 });
    const before = (await allowMock.decisions()).length;
    await new Promise<void>((resolve, reject) =>
      childProcess.exec("echo once", (err) => (err ? reject(err) : resolve())),
    );
    expect((await allowMock.decisions()).length - before).toBe(1);
    expect(audit.map((e) => e.primitive)).toEqual(["child_process.exec"]);
  });

  it("verifies signed tokens; caches no longer than the token lives", async () => {
    const signed = await startMock({ policy: "allow-all", tokenSecret: "s3cret", tokenTtlMs: 1500 });
    try {
      enableAgainst(signed, { decisionSecret: "s3cret", cacheTtlMs: 60_000 });
      await fetch(`${counter.url}/signed`);
      await fetch(`${counter.url}/signed`);
      expect(audit.map((e) => e.cached)).toEqual([false, true]);
      await new Promise((resolve) => setTimeout(resolve, 1700));
      await fetch(`${counter.url}/signed`);
      expect(audit.at(-1)!.cached).toBe(false);
      expect((await signed.decisions()).length).toBe(2);

      enableAgainst(signed, { decisionSecret: "not-the-secret" });
      const before = counter.hits();
      await expect(fetch(`${counter.url}/signed`)).rejects.toThrow(/decision token is invalid \(bad-signature\)/);
      expect(counter.hits()).toBe(before);
    } finally {
      await signed.stop();
    }
  });

  it("refuses an ALLOW without a token when a decision secret is configured", async () => {
    enableAgainst(allowMock, { decisionSecret: "s3cret" });
    const file = join(dir, "unsigned-allow");
    expect(() => fs.writeFileSync(file, "x")).toThrow(/carries no decision token/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses a DENY rewritten to ALLOW in transit (tampered answer), even in fail-open mode", async () => {
    const signed = await startMock({ policy: "deny-all", tokenSecret: "s3cret" });
    // A man in the middle that flips the decision but cannot re-sign the token.
    const proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await (
        await import("./helpers.js")
      ).rawFetch(signed.url + req.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: String(req.headers.authorization) },
        body: Buffer.concat(chunks).toString(),
      });
      const body = (await upstream.json()) as { decision: string };
      body.decision = "ALLOW";
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const before = counter.hits();
      enableAgainst({ ...signed, url: proxyUrl }, { decisionSecret: "s3cret", failMode: "open" });
      const error = await fetch(`${counter.url}/tampered`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GovernorUnavailableError);
      expect((error as Error).message).toMatch(/wrong-decision/);
      expect(counter.hits()).toBe(before);
      // Without a secret the same forged answer would have been obeyed: the token is what protects.
      enableAgainst({ ...signed, url: proxyUrl });
      await fetch(`${counter.url}/tampered`);
      expect(counter.hits()).toBe(before + 1);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      await signed.stop();
    }
  });
  it("token request_id mismatch: refuses an ALLOW whose token names another request, even in fail-open mode", async () => {
    const signed = await startMock({ policy: "allow-all", tokenSecret: "s3cret" });
    // A man in the middle that relabels the answer's request id (say, to replay it); the token still names the real one.
    const proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await (
        await import("./helpers.js")
      ).rawFetch(signed.url + req.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: String(req.headers.authorization) },
        body: Buffer.concat(chunks).toString(),
      });
      const body = (await upstream.json()) as { metadata: { request_id: string } };
      body.metadata.request_id = "some-other-request";
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const before = counter.hits();
      enableAgainst({ ...signed, url: proxyUrl }, { decisionSecret: "s3cret", failMode: "open" });
      const error = await fetch(`${counter.url}/relabelled`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GovernorUnavailableError);
      expect((error as Error).message).toMatch(/wrong-request/);
      expect(counter.hits()).toBe(before);
      // The same signed ALLOW, not relabelled, is obeyed.
      enableAgainst(signed, { decisionSecret: "s3cret" });
      await fetch(`${counter.url}/relabelled`);
      expect(counter.hits()).toBe(before + 1);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      await signed.stop();
    }
  });
});

describe("enable / disable", () => {
  it("disable() restores the exact original functions; enable twice patches once", () => {
    resetGovernor();
    const fsPromises = fs.promises as unknown as Record<string, unknown>;
    const originals = {
      fetch: globalThis.fetch,
      httpRequest: http.request,
      httpGet: http.get,
      exec: childProcess.exec,
      execSync: childProcess.execSync,
      spawn: childProcess.spawn,
      writeFile: fs.writeFile,
      writeFileSync: fs.writeFileSync,
      createWriteStream: fs.createWriteStream,
      promisesWriteFile: fsPromises.writeFile,
      promisesRm: fsPromises.rm,
    };
    governor.enable({ enforceUrl: allowMock.url, apiKey: API_KEY });
    const patchedWriteFile = fs.writeFileSync;
    expect(patchedWriteFile).not.toBe(originals.writeFileSync);
    expect(globalThis.fetch).not.toBe(originals.fetch);
    expect(fsPromises.writeFile).not.toBe(originals.promisesWriteFile);
    governor.enable({ enforceUrl: denyMock.url });
    expect(fs.writeFileSync).toBe(patchedWriteFile);
    expect(governor.isEnabled()).toBe(true);
    governor.disable();
    expect(governor.isEnabled()).toBe(false);
    expect({
      fetch: globalThis.fetch,
      httpRequest: http.request,
      httpGet: http.get,
      exec: childProcess.exec,
      execSync: childProcess.execSync,
      spawn: childProcess.spawn,
      writeFile: fs.writeFile,
      writeFileSync: fs.writeFileSync,
      createWriteStream: fs.createWriteStream,
      promisesWriteFile: fsPromises.writeFile,
      promisesRm: fsPromises.rm,
    }).toStrictEqual(originals);
    for (const [name, fn] of Object.entries(originals))
      expect(fn, name).toBe((originals as Record<string, unknown>)[name]);
    expect(childProcess.exec).toBe(originals.exec);
  });

  it("rejects invalid configuration naming the variable", () => {
    resetGovernor();
    expect(() => governor.enable({ enforceUrl: "not a url" })).toThrow(/enforceUrl/);
    const saved = process.env.GOVERNOR_TIMEOUT_MS;
    process.env.GOVERNOR_TIMEOUT_MS = "soon";
    try {
      expect(() => governor.enable()).toThrow(/GOVERNOR_TIMEOUT_MS/);
    } finally {
      if (saved === undefined) delete process.env.GOVERNOR_TIMEOUT_MS;
      else process.env.GOVERNOR_TIMEOUT_MS = saved;
    }
    expect(governor.isEnabled()).toBe(false);
  });

  it("patches only the primitives configured", () => {
    resetGovernor();
    const originalWrite = fs.writeFileSync;
    const originalFetch = globalThis.fetch;
    governor.enable({ enforceUrl: denyMock.url, apiKey: API_KEY, primitives: ["fetch"] });
    expect(globalThis.fetch).not.toBe(originalFetch);
    expect(fs.writeFileSync).toBe(originalWrite);
    fs.writeFileSync(join(dir, "fs-not-patched"), "x");
    expect(fs.existsSync(join(dir, "fs-not-patched"))).toBe(true);
  });

  it("exemptions are explicit configuration only", async () => {
    enableAgainst(denyMock, { exempt: [{ kind: "fetch", target: `${counter.url}/health*` }] });
    const before = counter.hits();
    await fetch(`${counter.url}/health`);
    expect(counter.hits()).toBe(before + 1);
    await expect(fetch(`${counter.url}/other`)).rejects.toBeInstanceOf(GovernorDeniedError);
  });
});
