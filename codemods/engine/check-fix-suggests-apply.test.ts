/**
 * Regression: check suggested a fix that can't fix it. Every failing check ended "Fix: governor-init
 * apply", even for a site apply leaves alone (a second apply writes nothing). Each finding now carries
 * the fix that works for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apply, check } from "../index.js";
import { CHECK_FIXES } from "./check.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-check-fix-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("check fix suggests apply", () => {
  it("suggests apply only for the sites apply governs, and a by-hand fix for the others", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "p", type: "module", main: "src/index.ts" }),
      "src/index.ts": 'export async function ping() {\n  await fetch("https://example.com/ping");\n}\n',
      "src/helper.ts":
        'import axios from "axios";\nexport async function load() {\n  return axios.get("https://example.com/data");\n}\n',
      "src/notes.ts": "// TODO(governor): choose the action of the export job\nexport const x = 1;\n",
    });
    const before = await check(root);
    const fixOf = (path: string) => before.findings.find((f) => f.path === path)?.fix;
    expect(fixOf("src/index.ts")).toBe(CHECK_FIXES.apply);
    expect(fixOf("src/helper.ts")).toBe(CHECK_FIXES.byHand);
    expect(fixOf("src/notes.ts")).toBe(CHECK_FIXES.todo);

    await apply(root, { allowDirty: true });
    const after = await check(root);
    expect(after.findings.map((f) => [f.path, f.fix])).toEqual([
      ["src/helper.ts", CHECK_FIXES.byHand],
      ["src/notes.ts", CHECK_FIXES.todo],
    ]);
    // What check says apply cannot fix, apply indeed does not change.
    expect((await apply(root, { allowDirty: true })).written).toEqual([]);
  });
});
