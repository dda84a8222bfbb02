import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { preloadPackageJson, scriptLaunches, type PreloadOptions } from "./index.js";
import { GovernorInitError } from "../../core/errors.js";

// package.json fixture pairs: `<case>.input.json` → `<case>.output.json`, optional `<case>.options.json`.
const dir = fileURLToPath(new URL("./__testfixtures__/", import.meta.url));
const cases = readdirSync(dir)
  .map((file) => /^(.+)\.input\.json$/.exec(file)?.[1])
  .filter((name): name is string => name !== undefined)
  .sort();

describe("preload fixtures", () => {
  it("has at least 10 fixture pairs", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const name of cases) {
    it(name, () => {
      const input = readFileSync(join(dir, `${name}.input.json`), "utf8");
      const expected = readFileSync(join(dir, `${name}.output.json`), "utf8");
      const optionsFile = join(dir, `${name}.options.json`);
      const options: PreloadOptions = {
        moduleSystem: "esm",
        crossEnv: false,
        ...(existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as Partial<PreloadOptions>) : {}),
      };
      const once = preloadPackageJson(input, options);
      expect(once.text).toBe(expected);
      expect(once.edits.length === 0).toBe(once.text === input);
      const twice = preloadPackageJson(once.text, options);
      expect(twice.text).toBe(once.text);
      expect(twice.edits).toEqual([]);
    });
  }
});

describe("preloadPackageJson", () => {
  it("warns about Windows when writing the POSIX form, not with cross-env", () => {
    const text = '{ "scripts": { "start": "node a.js" } }';
    expect(
      preloadPackageJson(text, { moduleSystem: "esm", crossEnv: false }).warnings.some((w) =>
        /Windows/.test(w.message),
      ),
    ).toBe(true);
    expect(preloadPackageJson(text, { moduleSystem: "esm", crossEnv: true }).warnings).toEqual([]);
  });

  it("refuses invalid JSON", () => {
    expect(() => preloadPackageJson('{ "scripts": ', { moduleSystem: "esm", crossEnv: false })).toThrow(
      GovernorInitError,
    );
  });
});

describe("scriptLaunches", () => {
  it("reads the runner and entry file past flags and env assignments", () => {
    expect(scriptLaunches("PORT=1 node --import tsx --env-file=.env src/a.ts")).toEqual([
      { runner: "node", entry: "src/a.ts", preloaded: false },
    ]);
    expect(scriptLaunches("tsc && tsx watch src/b.ts")).toEqual([
      { runner: "tsx", entry: "src/b.ts", preloaded: false },
    ]);
    expect(scriptLaunches("vite build")).toEqual([]);
  });
});
