/**
 * `@governor/sdk/testing` as a customer would use it: the governor-init CLI's mock in a child
 * process, and useGovernor() around a test.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GovernorDeniedError, governor } from "../src/index.js";
import { startGovernorMock, useGovernor, type GovernorMock } from "../src/testing.js";
import { REPO_DIR, tempDir } from "./helpers.js";

let mock: GovernorMock;
let dir: string;

beforeAll(async () => {
  mock = await startGovernorMock({
    cwd: REPO_DIR,
    policy: {
      name: "customer-tests",
      default: "allow",
      rules: [
        {
          id: "no-secrets",
          effect: "deny",
          reason: "Secrets are off limits.",
          match: { resource_type: "filesystem", resource_name: "**/secrets/**" },
        },
      ],
    },
  });
  dir = tempDir();
});
afterAll(async () => {
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("startGovernorMock + useGovernor", () => {
  it("runs the SDK against the mock for one test and cleans up after", async () => {
    fs.mkdirSync(join(dir, "secrets"));
    const session = useGovernor({ url: mock.url });
    try {
      fs.mkdirSync(join(dir, "public"));
      expect(() => fs.writeFileSync(join(dir, "secrets/key"), "x")).toThrow(GovernorDeniedError);
      fs.writeFileSync(join(dir, "public.txt"), "x");
      expect(session.audit.map((e) => [e.primitive, e.decision])).toEqual([
        ["fs.mkdirSync", "ALLOW"],
        ["fs.writeFileSync", "DENY"],
        ["fs.writeFileSync", "ALLOW"],
      ]);
      const decisions = await mock.decisions();
      expect(decisions.map((d) => d.decision)).toEqual(["ALLOW", "DENY", "ALLOW"]);
      expect(decisions[1]!.reason).toBe("Secrets are off limits.");
    } finally {
      session.stop();
    }
    expect(governor.isEnabled()).toBe(false);
    fs.writeFileSync(join(dir, "secrets/key"), "ungoverned after stop()");
  });

  it("explains how to get the CLI when it is missing", async () => {
    await expect(startGovernorMock({ cwd: "/" })).rejects.toThrow(/npm install --save-dev governor-init/);
  });
});
