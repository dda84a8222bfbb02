/**
 * `@governor/sdk/testing`'s whole-run helpers: governorGlobalSetup starts the governor-init CLI's mock
 * in a child process and points the environment at it; decisionLog and expectDecision read what the
 * mock decided.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GovernorDeniedError } from "../src/index.js";
import {
  decisionLog,
  expectDecision,
  governorGlobalSetup,
  governorGlobalTeardown,
  testPolicy,
  useGovernor,
} from "../src/testing.js";
import { REPO_DIR, tempDir } from "./helpers.js";

const saved = { url: process.env.GOVERNOR_ENFORCE_URL, key: process.env.GOVERNOR_API_KEY };

afterEach(async () => {
  await governorGlobalTeardown();
  if (saved.url === undefined) delete process.env.GOVERNOR_ENFORCE_URL;
  else process.env.GOVERNOR_ENFORCE_URL = saved.url;
  if (saved.key === undefined) delete process.env.GOVERNOR_API_KEY;
  else process.env.GOVERNOR_API_KEY = saved.key;
});

describe("governorGlobalSetup", () => {
  it("starts the mock, sets GOVERNOR_ENFORCE_URL, and the teardown restores the environment", async () => {
    delete process.env.GOVERNOR_ENFORCE_URL;
    const teardown = await governorGlobalSetup({ cwd: REPO_DIR });
    const url = process.env.GOVERNOR_ENFORCE_URL;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.GOVERNOR_API_KEY).toBeTruthy();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    // A second call (a worker, a nested runner) starts nothing new.
    await governorGlobalSetup({ cwd: REPO_DIR });
    expect(process.env.GOVERNOR_ENFORCE_URL).toBe(url);
    await teardown();
    expect(process.env.GOVERNOR_ENFORCE_URL).toBe(saved.url);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 30_000);

  it("expectDecision finds a decision in the log, and fails listing what the mock decided", async () => {
    delete process.env.GOVERNOR_ENFORCE_URL;
    const dir = tempDir();
    await governorGlobalSetup({ cwd: REPO_DIR, policy: "deny-all" });
    const session = useGovernor({ url: process.env.GOVERNOR_ENFORCE_URL! });
    try {
      const since = (await decisionLog()).length;
      expect(() => fs.writeFileSync(join(dir, "out.txt"), "x")).toThrow(GovernorDeniedError);
      const found = await expectDecision({ decision: "DENY", action: "write", resource: "filesystem" }, { since });
      expect(found.decision).toBe("DENY");
      await expect(expectDecision({ decision: "ALLOW" }, { since })).rejects.toThrow(
        /expected a governor decision matching \{"decision":"ALLOW"\}; the mock made 1: DENY write filesystem/,
      );
    } finally {
      session.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("decisionLog without a mock says how to wire one", async () => {
    delete process.env.GOVERNOR_ENFORCE_URL;
    await expect(decisionLog()).rejects.toThrow(/governorGlobalSetup/);
  });

  it("testPolicy: GOVERNOR_TEST_POLICY, then governor-policy.yaml in the directory, then allow-all", () => {
    const dir = tempDir();
    try {
      expect(testPolicy(dir)).toBe("allow-all");
      fs.writeFileSync(join(dir, "governor-policy.yaml"), "name: t\ndefault: allow\nrules: []\n");
      expect(testPolicy(dir)).toBe(join(dir, "governor-policy.yaml"));
      process.env.GOVERNOR_TEST_POLICY = "deny-all";
      expect(testPolicy(dir)).toBe("deny-all");
    } finally {
      delete process.env.GOVERNOR_TEST_POLICY;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
