/**
 * `@governor/sdk/edge` on an edge-like runtime: the entry bundled with esbuild for a neutral platform
 * (the build fails on any Node builtin), then run in a `node:vm` context whose only globals are what
 * edge runtimes provide, against the real enforce mock and a counting server on loopback.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { webcrypto } from "node:crypto";
import { join } from "node:path";
import vm from "node:vm";
import { build, type BuildOptions } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type MockServer, type PolicyDocument } from "../../enforce-mock/index.js";
import { API_KEY, ensureBuilt, REPO_DIR, SDK_DIR, startCountingServer } from "./helpers.js";

type EdgeSdk = typeof import("../src/edge.js");

const POLICY: PolicyDocument = {
  name: "sdk-edge",
  default: "allow",
  rules: [
    { id: "no-deletes", effect: "deny", reason: "Deleting is not allowed here.", match: { action: "delete" } },
    {
      id: "no-refunds",
      effect: "deny",
      reason: "Refunds need a human.",
      match: { resource_type: "external_api", resource_name: "stripe" },
    },
  ],
};

/** What every edge build uses: neutral platform, no externals, so a Node builtin fails the build. */
function edgeBuild(entry: string): BuildOptions {
  return {
    entryPoints: [join(SDK_DIR, "src", entry)],
    bundle: true,
    write: false,
    platform: "neutral",
    mainFields: ["module", "main"],
    format: "iife",
    globalName: "governorEdge",
    logLevel: "silent",
    metafile: true,
  };
}

let bundle: string;
let bundledInputs: string[];
let mock: MockServer;
let tokenMock: MockServer;
let counter: Awaited<ReturnType<typeof startCountingServer>>;

