/**
 * Runs a transform's fixture pairs as vitest cases. A transform's test file is one call:
 *
 *   runFixtureCases(transform, new URL("./__testfixtures__/", import.meta.url));
 *
 * Every `<case>.input.<ext>` must have a `<case>.output.<ext>` beside it (for a case where nothing must
 * change, the output is identical to the input). Each case asserts, byte for byte:
 * - applying the transform to the input gives the output;
 * - applying it again to the output changes nothing (applying twice equals applying once);
 * - the edits reported are empty exactly when the text did not change.
 * An optional `<case>.options.json` holds `{ "moduleSystem": "cjs", "path": "src/x.ts", "runtime": "edge" }`.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModuleSystem, Runtime, SourceTransform } from "../types.js";

const INPUT = /^(?<name>.+)\.input\.(?<ext>[cm]?[jt]sx?)$/;

/** One fixture pair on disk. */
export interface FixtureCase {
  name: string;
  inputFile: string;
  outputFile: string;
  path: string;
  moduleSystem: ModuleSystem;
  /** Where the file runs (`options.json`'s `runtime`); absent means Node. */
  runtime?: Runtime;
}

/** Lists the fixture pairs in a `__testfixtures__` directory. */
export function listFixtureCases(dir: URL | string): FixtureCase[] {
  const root = typeof dir === "string" ? dir : fileURLToPath(dir);
  return readdirSync(root)
    .map((file) => INPUT.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const { name, ext } = match.groups as { name: string; ext: string };
      const optionsFile = join(root, `${name}.options.json`);
      const options = existsSync(optionsFile)
        ? (JSON.parse(readFileSync(optionsFile, "utf8")) as {
            moduleSystem?: ModuleSystem;
            path?: string;
            runtime?: Runtime;
          })
        : {};
      const defaultSystem: ModuleSystem = ext.startsWith("c") ? "cjs" : "esm";
      const fixture: FixtureCase = {
        name,
        inputFile: join(root, match[0]),
        outputFile: join(root, `${name}.output.${ext}`),
        path: options.path ?? `src/${name}.${ext}`,
        moduleSystem: options.moduleSystem ?? defaultSystem,
      };
      if (options.runtime !== undefined) fixture.runtime = options.runtime;
      return fixture;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Registers one vitest case per fixture pair, plus the idempotency property. */
export function runFixtureCases(transform: SourceTransform, dir: URL | string): void {
  const cases = listFixtureCases(dir);
  describe(`${transform.name} fixtures`, () => {
    it("has fixture pairs", () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const fixture of cases) {
      it(fixture.name, () => {
        const input = readFileSync(fixture.inputFile, "utf8");
        expect(existsSync(fixture.outputFile), `missing ${fixture.outputFile}`).toBe(true);
        const expected = readFileSync(fixture.outputFile, "utf8");
        const run = (source: string) =>
          transform.run({ path: fixture.path, source, moduleSystem: fixture.moduleSystem, runtime: fixture.runtime });

        const once = run(input);
        expect(once.source).toBe(expected);
        expect(once.edits.length === 0).toBe(once.source === input);

        const twice = run(once.source);
        expect(twice.source).toBe(once.source);
        expect(twice.edits).toEqual([]);
      });
    }
  });
}
