import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse as parseJsonc } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import {
  HOOK_CLIENTS,
  HOOK_DEADLINE_MS,
  HOOK_ENTRY_TIMEOUT_S,
  type HookClientId,
} from "../../templates/hook-clients.js";
import { hookCommand, isOurCommand, planHooks, runHooksConfig } from "./hooks-config.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function tempProject(): { dir: string; home: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), "gi-hooks-"));
  const home = path.join(dir, "home");
  mkdirSync(home);
  return { dir, home, env: { HOME: home, PATH: "" } };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Existing configs with comments, one-line members, other hooks and unrelated settings. */
const EXISTING: Record<HookClientId, { file: string; text: string }> = {
  "claude-code": {
    file: ".claude/settings.json",
    text: `{
  "permissions": { "allow": ["Bash(npm run test:*)"] },
  "hooks": {
    "PostToolUse": [
      { "matcher": "Write|Edit", "hooks": [{ "type": "command", "command": "npx prettier --write" }] }
    ]
  }
}
`,
  },
  cursor: {
    file: ".cursor/hooks.json",
    text: `{
  // team hooks
  "version": 1,
  "hooks": {
    "afterFileEdit": [{ "command": "./hooks/format.sh" }], // keep me
  },
}
`,
  },
  gemini: {
    file: ".gemini/settings.json",
    text: `{
\t// my settings
\t"theme": "GitHub",
\t"mcpServers": { "db": { "command": "db-mcp" } }
}
`,
  },
};

const ids = HOOK_CLIENTS.map((c) => c.id);