beforeAll(async () => {
  const result = await build(edgeBuild("edge.ts"));
  bundle = result.outputFiles![0]!.text;
  bundledInputs = Object.keys(result.metafile!.inputs);
  [mock, tokenMock, counter] = await Promise.all([
    startMockServer({ port: 0, policy: POLICY, apiKey: API_KEY }),
    startMockServer({ port: 0, policy: POLICY, apiKey: API_KEY, tokenSecret: "edge-secret" }),
    startCountingServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([mock?.close(), tokenMock?.close(), counter?.close()]);
});

/** Globals an edge runtime (Vercel Edge, Cloudflare Workers) provides; no `process`, no `require`. */
function edgeGlobals(): Record<string, unknown> {
  return {
    fetch,
    Request,
    Response,
    Headers,
    URL,
    TextEncoder,
    TextDecoder,
    atob,
    AbortController,
    AbortSignal,
    crypto: webcrypto,
    setTimeout,
    clearTimeout,
    console,
  };
}

/** Loads the bundle into a fresh edge-like context (its own global state: no cache, no config). */
function loadEdge(extraGlobals: Record<string, unknown> = {}): EdgeSdk {
  const context = vm.createContext({ ...edgeGlobals(), ...extraGlobals });
  new vm.Script(bundle, { filename: "governor-edge.js" }).runInContext(context);
  return (context as { governorEdge: EdgeSdk }).governorEdge;
}

/** The edge SDK with AsyncLocalStorage (as Vercel Edge provides it), configured for `server`. */
function configuredEdge(server: MockServer = mock, options: Parameters<EdgeSdk["configure"]>[0] = {}): EdgeSdk {
  const edge = loadEdge({ AsyncLocalStorage });
  edge.configure({ enforceUrl: server.url, apiKey: API_KEY, ...options });
  return edge;
}

describe("the edge bundle", () => {
  it("builds for a neutral platform with no Node builtin and no external", () => {
    expect(bundledInputs.some((input) => input.endsWith("sdk/src/edge.ts"))).toBe(true);
    expect(bundledInputs.filter((input) => !input.startsWith("sdk/src/"))).toEqual([]);
    expect(bundle).not.toMatch(/require\(["']node:/);
  });

  it("runs where there is no process, require, Buffer or module", () => {
    const context = vm.createContext(edgeGlobals());
    expect(vm.runInContext("[typeof process, typeof require, typeof Buffer, typeof module]", context)).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
    new vm.Script(bundle).runInContext(context);
    expect(Object.keys((context as { governorEdge: EdgeSdk }).governorEdge).sort()).toEqual(
      expect.arrayContaining([
        "configure",
        "govern",
        "governTool",
        "governor",
        "withActor",
        "withIntent",
        "GovernorDeniedError",
      ]),
    );
  });

  it("the published package resolves @governor/sdk/edge to a build that bundles and runs the same way", async () => {
    ensureBuilt();
    const { entryPoints: _source, ...options } = edgeBuild("edge.ts");
    const result = await build({
      ...options,
      stdin: { contents: 'export * from "@governor/sdk/edge";', resolveDir: REPO_DIR, loader: "js" },
    });
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs).toContain("sdk/dist/edge.js");
    const context = vm.createContext({ ...edgeGlobals(), AsyncLocalStorage });
    new vm.Script(result.outputFiles![0]!.text).runInContext(context);
    const edge = (context as { governorEdge: EdgeSdk }).governorEdge;
    edge.configure({ enforceUrl: mock.url, apiKey: API_KEY });
    const hits = counter.hits();
    await expect(edge.govern(fetch)(`${counter.url}/dist`, { method: "DELETE" })).rejects.toMatchObject({
      code: "GOVERNOR_DENIED",
    });
    expect(counter.hits()).toBe(hits);
  });

  it("the same build rejects the Node entry (the check catches a builtin that sneaks in)", async () => {
    await expect(build(edgeBuild("index.ts"))).rejects.toThrow(/Could not resolve "node:/);
  });
});

describe("govern(fetch) on an edge runtime", () => {
  it("ALLOW: the request is sent, once, after one decision", async () => {
    const edge = configuredEdge();
    const before = { hits: counter.hits(), decisions: mock.decisions().length };
    const response = await edge.govern(fetch)(`${counter.url}/orders?page=2`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(counter.hits()).toBe(before.hits + 1);
    const asked = mock.decisions().slice(before.decisions);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      decision: "ALLOW",
      intent: {
        action: "read",
        resource: { type: "external_api", name: "127.0.0.1" },
        context: { primitive: "fetch", method: "GET", url: `${counter.url}/orders` },
      },
    });
  });

  it("DENY: rejects with GovernorDeniedError and the request is never sent", async () => {
    const edge = configuredEdge();
    const hits = counter.hits();
    const error = await edge
      .govern(fetch)(`${counter.url}/orders/1`, { method: "DELETE" })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(edge.GovernorDeniedError);
    expect(error).toMatchObject({ code: "GOVERNOR_DENIED", reason: "Deleting is not allowed here." });
    expect((error as InstanceType<EdgeSdk["GovernorDeniedError"]>).requestId).toBe(mock.decisions().at(-1)!.request_id);
    expect(counter.hits()).toBe(hits);
  });

  it("fails closed when the policy service is gone: GovernorUnavailableError, nothing sent", async () => {
    const gone = await startMockServer({ port: 0, policy: "allow-all" });
    const edge = configuredEdge(gone);
    await gone.close();
    const hits = counter.hits();
    await expect(edge.govern(fetch)(`${counter.url}/after-stop`)).rejects.toBeInstanceOf(edge.GovernorUnavailableError);
    expect(counter.hits()).toBe(hits);
  });

  it("fails closed when nothing is configured (no process.env, no configure())", async () => {
    const edge = loadEdge();
    const hits = counter.hits();
    await expect(edge.govern(fetch)(`${counter.url}/unconfigured`)).rejects.toMatchObject({
      code: "GOVERNOR_NOT_CONFIGURED",
    });
    expect(counter.hits()).toBe(hits);
  });

  it("reads GOVERNOR_* from process.env where the runtime has one", async () => {
    const edge = loadEdge({ process: { env: { GOVERNOR_ENFORCE_URL: mock.url, GOVERNOR_API_KEY: API_KEY } } });
    const before = mock.decisions().length;
    await expect(edge.govern(fetch)(`${counter.url}/from-env`)).resolves.toMatchObject({ status: 200 });
    expect(mock.decisions().length).toBe(before + 1);
  });

  it('governs an injected fetch with kind "fetch"', async () => {
    const edge = configuredEdge();
    const calls: string[] = [];
    const injected = (input: string, init?: RequestInit) => {
      calls.push(input);
      return fetch(input, init);
    };
    await expect(edge.govern(injected, "fetch")(`${counter.url}/injected`)).resolves.toMatchObject({ status: 200 });
    await expect(
      edge.govern(injected, "fetch")("https://api.stripe.com/v1/refunds", { method: "POST" }),
    ).rejects.toMatchObject({ code: "GOVERNOR_DENIED", reason: "Refunds need a human." });
    expect(calls).toEqual([`${counter.url}/injected`]);
  });

  it("refuses Node-only kinds with a clear TypeError", () => {
    const edge = configuredEdge();
    expect(() => edge.govern(() => undefined, "child_process")).toThrow(/does not exist on this runtime/);
    expect(() => edge.govern(() => undefined)).toThrow(/edge runtimes/);
  });

  it("checks signed decision tokens with Web Crypto: a valid one runs, a wrong secret fails closed", async () => {
    const good = configuredEdge(tokenMock, { decisionSecret: "edge-secret" });
    const hits = counter.hits();
    await expect(good.govern(fetch)(`${counter.url}/signed`)).resolves.toMatchObject({ status: 200 });
    expect(counter.hits()).toBe(hits + 1);

    const bad = configuredEdge(tokenMock, { decisionSecret: "not-the-secret" });
    await expect(bad.govern(fetch)(`${counter.url}/signed`)).rejects.toMatchObject({
      name: "GovernorUnavailableError",
      message: expect.stringContaining("bad-signature"),
    });
    expect(counter.hits()).toBe(hits + 1);
  });
});

describe("scopes on an edge runtime", () => {
  it("withIntent: one decision on entry; fetches inside run under it", async () => {
    const edge = configuredEdge();
    const before = mock.decisions().length;
    const status = await edge.withActor({ id: "u_1", type: "user" }, () =>
      edge.withIntent({ action: "read", resource: { type: "external_api", name: "reports" } }, async () => {
        const first = await edge.govern(fetch)(`${counter.url}/a`);
        const second = await edge.govern(fetch)(`${counter.url}/b`);
        return [first.status, second.status];
      }),
    );
    expect(status).toEqual([200, 200]);
    const asked = mock.decisions().slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.intent).toMatchObject({ resource: { name: "reports" }, actor: { id: "u_1", type: "user" } });
  });

  it("the governor object: governor.withIntent and the audit trail, as code written for Node uses them", async () => {
    const edge = configuredEdge();
    const audit: { decision: string; source: string; executed: boolean }[] = [];
    const unsubscribe = edge.governor.onAudit((event) => audit.push(event));
    const hits = counter.hits();
    await expect(
      edge.governor.withIntent({ action: "delete", resource: { type: "database", name: "orders" } }, () =>
        edge.govern(fetch)(`${counter.url}/never`),
      ),
    ).rejects.toBeInstanceOf(edge.GovernorDeniedError);
    unsubscribe();
    expect(counter.hits()).toBe(hits);
    expect(audit).toEqual([expect.objectContaining({ decision: "DENY", source: "scope", executed: false })]);
    expect(edge.governor).not.toHaveProperty("enable");
  });

  it("governTool: a denied tool's handler never runs", async () => {
    const edge = configuredEdge();
    let ran = false;
    const refund = edge.governTool(
      { tool: "refund", action: "write", resource: { type: "external_api", name: "stripe" } },
      async (input: { chargeId: string }) => {
        ran = true;
        return input.chargeId;
      },
    );
    await expect(refund({ chargeId: "ch_1" })).rejects.toBeInstanceOf(edge.GovernorDeniedError);
    expect(ran).toBe(false);
  });

  it("without AsyncLocalStorage: scopes refuse before asking; govern(fetch) still works", async () => {
    const edge = loadEdge();
    edge.configure({ enforceUrl: mock.url, apiKey: API_KEY });
    const before = mock.decisions().length;
    let ran = false;
    await expect(
      edge.withIntent({ action: "read", resource: { type: "database" } }, () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: "GOVERNOR_NO_ASYNC_CONTEXT" });
    expect(() => edge.withActor({ id: "u_1" }, () => undefined)).toThrow(/AsyncLocalStorage/);
    expect(ran).toBe(false);
    expect(mock.decisions().length).toBe(before);
    await expect(edge.govern(fetch)(`${counter.url}/no-als`)).resolves.toMatchObject({ status: 200 });
  });
});
