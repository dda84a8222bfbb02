/**
 * `@governor/sdk` is publish-ready: `npm pack` holds only the build (no sources, tests or source maps
 * pointing at sources it does not ship), every `exports` entry has its types and loads from ESM and
 * CommonJS, `npm publish --dry-run` succeeds, and the tarball stays within its size budget.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_DIR } from "./helpers.js";

const SDK_DIR = join(REPO_DIR, "sdk");
/** Bytes of the packed tarball: a budget, so growth is a decision rather than an accident. */
const PACKED_BUDGET = 120 * 1024;

const manifest = JSON.parse(readFileSync(join(SDK_DIR, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
};

describe("@governor/sdk package", () => {
  it("packs only the build and the README, within its size budget", () => {
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: SDK_DIR, encoding: "utf8" }),
    ) as Array<{ size: number; files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path);
    expect(files.filter((f) => !f.startsWith("dist/")).sort()).toEqual(["README.md", "package.json"]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => /\.test\.|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(pack!.size).toBeLessThan(PACKED_BUDGET);
  });

  it("every export has its types and its code in the build, and loads from CommonJS and ESM", () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") continue;
      expect(existsSync(join(SDK_DIR, target.types)), `${subpath} types`).toBe(true);
      expect(existsSync(join(SDK_DIR, target.default)), `${subpath} code`).toBe(true);
      if (subpath === "./register") continue; // enabling from the environment is the preload tests' business
      const specifier = `@governor/sdk${subpath === "." ? "" : subpath.slice(1)}`;
      const cjs = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(specifier)})`], {
        cwd: REPO_DIR,
        encoding: "utf8",
      });
      expect(cjs.status, `${specifier} require: ${cjs.stderr}`).toBe(0);
      const esm = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", `await import(${JSON.stringify(specifier)})`],
        {
          cwd: REPO_DIR,
          encoding: "utf8",
        },
      );
      expect(esm.status, `${specifier} import: ${esm.stderr}`).toBe(0);
    }
  });

  it("npm publish --dry-run succeeds", () => {
    const result = spawnSync("npm", ["publish", "--dry-run", "--ignore-scripts"], { cwd: SDK_DIR, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/@governor\/sdk@\d+\.\d+\.\d+/);
    expect(result.stderr).not.toMatch(/npm (warn|error) (?!publish This command requires you to be logged in)/);
  });
});
