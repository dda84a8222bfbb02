/**
 * The published package works without the repository: `npm pack` → install the tarball into a
 * clean directory outside the repo (offline, from the npm cache) → run the installed CLI.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";

// Parsed config files are checked field by field; their exact shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
import { FIXTURES, REPO_ROOT, requireBuild, runProcess, startSink } from "../e2e/helpers.js";

let installDir: string;
let tarball: string;
let bin: string;

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function copy(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `gi-pack-${fixture}-`));
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

/** Runs `npx governor-init …` in the install directory, as a customer would. */
const npx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runProcess("npx", ["--no", "--", "governor-init", ...args], { cwd: installDir, env });

beforeAll(() => {
  requireBuild();
  const packDir = mkdtempSync(path.join(tmpdir(), "gi-pack-"));
  const out = JSON.parse(npm(["pack", "--json", "--pack-destination", packDir], REPO_ROOT)) as Array<{
    filename: string;
  }>;
  tarball = path.join(packDir, out[0]!.filename);
  installDir = realpathSync(mkdtempSync(path.join(tmpdir(), "gi-install-")));
  expect(installDir.startsWith(REPO_ROOT)).toBe(false);
  writeFileSync(
    path.join(installDir, "package.json"),
    JSON.stringify({ name: "customer", version: "1.0.0", private: true }),
  );
  try {
    npm(["install", "--offline", "--no-audit", "--no-fund", tarball], installDir);
  } catch {
    // A dependency missing from the cache: let npm fetch only what is missing.
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], installDir);
  }
  bin = path.join(installDir, "node_modules/governor-init/dist/cli/bin.js");
}, 240_000);

