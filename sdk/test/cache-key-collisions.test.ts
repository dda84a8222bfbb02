/**
 * Regression: distinct calls shared one decision cache key — command lines cut to 1024 characters,
 * governTool arguments cut to 4 KB, and Dates / URLs (which the key serialized as `{}`). What is sent
 * stays bounded; the full text's SHA-256 travels along, and the key is the JSON that is sent.
 */
import * as childProcess from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { governor, governTool } from "../src/index.js";
import { intentHash, sha256Hex, stableStringify } from "../src/protocol.js";
import { resetGovernor } from "../src/testing.js";
import { startMock, type MockProcess, auditedGovernor } from "./helpers.js";

const POLICY = { name: "allow-all", default: "allow", rules: [] };

let mock: MockProcess;
const governed = auditedGovernor();
const { audit } = governed;

beforeAll(async () => {
  mock = await startMock({ policy: POLICY });
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
});

const start = (): void => governed.start(mock.url);

describe("cache collisions", () => {
  it("two command lines equal in their first 1024 characters are two decisions", async () => {
    start();
    const pad = "x".repeat(1100);
    const before = (await mock.decisions()).length;
    expect(childProcess.execFileSync("echo", [pad, "first"]).toString().trim().endsWith("first")).toBe(true);
    expect(childProcess.execFileSync("echo", [pad, "second"]).toString().trim().endsWith("second")).toBe(true);
    const asked = (await mock.decisions()).slice(before);
    expect(asked).toHaveLength(2);
    const [first, second] = asked.map((decision) => decision.intent.context);
    expect(first!.command).toBe(second!.command); // what is sent stays cut…
    expect((first!.command as string).length).toBeLessThanOrEqual(1025);
    expect(first!.command_sha256).toBe(sha256Hex(`echo ${pad} first`)); // …with the full command's hash
    expect(second!.command_sha256).toBe(sha256Hex(`echo ${pad} second`));
    expect(audit.map((event) => event.cached)).toEqual([false, false]);
  });

  it("governTool calls that differ only after the 4 KB cut are two decisions", async () => {
    start();
    const amounts: number[] = [];
    const transfer = governTool(
      { tool: "transfer", action: "write", resource: { type: "external_api", name: "bank" } },
      async ({ amount }: { memo: string; amount: number }) => amounts.push(amount),
    );
    const memo = "x".repeat(5000);
    await transfer({ memo, amount: 1 });
    await transfer({ memo, amount: 1_000_000 });
    expect(amounts).toEqual([1, 1_000_000]);
    expect(audit.map((event) => event.cached)).toEqual([false, false]);
    const hashes = audit.map((event) => event.intent.context!.arguments_sha256);
    expect(hashes).toEqual([
      sha256Hex(JSON.stringify({ memo, amount: 1 })),
      sha256Hex(JSON.stringify({ memo, amount: 1_000_000 })),
    ]);
  });

  it("intents differing only in a Date or URL are two decisions, keyed by what is sent", async () => {
    start();
    const base = { action: "write", resource: { type: "external_api", name: "bank" } };
    const first = {
      ...base,
      context: { transferAt: new Date("2020-01-01"), target: new URL("https://bank.example/acct/1") },
    };
    const second = {
      ...base,
      context: { transferAt: new Date("2030-12-31"), target: new URL("https://bank.example/acct/999") },
    };
    expect(stableStringify(first)).toBe(stableStringify(JSON.parse(JSON.stringify(first))));
    expect(intentHash(first)).not.toBe(intentHash(second));
    const before = (await mock.decisions()).length;
    const a = await governor.decide(first);
    const b = await governor.decide(second);
    expect([a.decision, a.cached, b.decision, b.cached]).toEqual(["ALLOW", false, "ALLOW", false]);
    expect(a.requestId).not.toBe(b.requestId);
    const sent = (await mock.decisions()).slice(before).map((decision) => decision.intent.context);
    expect(sent).toEqual([
      { transferAt: "2020-01-01T00:00:00.000Z", target: "https://bank.example/acct/1" },
      { transferAt: "2030-12-31T00:00:00.000Z", target: "https://bank.example/acct/999" },
    ]);
  });
});
