/**
 * Regression tests for HTTP side effects that reached a target nobody decided: the SDK in this
 * process against the real enforce mock (a child process), with a counting server as the proof.
 */
import * as http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { governor, GovernorDeniedError, govern, type AuditEvent } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startCountingServer, startMock, type MockProcess } from "./helpers.js";

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
let audit: AuditEvent[] = [];
let unsubscribe: () => void = () => {};

beforeAll(async () => {
  [mock, counter] = await Promise.all([startMock({ policy: POLICY }), startCountingServer()]);
  port = new URL(counter.url).port;
});
afterAll(async () => {
  resetGovernor();
  await Promise.all([mock?.stop(), counter?.close()]);
});
afterEach(() => {
  unsubscribe();
  resetGovernor();
});

function enable(extra: Parameters<typeof governor.enable>[0] = {}): void {
  resetGovernor();
  governor.enable({ enforceUrl: mock.url, apiKey: API_KEY, ...extra });
  audit = [];
  unsubscribe = governor.onAudit((event) => audit.push(event));
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