describe("hooks install / uninstall, per agent", () => {
  for (const id of ids) {
    describe(id, () => {
      it("edits an existing file in place: comments, other hooks and settings kept; a second run is a no-op; uninstall restores it byte for byte", () => {
        const { dir, env } = tempProject();
        const { file, text } = EXISTING[id];
        const config = path.join(dir, file);
        write(config, text);
        const [installed] = runHooksConfig("install", {
          clients: [id],
          projectDir: dir,
          env,
          failClosedSwitch: "block",
        });
        expect(installed!.status).toBe("update");
        const after = readFileSync(config, "utf8");
        // Every original line is still there, byte for byte (up to where a one-line array gets our member).
        for (const line of text.split("\n")) expect(after).toContain(line.split("]")[0]);
        expect(after).toContain(id === "gemini" ? "// my settings" : id === "cursor" ? "// keep me" : '"allow"');
        const parsed = parseJsonc(after) as { hooks: Record<string, unknown[]> };
        for (const event of HOOK_CLIENTS.find((c) => c.id === id)!.events) {
          if ("readsOnly" in event && event.readsOnly) continue;
          expect(JSON.stringify(parsed.hooks[event.name])).toContain(`hook ${id} ${event.name}`);
        }
        const [again] = runHooksConfig("install", { clients: [id], projectDir: dir, env, failClosedSwitch: "block" });
        expect(again!.status).toBe("unchanged");
        expect(readFileSync(config, "utf8")).toBe(after);
        const [removed] = runHooksConfig("uninstall", { clients: [id], projectDir: dir, env });
        expect(removed!.status).toBe("remove");
        expect(readFileSync(config, "utf8")).toBe(text);
        expect(existsSync(path.join(dir, ".governor", "hooks-state.json"))).toBe(false);
      });

      it("creates the file when there is none, and uninstall deletes it and the directory it made", () => {
        const { dir, env } = tempProject();
        const config = path.join(dir, EXISTING[id].file);
        const [result] = runHooksConfig("install", { clients: [id], projectDir: dir, env, failClosedSwitch: "block" });
        expect(result!.status).toBe("create");
        expect(existsSync(config)).toBe(true);
        runHooksConfig("uninstall", { clients: [id], projectDir: dir, env });
        expect(existsSync(config)).toBe(false);
        expect(existsSync(path.dirname(config))).toBe(false);
      });

      it("uninstall after the user edited the file removes only our entries", () => {
        const { dir, env } = tempProject();
        const { file, text } = EXISTING[id];
        const config = path.join(dir, file);
        write(config, text);
        runHooksConfig("install", { clients: [id], projectDir: dir, env, failClosedSwitch: "block" });
        const edited = readFileSync(config, "utf8").replace(/\n$/, "\n// edited later\n");
        writeFileSync(config, edited);
        const [removed] = runHooksConfig("uninstall", { clients: [id], projectDir: dir, env });
        expect(removed!.status).toBe("remove");
        const after = readFileSync(config, "utf8");
        expect(after).not.toMatch(new RegExp(`hook ${id} `));
        expect(after).toContain("// edited later");
        const again = runHooksConfig("uninstall", { clients: [id], projectDir: dir, env });
        expect(again[0]!.status).toBe("unchanged");
      });

      it("user scope writes under HOME", () => {
        const { dir, home, env } = tempProject();
        const [result] = runHooksConfig("install", {
          clients: [id],
          scope: "user",
          projectDir: dir,
          env,
          failClosedSwitch: "omit",
        });
        expect(result!.path.startsWith(home)).toBe(true);
        expect(existsSync(result!.path)).toBe(true);
        runHooksConfig("uninstall", { clients: [id], scope: "user", projectDir: dir, env });
        expect(existsSync(result!.path)).toBe(false);
      });
    });
  }

  it("leaves a file that is not JSON alone, with the reason", () => {
    const { dir, env } = tempProject();
    const config = path.join(dir, ".claude/settings.json");
    write(config, "{ not json");
    const [result] = runHooksConfig("install", {
      clients: ["claude-code"],
      projectDir: dir,
      env,
      failClosedSwitch: "block",
    });
    expect(result!.status).toBe("error");
    expect(result!.reason).toMatch(/not a valid JSON object; left it alone/);
    expect(readFileSync(config, "utf8")).toBe("{ not json");
  });

  it("--reads adds the read tools and the flag; rerunning without it takes them out again", () => {
    const { dir, env } = tempProject();
    runHooksConfig("install", {
      clients: ["claude-code", "cursor"],
      projectDir: dir,
      env,
      reads: true,
      failClosedSwitch: "block",
    });
    const claude = readFileSync(path.join(dir, ".claude/settings.json"), "utf8");
    expect(claude).toContain("|Read|Glob|Grep|LS");
    expect(claude).toContain("hook claude-code PreToolUse --reads");
    expect(claude).not.toContain("PostToolUse --reads");
    expect(readFileSync(path.join(dir, ".cursor/hooks.json"), "utf8")).toContain("hook cursor beforeReadFile --reads");
    const results = runHooksConfig("install", {
      clients: ["claude-code", "cursor"],
      projectDir: dir,
      env,
      failClosedSwitch: "block",
    });
    expect(results.map((r) => r.status)).toEqual(["update", "update"]);
    expect(readFileSync(path.join(dir, ".cursor/hooks.json"), "utf8")).not.toContain("beforeReadFile");
    expect(readFileSync(path.join(dir, ".claude/settings.json"), "utf8")).not.toContain("--reads");
    // Uninstall still restores the very first state (no files).
    runHooksConfig("uninstall", { clients: ["claude-code", "cursor"], projectDir: dir, env });
    expect(existsSync(path.join(dir, ".claude/settings.json"))).toBe(false);
  });

  it("--dry-run writes nothing", () => {
    const { dir, env } = tempProject();
    const [result] = runHooksConfig("install", { clients: ["gemini"], projectDir: dir, env, dryRun: true });
    expect(result!.status).toBe("create");
    expect(result!.diff).toContain("hook gemini BeforeTool");
    expect(existsSync(path.join(dir, ".gemini"))).toBe(false);
  });

  it("recognizes its own entries under any launcher", () => {
    expect(
      isOurCommand(
        hookCommand("node /x/dist/hooks/bin.js", "cursor", "afterFileEdit", false),
        "cursor",
        "afterFileEdit",
      ),
    ).toBe(true);
    expect(isOurCommand("npx -y governor-init hook claude-code PreToolUse --reads", "claude-code", "PreToolUse")).toBe(
      true,
    );
    expect(isOurCommand("my-script hook claude-code PreToolUse-other", "claude-code", "PreToolUse")).toBe(false);
    expect(isOurCommand("npx prettier --write", "claude-code", "PostToolUse")).toBe(false);
  });

  it("the hook's own deadline is shorter than the timeout written into every agent's entry", () => {
    expect(HOOK_DEADLINE_MS).toBeLessThan(HOOK_ENTRY_TIMEOUT_S * 1000);
  });
});

