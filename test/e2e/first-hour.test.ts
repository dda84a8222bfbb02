/**
 * The first hour of a user, on the built CLI with real processes: sample projects with their own test
 * suites (vitest, jest) pass before `apply`; after it, `@governor/sdk` resolves from a vendored
 * tarball, a clean clone's `npm ci --offline` works and the project's tests pass against the mock;
 * the user fills in an intent and edits an unrelated line; `undo` takes out every governor-init edit
 * and keeps the user's line.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, requireBuild, runCli, runProcess } from "./helpers.js";

// npm's default writes registry URLs into lockfiles (`resolved`), which `npm ci --offline` needs to find
// tarballs in the cache; a machine-wide setting may turn that off.
const NPM_ENV = { npm_config_omit_lockfile_registry_resolved: "false", npm_config_audit: "false" };

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd,
    encoding: "utf8",
  });
}

/** Copies a sample project to a temp dir as a committed git repository. */
function sampleRepo(name: string): string {
  const root = mkdtempSync(path.join(tmpdir(), `gi-first-hour-${name}-`));
  const dir = path.join(root, "repo");
  cpSync(path.join(REPO_ROOT, "test/fixtures", name), dir, {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "the user's project");
  return dir;
}

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  runProcess("npm", args, { cwd, env: { ...NPM_ENV, ...env } });

/** A clean clone of the committed state, installed offline as CI would. */
async function cleanCloneInstall(dir: string): Promise<string> {
  const clone = path.join(path.dirname(dir), "clone");
  rmSync(clone, { recursive: true, force: true });
  git(path.dirname(dir), "clone", "-q", dir, clone);
  const ci = await npm(["ci", "--offline", "--no-fund"], clone);
  expect(ci.code, ci.stderr).toBe(0);
  return clone;
}

describe("first hour: a vitest project", () => {
  it("apply vendors the SDK, the clean clone installs offline and its tests pass; undo keeps the user's edits", async () => {
    requireBuild();
    const dir = sampleRepo("tested-app");
    expect((await npm(["ci", "--offline", "--no-fund"], dir)).code).toBe(0);
    const before = await npm(["test"], dir);
    expect(before.code, before.stdout).toBe(0);
    expect(before.stdout).toMatch(/3 passed/);

    const apply = await runCli(["apply", dir, "--yes", "--sdk-source", "vendor"], { env: NPM_ENV });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("installed from vendor/governor/governor-sdk-0.1.0.tgz");
    expect(apply.stdout).toMatch(/Tests \(vitest\) run against the enforce mock/);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(pkg.dependencies["@governor/sdk"]).toBe("file:vendor/governor/governor-sdk-0.1.0.tgz");
    expect(existsSync(path.join(dir, "vendor/governor/governor-sdk-0.1.0.tgz"))).toBe(true);
    const server = readFileSync(path.join(dir, "src/server.js"), "utf8");
    expect(server).toMatch(/^import "@governor\/sdk\/register";/);
    expect(server).toContain('governTool({ tool: "save_note"');

    // The user's tests, with governance on and no mock, are denied (fail closed): the wiring matters.
    writeFileSync(path.join(dir, "bare.config.mjs"), "export default { test: {} };\n");
    const bare = await runProcess("npx", ["vitest", "run", "-c", "bare.config.mjs"], { cwd: dir });
    expect(bare.code).not.toBe(0);
    expect(bare.stdout + bare.stderr).toMatch(/denied \(fail closed\)/);
    rmSync(path.join(dir, "bare.config.mjs"));

    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "governed");
    const clone = await cleanCloneInstall(dir);
    const after = await npm(["test"], clone);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toMatch(/3 passed/);

    const check = await runCli(["check", dir, "--json"]);
    expect(JSON.parse(check.stdout).summary.unscopedTools).toBe(0);

    // The user finishes the integration and edits an unrelated line of the same file.
    const edited = server
      .replace('resource: { type: "filesystem" }', 'resource: { type: "filesystem", name: "notes" }, risk: "low"')
      .replace("// Where notes are kept.", "// Where notes are kept (override with NOTES_DIR).");
    expect(edited).not.toBe(server);
    writeFileSync(path.join(dir, "src/server.js"), edited);

    const dry = await runCli(["undo", dir, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("dry run: nothing written");
    expect(dry.stdout).toContain('-import { governTool } from "@governor/sdk";');
    expect(readFileSync(path.join(dir, "src/server.js"), "utf8")).toBe(edited);

    const undo = await runCli(["undo", dir]);
    expect(undo.code, undo.stdout).toBe(0);
    expect(undo.stdout).toContain("took out governor-init's edits, kept yours");
    // Only the user's line differs from the commit before apply; everything governor-init wrote is gone.
    expect(git(dir, "status", "--porcelain", "--untracked-files=all").trimEnd().split("\n").sort()).toEqual(
      [
        " D governor.test-setup.mjs",
        " D vendor/governor/governor-init-0.1.0.tgz",
        " D vendor/governor/governor-sdk-0.1.0.tgz",
        " D vitest.config.mjs",
        " M package-lock.json",
        " M package.json",
        " M src/server.js",
      ].sort(),
    );
    const diff = git(dir, "diff", "HEAD~1", "--", ".", ":(exclude)vendor");
    expect(diff.split("\n").filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      "-// Where notes are kept.",
      "+// Where notes are kept (override with NOTES_DIR).",
    ]);

    const again = await runCli(["undo", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split("\n")).toEqual([`Nothing to undo: no .governor/manifest.json in ${dir}.`]);
  }, 600_000);
});

describe("first hour: a jest project", () => {
  it("passes before apply and, from a clean clone installed offline, after it", async () => {
    requireBuild();
    const dir = sampleRepo("tested-app-jest");
    expect((await npm(["ci", "--offline", "--no-fund"], dir)).code).toBe(0);
    const before = await npm(["test"], dir);
    expect(before.code, before.stdout + before.stderr).toBe(0);

    const apply = await runCli(["apply", dir, "--yes", "--sdk-source", "vendor", "--json"], { env: NPM_ENV });
    expect(apply.code, apply.stderr).toBe(0);
    const result = JSON.parse(apply.stdout);
    expect(result.sdk).toMatchObject({ status: "installed", source: "vendor" });
    expect(result.tests).toMatchObject({ status: "wired", runner: "jest" });
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).scripts.test).toBe(
      "jest --globalSetup ./governor.test-setup.cjs",
    );

    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "governed");
    const clone = await cleanCloneInstall(dir);
    const after = await npm(["test"], clone);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stderr).toMatch(/Tests:\s+2 passed/);
  }, 600_000);
});

describe("apply never exits 0 leaving an import that does not resolve", () => {
  it("a failed install exits 3 with the exact fix", async () => {
    requireBuild();
    const dir = sampleRepo("tested-app");
    // The registry has no @governor/sdk, and offline npm cannot fetch it: a real install failure.
    const apply = await runCli(["apply", dir, "--yes", "--sdk-source", "registry", "--no-test-setup"], {
      env: { ...NPM_ENV, npm_config_offline: "true" },
    });
    expect(apply.code).toBe(3);
    expect(apply.stdout).toContain("Could not add @governor/sdk");
    expect(apply.stdout).toMatch(/Fix: cd .* && npm install @governor\/sdk/);
  }, 300_000);
});
