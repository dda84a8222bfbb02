import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, copyFixture, requireBuild } from "./helpers.js";
import { TmuxSession } from "./tmux.js";

beforeAll(requireBuild);

let session: TmuxSession | undefined;
afterEach(() => session?.close());

function gitProject(fixture: string): string {
  const dir = copyFixture(fixture);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "fixture");
  return dir;
}

function gitStatus(dir: string): string {
  return execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" });
}

describe("the wizard's safety net comes before any question (tmux)", () => {
  it("a dirty tree is the first question; answering No exits 2 with nothing changed and no step left half-drawn", async () => {
    const dir = gitProject("agent-app");
    writeFileSync(path.join(dir, "src/index.js"), "// work in progress\n", { flag: "a" });
    const before = gitStatus(dir);
    session = new TmuxSession(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`, { cwd: dir });
    const screen = await session.waitFor(/uncommitted changes \(src\/index\.js\)[\s\S]*❯ No/);
    expect(screen).not.toContain("What governor-init found");
    expect(screen).not.toContain("How should the SDK be wired in?");
    session.keys("Enter");
    const end = await session.waitFor(/\[exit \d+\]/);
    expect(end).toContain("[exit 2]");
    expect(end).toMatch(/error: the git work tree has uncommitted changes \(src\/index\.js\); nothing was changed/);
    expect(end).not.toMatch(/^… /m);
    expect(gitStatus(dir)).toBe(before);
    expect(existsSync(path.join(dir, ".governor"))).toBe(false);
  });

  it("answering Yes goes on as --allow-dirty", async () => {
    const dir = gitProject("agent-app");
    writeFileSync(path.join(dir, "README.md"), "notes\n");
    session = new TmuxSession(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-install --mode enable --client none --validate ""`,
      { cwd: dir },
    );
    await session.waitFor(/uncommitted changes \(README\.md\)[\s\S]*❯ No/);
    session.keys("Up", "Enter");
    await session.waitFor(/Review changes — file 1\/1: src\/index\.js/);
    session.keys("Enter");
    const end = await session.waitFor(/\[exit \d+\]/, 40_000);
    expect(end).toContain("[exit 0]");
    expect(readFileSync(path.join(dir, "src/index.js"), "utf8")).toContain('import "@governor/sdk/register";');
  });
});

describe("the wizard in a real terminal (tmux)", () => {
  it("detect → mode → review → apply → agents → validate → summary", async () => {
    const dir = gitProject("agent-app");
    const home = mkdtempSync(path.join(tmpdir(), "gi-home-"));
    session = new TmuxSession(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-install`, {
      cwd: dir,
      env: { HOME: home },
    });

    await session.waitFor(/What governor-init found[\s\S]*entrypoints:\s+src\/index\.js/);
    await session.waitFor(/How should the SDK be wired in\?/);
    session.keys("Down"); // hybrid → wraps to preload
    await session.waitFor(/❯ Zero-code preload/);
    session.keys("Up"); // back to hybrid
    await session.waitFor(/❯ Hybrid \(recommended\)/);
    session.keys("Enter");

    const review = await session.waitFor(/Review changes — file 1\/1: src\/index\.js/);
    expect(review).toContain('+import "@governor/sdk/register";');
    expect(review).toContain("✔ How should the SDK be wired in? Hybrid (recommended)");
    session.keys("Enter");

    await session.waitFor(/✔ Applying 1 file change/);
    await session.waitFor(/Install the Governor docs MCP server into which coding agents\?/);
    session.keys("Down", "Space"); // VS Code
    await session.waitFor(/◉ VS Code/);
    session.keys("Enter");
    await session.waitFor(/VS Code \(Copilot agent mode\) \(project\): create/);

    await session.waitFor(/Command to validate against the local mock/);
    session.type("node src/index.js");
    session.keys("Enter");
    const end = await session.waitFor(/\[exit \d+\]/, 40_000);
    expect(end).toMatch(/✔ Validation passed/);
    expect(end).toMatch(/Next steps/);
    expect(end).toContain("[exit 0]");

    // Below the file's /* global */ pragma line, above every other module.
    expect(readFileSync(path.join(dir, "src/index.js"), "utf8")).toMatch(
      /^\/\* global [^\n]*\*\/\nimport "@governor\/sdk\/register";\n/,
    );
    expect(existsSync(path.join(dir, ".governor/manifest.json"))).toBe(true);
    const vscode = JSON.parse(readFileSync(path.join(dir, ".vscode/mcp.json"), "utf8"));
    expect(vscode.servers.governor).toEqual({ type: "stdio", command: "npx", args: ["-y", "governor-init", "mcp"] });
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).not.toContain("@governor/sdk");
  });

  it("turning a file off in the review leaves it untouched", async () => {
    const dir = gitProject("agent-app");
    const original = readFileSync(path.join(dir, "src/index.js"));
    session = new TmuxSession(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-install --mode hybrid --client none --validate ""`,
      { cwd: dir },
    );
    await session.waitFor(/Review changes — file 1\/1/);
    session.keys("Space");
    await session.waitFor(/off: will not be changed/);
    session.keys("Enter");
    const end = await session.waitFor(/\[exit \d+\]/);
    expect(end).toContain("1 file(s) turned off");
    expect(end).toContain("[exit 0]");
    expect(readFileSync(path.join(dir, "src/index.js")).equals(original)).toBe(true);
    expect(gitStatus(dir)).toBe("");
  });

  it("Ctrl-C at a prompt before apply exits 130 and leaves the project untouched", async () => {
    const dir = gitProject("agent-app");
    session = new TmuxSession(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-install`, { cwd: dir });
    await session.waitFor(/How should the SDK be wired in\?/);
    session.keys("Enter");
    await session.waitFor(/Review changes/);
    session.keys("C-c");
    const end = await session.waitFor(/\[exit \d+\]/);
    expect(end).toContain("Cancelled: nothing was changed.");
    expect(end).toContain("[exit 130]");
    expect(gitStatus(dir)).toBe("");
  });

  it("Ctrl-C after apply says the integration is fully applied, and undo reverts it", async () => {
    const dir = gitProject("agent-app");
    session = new TmuxSession(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-install --mode hybrid`, {
      cwd: dir,
    });
    await session.waitFor(/Review changes/);
    session.keys("Enter");
    await session.waitFor(/into which coding agents\?/);
    session.keys("C-c");
    const end = await session.waitFor(/\[exit \d+\]/);
    expect(end).toMatch(/already applied \(fully\)/);
    expect(end).toContain("[exit 130]");
    expect(readFileSync(path.join(dir, "src/index.js"), "utf8")).toContain("@governor/sdk/register");
    execFileSync(process.execPath, [CLI, "undo", dir], { stdio: "pipe" });
    expect(gitStatus(dir)).toBe("");
  });
});
