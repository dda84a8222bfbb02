/**
 * A re-plan skips files the manifest says the last apply wrote (hash unchanged). That shortcut must
 * not change the answer: a file written with sites excluded is analysed again, so a plan without
 * those exclusions gives what it would give without the manifest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apply, detect, plan, readManifest } from "../index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-manifest-skip-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const WORKER = [
  'export const ping = () => fetch("https://status.example.com/ping");',
  'export const report = () => fetch("https://status.example.com/report");',
  "",
].join("\n");

describe("manifest skip with excluded sites", () => {
  it("re-analyses a file applied with a site excluded, and still skips a fully applied one", async () => {
    const root = project({
      "package.json": '{ "name": "worker", "type": "module" }',
      "src/partial.js": WORKER,
      "src/full.js": WORKER,
    });
    const ping = (await detect(root)).primitiveSites.find((s) => s.path === "src/partial.js")!;
    await apply(root, { mode: "wrap", exclude: { sites: [ping.siteId] }, allowDirty: true });
    const manifest = readManifest(root)!;
    expect(manifest.files.map((f) => [f.path, f.partial ?? false])).toEqual([
      ["src/full.js", false],
      ["src/partial.js", true],
    ]);

    const { changes } = await plan(root, { mode: "wrap" });
    expect(changes.map((c) => c.path)).toEqual(["src/partial.js"]);
    expect(changes[0]!.after).toContain('govern(fetch)("https://status.example.com/ping")');

    // Applying the rest settles the file: the next plan skips it again.
    await apply(root, { mode: "wrap", allowDirty: true });
    expect(readManifest(root)!.files.every((f) => f.partial === undefined)).toBe(true);
    expect((await plan(root, { mode: "wrap" })).changes).toEqual([]);
  });
});
