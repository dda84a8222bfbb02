/**
 * Regression (finding 22): a whole signed ALLOW answer replayed for the same intent was accepted
 * (a forged token and another intent's token were refused, but the genuine answer could be sent
 * again while its token lived). Each signed ALLOW's request id is now accepted once. A proxy
 * between the SDK and the signing mock records the first answer and replays it.
 */
import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GovernorUnavailableError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { auditedGovernor, rawFetch, startCountingServer, startMock, type MockProcess } from "./helpers.js";

let signed: MockProcess;
let counter: Awaited<ReturnType<typeof startCountingServer>>;
let proxy: http.Server;
let proxyUrl: string;
let recorded: string | undefined;
const governed = auditedGovernor();

beforeAll(async () => {
  [signed, counter] = await Promise.all([
    startMock({ policy: "allow-all", tokenSecret: "s3cret" }),
    startCountingServer(),
  ]);
  // Forwards the first decision request, then answers every later one with that same answer.
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (recorded === undefined) {
      const upstream = await rawFetch(signed.url + req.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: String(req.headers.authorization) },
        body: Buffer.concat(chunks).toString(),
      });
      recorded = await upstream.text();
    }
    res.setHeader("content-type", "application/json");
    res.end(recorded);
  });
  await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});
afterAll(async () => {
  resetGovernor();
  proxy?.closeAllConnections();
  proxy?.close();
  await Promise.all([signed?.stop(), counter?.close()]);
});

describe("a replayed ALLOW", () => {
  it("22: the same signed ALLOW sent again for the same intent is refused, even in fail-open mode", async () => {
    governed.start(proxyUrl, { decisionSecret: "s3cret", cacheTtlMs: 0, failMode: "open" });
    const before = counter.hits();
    await (await fetch(`${counter.url}/pay`, { method: "POST", body: "1" })).text();
    expect(counter.hits()).toBe(before + 1);
    const error = await fetch(`${counter.url}/pay`, { method: "POST", body: "2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GovernorUnavailableError);
    expect((error as Error).message).toMatch(/replayed/);
    expect(counter.hits()).toBe(before + 1);
  });

  it("a fresh ALLOW per request (no replay) is obeyed every time", async () => {
    governed.start(signed.url, { decisionSecret: "s3cret", cacheTtlMs: 0 });
    const before = counter.hits();
    for (let i = 0; i < 3; i++) await (await fetch(`${counter.url}/pay`, { method: "POST", body: "x" })).text();
    expect(counter.hits()).toBe(before + 3);
  });
});
