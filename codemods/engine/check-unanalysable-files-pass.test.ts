/**
 * Regression: `check` passed over files it could not read. A file that does not parse (holding a
 * `writeFileSync`) or a huge minified file was listed nowhere and check said ok: a CI gate must fail
 * closed, unless the user excludes the file on purpose. plan's Skipped list names the broken file too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { check, plan } from "../index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-check-unanalysable-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const BROKEN = 'import { writeFileSync } from "node:fs";\nexport function save( {\n  writeFileSync("x", "y");\n';
const MINIFIED = `export const a=${JSON.stringify("x".repeat(6_000))};fetch("https://example.com");\n`;

describe("check unanalysable files pass", () => {
  it("reports a file that does not parse and a minified file as findings, and is not ok", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "p", main: "src/index.ts" }),
      "src/index.ts": 'import "@governor/sdk/register";\nexport const x = 1;\n',
      "src/broken.ts": BROKEN,
      "src/vendor.js": MINIFIED,
    });
    const result = await check(root);
    expect(result.ok).toBe(false);
    const unanalysable = result.findings.filter((f) => f.kind === "unanalysable");
    expect(unanalysable.map((f) => f.path)).toEqual(["src/broken.ts", "src/vendor.js"]);
    expect(unanalysable[0]!.message).toMatch(/^could not be analysed: .*does not parse/);
    expect(unanalysable[1]!.message).toMatch(/^could not be analysed: minified/);

    const { report } = await plan(root);
    expect(report.skipped.map((s) => s.path)).toEqual(expect.arrayContaining(["src/broken.ts", "src/vendor.js"]));
  });

  it("is ok again when the user excludes those files (paths or globs)", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "p", main: "src/index.ts" }),
      "src/index.ts": 'import "@governor/sdk/register";\nexport const x = 1;\n',
      "src/broken.ts": BROKEN,
      "src/vendor/lib.js": MINIFIED,
    });
    const result = await check(root, { exclude: ["src/broken.ts", "src/vendor/**"] });
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("does not count node_modules or ignored files", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "p", main: "src/index.ts" }),
      ".gitignore": "generated/\n",
      "src/index.ts": 'import "@governor/sdk/register";\nexport const x = 1;\n',
      "node_modules/dep/index.js": BROKEN,
      "generated/bundle.js": MINIFIED,
    });
    expect((await check(root)).ok).toBe(true);
  });
});
