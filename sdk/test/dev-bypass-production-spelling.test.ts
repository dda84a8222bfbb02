/**
 * Regression: GOVERNOR_DEV_BYPASS was refused only for NODE_ENV exactly "production"; " Production",
 * "PROD" or "production-eu" let every side effect run without asking. Any NODE_ENV that, trimmed and
 * lower-cased, starts with "prod" refuses it now.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config.js";
import { governor, GovernorDeniedError } from "../src/index.js";
import { resetGovernor } from "../src/testing.js";
import { API_KEY, startMock, tempDir, type MockProcess } from "./helpers.js";

let mock: MockProcess;
let dir: string;
const savedNodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  mock = await startMock({ policy: { name: "deny-all", default: "deny", rules: [] } });
  dir = tempDir();
});
afterAll(async () => {
  resetGovernor();
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  resetGovernor();
  process.env.NODE_ENV = savedNodeEnv;
  delete process.env.GOVERNOR_DEV_BYPASS;
});

describe("GOVERNOR_DEV_BYPASS honoured in production spelled differently", () => {
  it("is refused for every spelling of production", () => {
    for (const nodeEnv of ["production", " Production", "PRODUCTION\n", "prod", "Prod-EU", "production-eu"]) {
      const { config, warnings } = resolveConfig({}, { GOVERNOR_DEV_BYPASS: "1", NODE_ENV: nodeEnv });
      expect(config.devBypass, JSON.stringify(nodeEnv)).toBe(false);
      expect(warnings.join("\n")).toMatch(/GOVERNOR_DEV_BYPASS is refused/);
    }
    for (const nodeEnv of ["development", "test", "staging", undefined]) {
      expect(resolveConfig({}, { GOVERNOR_DEV_BYPASS: "1", NODE_ENV: nodeEnv }).config.devBypass).toBe(true);
    }
  });

  it("a write under NODE_ENV=' Production' with the bypass on is still decided (and denied)", () => {
    process.env.NODE_ENV = " Production";
    process.env.GOVERNOR_DEV_BYPASS = "1";
    governor.enable({ enforceUrl: mock.url, apiKey: API_KEY });
    const file = join(dir, "bypass");
    expect(() => fs.writeFileSync(file, "x")).toThrow(GovernorDeniedError);
    expect(fs.existsSync(file)).toBe(false);
  });
});