describe("the packed tarball", () => {
  it("holds the built CLI, templates, docs and the bundled SDK, and no tests or sources", () => {
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toContain("package/dist/cli/bin.js");
    expect(files).toContain("package/dist/enforce-mock/validate/preload.cjs");
    expect(files).toContain("package/node_modules/@governor/sdk/dist/register.js");
    expect(files).toContain("package/node_modules/@governor/sdk/package.json");
    expect(files).toContain("package/templates/demo-app/src/agent.js");
    expect(files.filter((f) => /\.test\.(js|ts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith("package/cli/"))).toEqual([]);
  });

  it("npx governor-init --help", async () => {
    const { code, stdout } = await npx(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: governor-init/);
    expect(stdout).toMatch(/^ {2}validate/m);
  });

  it("plan, apply, then validate --policy deny-all: nothing the app tries happens", async () => {
    const app = copy("agent-app");
    const plan = await npx(["plan", app, "--json"]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).report.summary.filesChanged).toBeGreaterThan(0);

    const apply = await npx(["apply", app, "--yes", "--allow-dirty", "--no-install"]);
    expect(apply.code).toBe(0);
    expect(readFileSync(path.join(app, "src/index.js"), "utf8")).toMatch(
      /^\/\* global [^\n]*\*\/\nimport "@governor\/sdk\/register";\n/,
    );
    expect(existsSync(path.join(app, "node_modules"))).toBe(false);

    const sink = await startSink();
    const markers = mkdtempSync(path.join(tmpdir(), "gi-pack-markers-"));
    try {
      const validate = await npx(["validate", app, "--policy", "deny-all", "--json", "--", "node", "src/index.js"], {
        SINK_URL: sink.url,
        MARKER_DIR: markers,
      });
      const report = JSON.parse(validate.stdout);
      expect(validate.code).toBe(0);
      expect(report.denials.length).toBe(3);
      expect(report.decisions.every((d: { decision: string }) => d.decision === "DENY")).toBe(true);
      expect(sink.hits()).toEqual([]);
      expect(existsSync(path.join(markers, "written.txt"))).toBe(false);
      expect(existsSync(path.join(markers, "spawned.txt"))).toBe(false);
    } finally {
      await sink.close();
    }
  });

  it("validate resolves @governor/sdk for an app that imports it, from the bundled copy", async () => {
    const app = copy("cjs-app");
    const markers = mkdtempSync(path.join(tmpdir(), "gi-pack-markers-"));
    const { stdout, code } = await npx(["validate", app, "--", "node", "index.js"], { MARKER_DIR: markers });
    expect(stdout).toContain("same instance: true");
    expect(code).toBe(0);
    expect(existsSync(path.join(markers, "scoped.txt"))).toBe(true);
  });

  it("integrates a sample project with its own tests: apply, npm ci offline on a clean clone, tests pass, check, undo keeps the user's edit", async () => {
    const npmEnv = { npm_config_omit_lockfile_registry_resolved: "false", npm_config_audit: "false" };
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd, encoding: "utf8" });
    const root = mkdtempSync(path.join(tmpdir(), "gi-pack-sample-"));
    const app = path.join(root, "app");
    cpSync(path.join(REPO_ROOT, "test/fixtures/tested-app"), app, {
      recursive: true,
      filter: (src) => !src.includes("node_modules"),
    });
    writeFileSync(path.join(app, ".gitignore"), "node_modules/\n");
    git(app, "init", "-q");
    git(app, "add", "-A");
    git(app, "commit", "-qm", "before");

    // Default --sdk-source auto: the registry has no @governor/sdk, so the bundled copy is vendored.
    const apply = await npx(["apply", app, "--yes"], npmEnv);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("vendor/governor/governor-sdk-0.1.0.tgz");
    git(app, "add", "-A");
    git(app, "commit", "-qm", "governed");

    const clone = path.join(root, "clone");
    git(root, "clone", "-q", app, clone);
    const ci = await runProcess("npm", ["ci", "--offline", "--no-fund"], { cwd: clone, env: npmEnv });
    expect(ci.code, ci.stderr).toBe(0);
    const tests = await runProcess("npm", ["test"], { cwd: clone });
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/3 passed/);

    const check = await npx(["check", app, "--json"]);
    expect(JSON.parse(check.stdout).summary.unscopedTools).toBe(0);

    const file = path.join(app, "src/server.js");
    const applied = readFileSync(file, "utf8");
    writeFileSync(
      file,
      applied
        .replace('resource: { type: "filesystem" }', 'resource: { type: "filesystem", name: "notes" }')
        .replace("// Where notes are kept.", "// Where notes live."),
    );
    const undo = await npx(["undo", app]);
    expect(undo.code, undo.stdout).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/@governor\/sdk|governTool|notes" \}/);
    expect(text).toContain("// Where notes live.");
    expect(git(app, "diff", "HEAD~1", "--stat", "--", "src").trim()).toMatch(
      /1 file changed, 1 insertion\(\+\), 1 deletion/,
    );
    expect(existsSync(path.join(app, "vendor"))).toBe(false);
  }, 600_000);

  it("mcp answers initialize and lists its tools over stdio (a real MCP client)", async () => {
    const client = new Client({ name: "pack-test", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, "mcp"],
      cwd: installDir,
      stderr: "pipe",
    });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBeTruthy();
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("mcp install into every client over existing files with comments and other servers; the second run is a no-op", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "gi-pack-home-"));
    const project = mkdtempSync(path.join(tmpdir(), "gi-pack-proj-"));
    const seed = (file: string, text: string) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    const seeded: Record<string, string> = {
      [path.join(project, ".cursor/mcp.json")]:
        `{\n  // team servers\n  "mcpServers": {\n    "other": { "command": "other-mcp" }\n  }\n}\n`,
      [path.join(project, ".vscode/mcp.json")]:
        `{\n\t// VS Code\n\t"servers": {\n\t\t"other": { "type": "http", "url": "https://example.com/mcp" }, // remote\n\t},\n\t"inputs": [],\n}\n`,
      [path.join(project, ".mcp.json")]:
        `{\n  "mcpServers": {\n    "other": { "type": "stdio", "command": "other-mcp" }\n  }\n}\n`,
      [path.join(project, ".gemini/settings.json")]:
        `{\n  "theme": "Dracula",\n  "mcpServers": { "other": { "command": "other-mcp" } }\n}\n`,
      [path.join(project, "opencode.jsonc")]:
        `{\n  // opencode\n  "mcp": {\n    "other": { "type": "remote", "url": "https://example.com/mcp" },\n  },\n}\n`,
      [path.join(project, ".zed/settings.json")]:
        `// Zed\n{\n  "vim_mode": true, // yes\n  "context_servers": {\n    "other": { "command": "other-mcp", "args": [] }\n  }\n}\n`,
      [path.join(project, ".codex/config.toml")]:
        `# Codex\nmodel = "o3" # favourite\n\n[mcp_servers.other]\ncommand = "other-mcp"\n\n# profiles\n[profiles.fast]\nmodel = "mini"\n`,
      [path.join(home, ".codeium/windsurf/mcp_config.json")]:
        `{\n  "mcpServers": {\n    "other": { "serverUrl": "https://example.com/mcp" }\n  }\n}\n`,
      [path.join(home, ".cline/data/settings/cline_mcp_settings.json")]:
        `{\n  "mcpServers": {\n    "other": { "command": "other-mcp", "disabled": false }\n  }\n}\n`,
    };
    for (const [file, text] of Object.entries(seeded)) seed(file, text);
    const env = { HOME: home, XDG_CONFIG_HOME: "", APPDATA: "", CODEX_HOME: "" };

    const first = await npx(["mcp", "install", "--client", "all", "--dir", project, "--json"], env);
    expect(first.code).toBe(0);
    const results = JSON.parse(first.stdout).results as Array<{ client: string; status: string; path?: string }>;
    expect(results.find((r) => r.client === "claude-desktop")!.status).toBe("unavailable");
    for (const r of results.filter((r) => r.client !== "claude-desktop")) {
      expect(r.status, r.client).toBe(seeded[r.path!] ? "update" : "create");
      const text = readFileSync(r.path!, "utf8");
      if (seeded[r.path!]) {
        expect(text, r.client).toContain("other");
        for (const comment of seeded[r.path!]!.match(/(\/\/|#) \w+/g) ?? []) expect(text, r.client).toContain(comment);
      }
      if (r.client === "codex") {
        expect((parseToml(text) as Json).mcp_servers.governor).toEqual({
          command: "npx",
          args: ["-y", "governor-init", "mcp"],
        });
      } else {
        const doc = parseJsonc(text) as Json;
        const key = { vscode: "servers", opencode: "mcp", zed: "context_servers" }[r.client] ?? "mcpServers";
        expect(doc[key].governor, r.client).toBeDefined();
      }
    }
    const bytes = new Map(results.filter((r) => r.path).map((r) => [r.path!, readFileSync(r.path!)]));

    const second = await npx(["mcp", "install", "--client", "all", "--dir", project], env);
    expect(second.code).toBe(0);
    for (const [file, before] of bytes) expect(readFileSync(file).equals(before), file).toBe(true);
    expect(second.stdout.match(/already up to date/g)?.length).toBe(bytes.size);
  });
  it("hooks install, then the installed Claude Code hook command decides against the mock, then uninstall restores the file", async () => {
    const { startMockServer } = await import("../../enforce-mock/index.js");
    const mock = await startMockServer({
      policy: {
        name: "pack",
        default: "allow",
        rules: [
          {
            id: "no-rm",
            effect: "deny",
            reason: "No rm.",
            match: { action: "execute", resource_type: "process", resource_name: "rm" },
          },
        ],
      },
    });
    try {
      const project = path.join(installDir, "hooks-project");
      mkdirSync(path.join(project, ".claude"), { recursive: true });
      const original = '{\n  "permissions": { "allow": ["Bash(ls)"] }\n}\n';
      writeFileSync(path.join(project, ".claude/settings.json"), original);
      const install = await npx([
        "hooks",
        "install",
        "--client",
        "claude-code",
        "--dir",
        project,
        "--on-failure",
        "block",
        "--json",
      ]);
      expect(install.code, install.stderr).toBe(0);
      expect((JSON.parse(install.stdout) as Json).results[0].status).toBe("update");
      const settings = JSON.parse(readFileSync(path.join(project, ".claude/settings.json"), "utf8")) as Json;
      const entry = settings.hooks.PreToolUse[0].hooks[0];
      expect(entry).toEqual({
        type: "command",
        command: "npx -y governor-init hook claude-code PreToolUse",
        timeout: 30,
        onFailure: "block",
      });
      const env = {
        GOVERNOR_ENFORCE_URL: mock.url,
        GOVERNOR_API_KEY: "k",
        GOVERNOR_AUDIT_LOG: path.join(project, "audit.jsonl"),
      };
      const payload = (command: string) =>
        JSON.stringify({ hook_event_name: "PreToolUse", cwd: project, tool_name: "Bash", tool_input: { command } });
      // As the agent runs it: the command line through a shell, the payload on stdin.
      const denied = await runProcess("sh", ["-c", entry.command], {
        cwd: project,
        env,
        input: payload("rm -rf build"),
      });
      expect(denied.code, denied.stderr).toBe(2);
      expect(denied.stderr).toContain("No rm.");
      const allowed = await runProcess("sh", ["-c", entry.command], { cwd: project, env, input: payload("ls") });
      expect(allowed.code, allowed.stderr).toBe(0);
      const own = await runProcess(
        process.execPath,
        [path.join(installDir, "node_modules/governor-init/dist/hooks/bin.js"), "claude-code", "PreToolUse"],
        {
          cwd: project,
          env: { ...env, GOVERNOR_ENFORCE_URL: undefined },
          input: payload("ls"),
        },
      );
      expect(own.code).toBe(2);
      expect(own.stderr).toContain("GOVERNOR_ENFORCE_URL");
      const uninstall = await npx(["hooks", "uninstall", "--client", "claude-code", "--dir", project]);
      expect(uninstall.code, uninstall.stderr).toBe(0);
      expect(readFileSync(path.join(project, ".claude/settings.json"), "utf8")).toBe(original);
    } finally {
      await mock.close();
    }
  });

  it("proxy governs a server from the installed package, and mcp install --proxy / --unproxy round-trip", async () => {
    const { startMockServer } = await import("../../enforce-mock/index.js");
    const mock = await startMockServer({
      port: 0,
      policy: {
        default: "allow",
        rules: [{ id: "no-deletes", effect: "deny", reason: "Deletes need a human.", match: { action: "delete" } }],
      },
    });
    const state = mkdtempSync(path.join(tmpdir(), "gi-pack-proxy-"));
    // The counting server resolves the MCP SDK and zod from the install directory, as any customer server would.
    cpSync(path.join(REPO_ROOT, "proxy/fixtures/counting-server.mjs"), path.join(installDir, "counting-server.mjs"));
    const client = new Client({ name: "pack-test", version: "1.0.0" });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (value !== undefined && !key.startsWith("GOVERNOR_")) env[key] = value;
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin, "proxy", "--", process.execPath, "counting-server.mjs"],
        cwd: installDir,
        env: { ...env, GOVERNOR_ENFORCE_URL: mock.url, GOVERNOR_API_KEY: "pack", COUNTING_SERVER_DIR: state },
        stderr: "pipe",
      }),
    );
    try {
      const denied = await client.callTool({ name: "delete_record", arguments: { id: "r1" } });
      expect(denied.isError).toBe(true);
      expect(JSON.stringify(denied.content)).toContain("Deletes need a human.");
      expect(await client.callTool({ name: "get_record", arguments: { id: "r1" } })).toEqual({
        content: [{ type: "text", text: "record r1" }],
      });
      expect(readFileSync(path.join(state, "calls"), "utf8")).toBe("get_record\n");
    } finally {
      await client.close();
      await mock.close();
    }

    const project = mkdtempSync(path.join(tmpdir(), "gi-pack-proxy-proj-"));
    const config = path.join(project, ".mcp.json");
    const original = `{\n  "mcpServers": {\n    "fs": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."] }\n  }\n}\n`;
    writeFileSync(config, original);
    expect((await npx(["mcp", "install", "--proxy", "fs", "--client", "claude-code", "--dir", project])).code).toBe(0);
    expect((parseJsonc(readFileSync(config, "utf8")) as Json).mcpServers.fs.args.slice(0, 5)).toEqual([
      "-y",
      "governor-init",
      "proxy",
      "--name",
      "fs",
    ]);
    expect((await npx(["mcp", "install", "--unproxy", "fs", "--client", "claude-code", "--dir", project])).code).toBe(
      0,
    );
    expect(readFileSync(config, "utf8")).toBe(original);
  });
});
