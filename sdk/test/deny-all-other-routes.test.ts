/**
 * Regression (findings 6–12): side effects that ran under a deny-all policy because nothing asked —
 * DNS queries to a chosen server, FileHandle methods on a read-only handle, process.report,
 * v8.writeHeapSnapshot, trace_events, WASI preopens, undici's global dispatcher, the global
 * WebSocket. Each now has an intent and is refused under deny-all; a TCP and a UDP counting server
 * and files that must not appear or change show nothing happened.
 */
import * as dgram from "node:dgram";
import * as dns from "node:dns";
import * as fs from "node:fs";
import { join } from "node:path";
import traceEvents from "node:trace_events";
import v8 from "node:v8";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { governor, GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import {
  API_KEY,
  ensureBuilt,
  runNode,
  SDK_DIR,
  startCountingServer,
  startMock,
  tempDir,
  type MockProcess,
} from "./helpers.js";

let mock: MockProcess;
let dir: string;
let existing: string;
let tcp: Awaited<ReturnType<typeof startCountingServer>>;
let udp: dgram.Socket;
let udpPackets = 0;
let udpPort: number;

beforeAll(async () => {
  ensureBuilt();
  [mock, tcp] = await Promise.all([
    startMock({ policy: { name: "deny-all", default: "deny", rules: [] } }),
    startCountingServer(),
  ]);
  udp = dgram.createSocket("udp4");
  udp.on("message", () => udpPackets++);
  await new Promise<void>((done) => udp.bind(0, "127.0.0.1", done));
  udpPort = udp.address().port;
  dir = tempDir();
  existing = join(dir, "existing");
  fs.writeFileSync(existing, "original");
  fs.chmodSync(existing, 0o644);
}, 120_000);
afterAll(async () => {
  resetGovernor();
  udp?.close();
  await Promise.all([mock?.stop(), tcp?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => resetGovernor());

const enable = (): void => governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });

describe("deny-all, nothing else needed", () => {
  it("6: new dns.Resolver() + setServers + resolveTxt cannot send a query to a chosen server", async () => {
    // Set up before enable(): a resolver already pointed at the counting server.
    const ready = new dns.Resolver({ timeout: 200, tries: 1 });
    ready.setServers([`127.0.0.1:${udpPort}`]);
    const readyPromises = new dns.promises.Resolver({ timeout: 200, tries: 1 });
    readyPromises.setServers([`127.0.0.1:${udpPort}`]);
    enable();
    const resolver = new dns.Resolver();
    expect(() => resolver.setServers([`127.0.0.1:${udpPort}`])).toThrow(GovernorDeniedError);
    expect(() => dns.setServers([`127.0.0.1:${udpPort}`])).toThrow(GovernorDeniedError);
    expect(() => dns.promises.setServers([`127.0.0.1:${udpPort}`])).toThrow(GovernorDeniedError);
    const viaCallback = await new Promise<unknown>((done) =>
      ready.resolveTxt("secret-1.example", (error) => done(error)),
    );
    expect(viaCallback).toBeInstanceOf(GovernorDeniedError);
    await expect(readyPromises.resolveTxt("secret-2.example")).rejects.toBeInstanceOf(GovernorDeniedError);
    await expect(dns.promises.resolve4("secret-3.example")).rejects.toBeInstanceOf(GovernorDeniedError);
    await new Promise((done) => setTimeout(done, 300));
    expect(udpPackets).toBe(0);
  });

  it("7: FileHandle methods on a read-only handle cannot change mode, times or owner", async () => {
    enable();
    const before = fs.statSync(existing);
    const handle = await fs.promises.open(existing, "r");
    try {
      await expect(handle.chmod(0o777)).rejects.toBeInstanceOf(GovernorDeniedError);
      await expect(handle.utimes(0, 0)).rejects.toBeInstanceOf(GovernorDeniedError);
      await expect(handle.chown(before.uid, before.gid)).rejects.toBeInstanceOf(GovernorDeniedError);
      await expect(handle.truncate(0)).rejects.toBeInstanceOf(GovernorDeniedError);
      await expect(handle.write("x")).rejects.toBeInstanceOf(GovernorDeniedError);
    } finally {
      await handle.close();
    }
    const after = fs.statSync(existing);
    expect(after.mode & 0o777).toBe(0o644);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(fs.readFileSync(existing, "utf8")).toBe("original");
  });

  it("8: process.report.writeReport cannot overwrite a file whose write was denied; report triggers cannot be switched on", () => {
    enable();
    expect(() => fs.writeFileSync(existing, "x")).toThrow(GovernorDeniedError);
    expect(() => process.report.writeReport(existing)).toThrow(GovernorDeniedError);
    expect(() => {
      process.report.reportOnSignal = true;
    }).toThrow(GovernorDeniedError);
    expect(process.report.reportOnSignal).toBe(false);
    expect(fs.readFileSync(existing, "utf8")).toBe("original");
    // disable() puts Node's own accessors back and leaves nothing behind.
    const accessor = Object.getOwnPropertyDescriptor(process.report, "reportOnSignal");
    resetGovernor();
    expect(Object.getOwnPropertyDescriptor(process.report, "reportOnSignal")!.set).not.toBe(accessor!.set);
    expect(Object.getOwnPropertyNames(process.report).filter((key) => key.startsWith("\u0000"))).toEqual([]);
  });

  it("9: v8.writeHeapSnapshot and trace_events.createTracing write no file", () => {
    enable();
    const snapshot = join(dir, "heap.heapsnapshot");
    expect(() => v8.writeHeapSnapshot(snapshot)).toThrow(GovernorDeniedError);
    expect(() => traceEvents.createTracing({ categories: ["node.perf"] })).toThrow(GovernorDeniedError);
    expect(fs.existsSync(snapshot)).toBe(false);
    expect(fs.readdirSync(process.cwd()).filter((name) => name.startsWith("node_trace."))).toEqual([]);
  });

  it("10: new WASI({ preopens }) is decided as a write on each preopened directory", () => {
    enable();
    const { WASI } = process.getBuiltinModule("node:wasi") as typeof import("node:wasi");
    expect(() => new WASI({ version: "preview1", preopens: { "/sandbox": dir } })).toThrow(GovernorDeniedError);
  });

  it("11: undici's global dispatcher (created by the SDK's own enforce call) cannot POST data out", async () => {
    enable();
    // The SDK's own request creates the dispatcher; that request itself is never governed.
    await expect(fetch(`${tcp.url}/first`)).rejects.toBeInstanceOf(GovernorDeniedError);
    const dispatcher = (globalThis as Record<symbol, { dispatch: (o: object, h: object) => boolean }>)[
      Symbol.for("undici.globalDispatcher.1")
    ]!;
    expect(dispatcher).toBeDefined();
    const before = tcp.hits();
    const handler = { onConnect() {}, onHeaders() {}, onData() {}, onComplete() {}, onError() {} };
    expect(() =>
      dispatcher.dispatch({ origin: tcp.url, path: "/exfil", method: "POST", body: "secret" }, handler),
    ).toThrow(GovernorDeniedError);
    await new Promise((done) => setTimeout(done, 200));
    expect(tcp.hits()).toBe(before);
  });

  it("12: the global WebSocket (Node 20: --experimental-websocket) opens no connection", async () => {
    const before = tcp.hits();
    const script = `
      try { new WebSocket(${JSON.stringify(tcp.url.replace("http:", "ws:") + "/socket?data=secret")}); console.log("opened"); }
      catch (error) { console.log(error.name); }
      setTimeout(() => {}, 300);`;
    const flags = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-websocket"] : [];
    const run = await runNode(
      [...flags, "--no-warnings", "--require", join(SDK_DIR, "dist/register.js"), "-e", script],
      {
        env: { GOVERNOR_ENFORCE_URL: mock.url, GOVERNOR_API_KEY: API_KEY },
      },
    );
    expect(run.stdout.trim(), run.stderr).toBe("GovernorDeniedError");
    expect(tcp.hits()).toBe(before);
  });
});
