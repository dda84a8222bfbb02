/**
 * Smaller first-hour points on the built CLI (real processes): no-ops say why, apply outside git says
 * undo relies on .governor/ alone, undo with nothing to undo is not an error, undo --dry-run writes
 * nothing, and a broken file that is not an entrypoint is not told to import the preload.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runCli } from "./helpers.js";

beforeAll(requireBuild);

function project(files: Record<string, string>, options: { git?: boolean } = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "gi-first-hour-cli-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  if (options.git) {
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: root });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "init");
  }
  return root;
}

const SERVER = 'import { writeFileSync } from "node:fs";\nwriteFileSync("out.txt", "x");\n';

describe("no-ops say why and what to do instead", () => {
  it("plan --mode preload with no start script names the scripts it looked for, in text and --json", async () => {
    const root = project({ "package.json": JSON.stringify({ name: "x", type: "module" }), "index.js": SERVER });
    const text = await runCli(["plan", root, "--mode", "preload"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Nothing to change: no start script in package.json");
    expect(text.stdout).toContain("start, dev, serve");
    expect(text.stdout).toContain("--mode enable");
    const json = JSON.parse((await runCli(["plan", root, "--mode", "preload", "--json"])).stdout);
    expect(json.report.noOp).toEqual({
      reason: expect.stringContaining("no start script in package.json"),
      suggestion: expect.stringContaining("--mode enable"),
    });
  });

  it("apply that has nothing to do says so instead of 'Applied'", async () => {
    const root = project({ "package.json": JSON.stringify({ name: "x", type: "module" }), "index.js": SERVER });
    const run = await runCli(["apply", root, "--mode", "preload", "--yes", "--no-install"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Nothing applied \(mode preload\): no start script/);
    expect(run.stdout).not.toContain("✔ Applied");
  });
});

describe("apply outside a git repository", () => {
  it("with --yes goes on, and says undo relies on .governor/ alone", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "x", type: "module", main: "index.js" }),
      "index.js": SERVER,
    });
    const run = await runCli(["apply", root, "--yes", "--no-install"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("not in a git repository: undo relies on .governor/ alone");
  });

  it("without --yes and without a terminal, refuses (exit 2) and says what to run", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "x", type: "module", main: "index.js" }),
      "index.js": SERVER,
    });
    const run = await runCli(["apply", root, "--no-install"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("governor-init apply --yes");
    expect(readFileSync(path.join(root, "index.js"), "utf8")).toBe(SERVER);
  });
});

describe("undo", () => {
  it("with nothing to undo exits 0 with one line", async () => {
    const root = project({ "package.json": "{}" });
    const run = await runCli(["undo", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Nothing to undo: no .governor/manifest.json in ${root}.\n`);
    const json = await runCli(["undo", root, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ nothingToUndo: true });
  });

  it("--dry-run shows the diff and writes nothing; undo then reverts; a second undo has nothing to do", async () => {
    const root = project(
      { "package.json": JSON.stringify({ name: "x", type: "module", main: "index.js" }), "index.js": SERVER },
      { git: true },
    );
    expect((await runCli(["apply", root, "--yes", "--no-install", "--mode", "enable"])).code).toBe(0);
    const applied = readFileSync(path.join(root, "index.js"), "utf8");
    const dry = await runCli(["undo", root, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('-import "@governor/sdk/register";');
    expect(readFileSync(path.join(root, "index.js"), "utf8")).toBe(applied);
    expect((await runCli(["undo", root])).code).toBe(0);
    expect(readFileSync(path.join(root, "index.js"), "utf8")).toBe(SERVER);
  });

  it("an ambiguous file is left alone with the spans to remove by hand (exit 1)", async () => {
    const root = project(
      { "package.json": JSON.stringify({ name: "x", type: "module", main: "index.js" }), "index.js": SERVER },
      { git: true },
    );
    expect((await runCli(["apply", root, "--yes", "--no-install", "--mode", "enable"])).code).toBe(0);
    // The user adds a second import of the SDK: which one is governor-init's cannot be told.
    writeFileSync(path.join(root, "index.js"), 'import "@governor/sdk/register";\n', { flag: "a" });
    const before = readFileSync(path.join(root, "index.js"), "utf8");
    const run = await runCli(["undo", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("left alone: index.js");
    expect(run.stdout).toContain("To remove governor-init's edits by hand:");
    expect(run.stdout).toContain('index.js:1: remove the line `import "@governor/sdk/register";`');
    expect(readFileSync(path.join(root, "index.js"), "utf8")).toBe(before);
  });
});

describe("wording", () => {
  it("a broken file that is not an entrypoint is not told, unconditionally, to import the preload", async () => {
    const root = project({
      "package.json": JSON.stringify({ name: "x", type: "module", main: "index.js" }),
      "index.js": SERVER,
      "lib/broken.js": 'import fs from "node:fs";\nfs.writeFileSync("a", \n',
    });
    const run = await runCli(["plan", root]);
    expect(run.stdout).not.toContain("At an entrypoint, first thing");
    expect(run.stdout).toContain("Only if it is an entrypoint");
  });
});
