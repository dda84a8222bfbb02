/**
 * Docs that cannot lie, part two: every `GOVERNOR_*` variable and every `governor-init` flag the docs
 * name exists in the code, and every variable the SDK reads and every flag the CLI declares is
 * documented.
 *
 * Leniency, clearly bounded: a flag documented for a command that no file under `cli/` registers yet
 * (`.command("name")`) is reported as a todo instead of failing, because the CLI is built in
 * parallel. Once the command is registered, its documented flags must exist.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildIndex } from "./build-index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const corpusDir = resolve(here, "..");
const index = buildIndex(corpusDir);
const handWritten = index.docs.filter((doc) => doc.kind !== "api");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const sdkSources = sourceFiles("sdk/src").map((file) => readFileSync(file, "utf8"));
const cliSources = sourceFiles("cli").map((file) => ({ file, text: readFileSync(file, "utf8") }));
const ENV_PATTERN = /\bGOVERNOR_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g;

describe("environment variables", () => {
  const documented = new Set(handWritten.flatMap((doc) => doc.markdown.match(ENV_PATTERN) ?? []));
  const inCode = new Set(
    [...sdkSources, ...cliSources.map((source) => source.text)].flatMap((text) => text.match(ENV_PATTERN) ?? []),
  );

  it("every GOVERNOR_* name in the docs exists in sdk/src or cli", () => {
    expect(documented.size).toBeGreaterThan(10);
    expect([...documented].filter((name) => !inCode.has(name)).sort()).toEqual([]);
  });

  it("every variable the SDK reads is in the configuration reference", () => {
    const read = new Set<string>();
    for (const text of sdkSources) {
      // envValue(env, "GOVERNOR_X"), env.GOVERNOR_X, env["GOVERNOR_X"], process.env.GOVERNOR_X
      for (const match of text.matchAll(/(?:envValue\(\s*\w+,\s*|env\.|env\[\s*)["']?(GOVERNOR_[A-Z0-9_]+)/g))
        read.add(match[1]!);
    }
    expect(read.size).toBeGreaterThan(10);
    const reference = index.docs.find((doc) => doc.slug === "configuration")!.markdown;
    expect([...read].filter((name) => !reference.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});

/** Flags a command declares, by command name, from `.command("x")` and `.option("--flag …")` in each file. */
function declaredFlags(): Map<string, Set<string>> {
  const byCommand = new Map<string, Set<string>>();
  for (const { text } of cliSources) {
    const commands = [...text.matchAll(/\.command\(\s*["'`]([a-z-]+)/g)].map((match) => match[1]!);
    // A file without .command() adds options to the root program (the wizard).
    const names =
      commands.length > 0
        ? commands
        : text.includes("program\n") || /program\s*\.\s*(option|addHelpText)/.test(text)
          ? [""]
          : [];
    const flags = [...text.matchAll(/\.(?:option|requiredOption)\(\s*["'`](?:-\w,\s*)?(--[a-z][a-z0-9-]*)/g)].map(
      (match) => match[1]!,
    );
    for (const name of names) {
      const set = byCommand.get(name) ?? new Set<string>();
      for (const flag of flags) set.add(flag);
      byCommand.set(name, set);
    }
  }
  return byCommand;
}

const COMMAND_WORDS = new Set([
  "plan",
  "apply",
  "undo",
  "check",
  "validate",
  "mock",
  "mcp",
  "install",
  "docs",
  "search",
  "demo",
  "hooks",
  "hook",
  "uninstall",
  "proxy",
]);
const ALWAYS_VALID = new Set(["--help", "--version"]);

/** `governor-init mcp install --client x` → { command: "install", flags: ["--client"] }. */
function flagsOnCommandLines(text: string): Array<{ command: string; flags: string[]; line: string }> {
  const found: Array<{ command: string; flags: string[]; line: string }> = [];
  for (const line of text.split("\n")) {
    const at = line.indexOf("governor-init");
    if (at === -1) continue;
    const rest = line.slice(at + "governor-init".length);
    const words = rest.trim().split(/\s+/);
    let command = "";
    for (const word of words) {
      if (COMMAND_WORDS.has(word)) command = word;
      else break;
    }
    // Stop at `--` (what follows is the user's command) and at the end of inline code.
    const own = rest.split(/\s--\s|`/)[0]!;
    const flags = [...own.matchAll(/(?:^|[\s[(|])(--[a-z][a-z0-9-]*)/g)].map((match) => match[1]!);
    if (flags.length > 0) found.push({ command, flags, line: line.trim() });
  }
  return found;
}

describe("CLI flags", () => {
  const declared = declaredFlags();
  const reference = index.docs.find((doc) => doc.slug === "cli-reference")!;

  it("the CLI's command files are found", () => {
    expect(declared.get("mock")?.has("--policy")).toBe(true);
  });

  it("would catch a documented flag that does not exist", () => {
    const [use] = flagsOnCommandLines("npx governor-init mock --port 0 --no-such-flag -- node app.js --not-ours");
    expect(use).toEqual({ command: "mock", flags: ["--port", "--no-such-flag"], line: expect.any(String) });
    expect(declared.get("mock")!.has("--no-such-flag")).toBe(false);
  });

  const uses: Array<{ command: string; flag: string; where: string }> = [];
  for (const doc of handWritten) {
    for (const { command, flags, line } of flagsOnCommandLines(doc.markdown)) {
      for (const flag of flags) uses.push({ command, flag, where: `${doc.path}: ${line}` });
    }
  }
  // Flag tables under a `## governor-init <command>` heading in the CLI reference.
  for (const id of reference.sectionIds) {
    const section = index.sections[id]!;
    const heading = section.headingPath[section.headingPath.length - 1] ?? "";
    const match = /^governor-init(?: ([a-z ]+))?/.exec(heading);
    if (!match) continue;
    const command =
      (match[1] ?? "")
        .trim()
        .split(" ")
        .filter((word) => COMMAND_WORDS.has(word))
        .pop() ?? "";
    for (const flag of section.prose.matchAll(/`(--[a-z][a-z0-9-]*)/g)) {
      uses.push({ command, flag: flag[1]!, where: `${reference.path}: ${heading}` });
    }
  }

  const registered = uses.filter((use) => declared.has(use.command));
  const pending = uses.filter((use) => !declared.has(use.command));

  it("every flag the docs give a registered command exists on it", () => {
    expect(registered.length).toBeGreaterThan(30);
    const missing = registered
      .filter((use) => !ALWAYS_VALID.has(use.flag) && !declared.get(use.command)!.has(use.flag))
      .map((use) => `${use.command || "(root)"} ${use.flag}  ← ${use.where}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  for (const command of new Set(pending.map((use) => use.command))) {
    it.todo(`flags documented for "${command || "(root)"}", which cli/ does not register yet`);
  }

  it("every flag the CLI declares is in the CLI reference", () => {
    const undocumented: string[] = [];
    for (const [command, flags] of declared) {
      for (const flag of flags)
        if (!reference.markdown.includes(flag)) undocumented.push(`${command || "(root)"} ${flag}`);
    }
    expect(undocumented.sort()).toEqual([]);
  });
});