describe("Claude Code's onFailure switch", () => {
  function fakeClaude(version: string): NodeJS.ProcessEnv {
    const { home } = tempProject();
    const bin = path.join(home, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "claude"), `#!/bin/sh\necho "${version} (Claude Code)"\n`);
    chmodSync(path.join(bin, "claude"), 0o755);
    return { HOME: home, PATH: `${bin}:/usr/bin:/bin` };
  }
  const onFailureOf = (dir: string) =>
    JSON.stringify(parseJsonc(readFileSync(path.join(dir, ".claude/settings.json"), "utf8"))).includes(
      '"onFailure":"block"',
    );

  it.skipIf(process.platform === "win32")("auto writes it for Claude Code 2.1.295 or later", () => {
    const { dir } = tempProject();
    const [result] = runHooksConfig("install", {
      clients: ["claude-code"],
      projectDir: dir,
      env: fakeClaude("2.1.301"),
    });
    expect(result!.notes).toEqual([]);
    expect(onFailureOf(dir)).toBe(true);
  });
  it.skipIf(process.platform === "win32")("auto leaves it out for an older Claude Code, and says why", () => {
    const { dir } = tempProject();
    const [result] = runHooksConfig("install", {
      clients: ["claude-code"],
      projectDir: dir,
      env: fakeClaude("2.1.120"),
    });
    expect(result!.notes.join(" ")).toMatch(/2\.1\.120 predates it.*--on-failure block/);
    expect(onFailureOf(dir)).toBe(false);
  });
  it("auto leaves it out when claude is not found, and says why", () => {
    const { dir, env } = tempProject();
    const [result] = runHooksConfig("install", { clients: ["claude-code"], projectDir: dir, env });
    expect(result!.notes.join(" ")).toMatch(/did not answer/);
    expect(onFailureOf(dir)).toBe(false);
  });
});

describe("the Claude Code settings file written validates against the published schema", () => {
  const schema = JSON.parse(
    readFileSync(
      path.join(REPO_ROOT, "codemods/agent-config/__testfixtures__/claude-code-settings.schema.json"),
      "utf8",
    ),
  ) as { $defs: { hookCommand: { anyOf: Array<{ properties: Record<string, unknown> }> } } };
  // The vendored schema predates Claude Code 2.1.295, which added onFailure to command hooks
  // (https://github.com/anthropics/claude-code/releases/tag/v2.1.295): add exactly that property.
  const command = schema.$defs.hookCommand.anyOf.find(
    (s) => (s.properties.type as { const?: string }).const === "command",
  )!;
  command.properties.onFailure = { type: "string", enum: ["block", "continue"] };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);

  it.each([
    ["project, with onFailure", { failClosedSwitch: "block" as const }],
    ["project, without onFailure, with reads", { failClosedSwitch: "omit" as const, reads: true }],
  ])("%s", (_name, extra) => {
    const { dir, env } = tempProject();
    write(path.join(dir, EXISTING["claude-code"].file), EXISTING["claude-code"].text);
    runHooksConfig("install", { clients: ["claude-code"], projectDir: dir, env, ...extra });
    const settings = JSON.parse(readFileSync(path.join(dir, ".claude/settings.json"), "utf8")) as unknown;
    const ok = validate(settings);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("would reject a malformed hooks section", () => {
    expect(validate({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command" }] }] } })).toBe(false);
    expect(validate({ hooks: { PreToolUse: [{ type: "command", command: "x" }] } })).toBe(false);
  });
});

describe("planHooks", () => {
  it("refuses a launcher on several lines", () => {
    const { dir, env } = tempProject();
    expect(() => planHooks("install", { clients: ["cursor"], projectDir: dir, env, launcher: "a\nb" })).toThrow(
      /one non-empty line/,
    );
  });
});
