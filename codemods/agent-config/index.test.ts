import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";

// Parsed config files are checked field by field; their exact shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
import { CLIENT_IDS, type ClientId } from "../../templates/clients.js";
import { installMcpServer, planInstall } from "./index.js";

let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "gi-home-"));
  project = path.join(home, "project");
  mkdirSync(project);
  env = { HOME: home };
});

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const install = (clients: ClientId[], extra: Partial<Parameters<typeof installMcpServer>[0]> = {}) =>
  installMcpServer({ clients, projectDir: project, env, platform: "linux", ...extra });

describe("mcp install: shapes per client", () => {
  it("writes each client's own key and entry shape into a new file", () => {
    const results = install([...CLIENT_IDS]);
    const byId = Object.fromEntries(results.map((r) => [r.client, r]));
    const read = (id: ClientId) => parseJsonc(readFileSync(byId[id]!.path!, "utf8")) as Record<string, Json>;
    expect(read("cursor").mcpServers.governor).toEqual({ command: "npx", args: ["-y", "governor-init", "mcp"] });
    expect(read("vscode").servers.governor).toEqual({
      type: "stdio",
      command: "npx",
      args: ["-y", "governor-init", "mcp"],
    });
    expect(read("vscode").mcpServers).toBeUndefined();
    expect(read("claude-code").mcpServers.governor.type).toBe("stdio");
    expect(read("opencode").mcp.governor).toEqual({
      type: "local",
      command: ["npx", "-y", "governor-init", "mcp"],
      enabled: true,
    });
    expect(read("opencode").mcp.governor.args).toBeUndefined();
    expect(read("zed").context_servers.governor.command).toBe("npx");
    expect(read("gemini").mcpServers.governor.args).toEqual(["-y", "governor-init", "mcp"]);
    expect(read("windsurf").mcpServers.governor.command).toBe("npx");
    expect(read("cline").mcpServers.governor.command).toBe("npx");
    const codex = parseToml(readFileSync(byId.codex!.path!, "utf8")) as Record<string, Json>;
    expect(codex.mcp_servers.governor).toEqual({ command: "npx", args: ["-y", "governor-init", "mcp"] });
    // Paths: project scope where the client has one, user scope otherwise.
    expect(byId.cursor!.path).toBe(path.join(project, ".cursor/mcp.json"));
    expect(byId["claude-code"]!.path).toBe(path.join(project, ".mcp.json"));
    expect(byId.windsurf!.path).toBe(path.join(home, ".codeium/windsurf/mcp_config.json"));
    expect(byId["claude-desktop"]!.status).toBe("unavailable");
    expect(byId["claude-desktop"]!.reason).toMatch(/no Linux build/);
  });

  it("uses cmd /c npx on Windows", () => {
    const [cursor, opencode] = install(["cursor", "opencode"], {
      platform: "win32",
      env: { USERPROFILE: home, APPDATA: path.join(home, "AppData") },
    });
    expect(JSON.parse(readFileSync(cursor!.path!, "utf8")).mcpServers.governor).toEqual({
      command: "cmd",
      args: ["/c", "npx", "-y", "governor-init", "mcp"],
    });
    expect(JSON.parse(readFileSync(opencode!.path!, "utf8")).mcp.governor.command).toEqual([
      "cmd",
      "/c",
      "npx",
      "-y",
      "governor-init",
      "mcp",
    ]);
  });

  it("resolves user paths from HOME, XDG_CONFIG_HOME, APPDATA and CODEX_HOME", () => {
    const xdg = path.join(home, "xdg");
    const codexHome = path.join(home, "codexhome");
    const results = install(["vscode", "zed", "opencode", "codex", "claude-code"], {
      scope: "user",
      env: { HOME: home, XDG_CONFIG_HOME: xdg, CODEX_HOME: codexHome },
    });
    expect(results.map((r) => r.path)).toEqual([
      path.join(xdg, "Code/User/mcp.json"),
      path.join(xdg, "zed/settings.json"),
      path.join(xdg, "opencode/opencode.json"),
      path.join(codexHome, "config.toml"),
      path.join(home, ".claude.json"),
    ]);
    const desktop = install(["claude-desktop"], { scope: "user", platform: "darwin" })[0]!;
    expect(desktop.path).toBe(path.join(home, "Library/Application Support/Claude/claude_desktop_config.json"));
  });

  it("says clearly when a client has no config at the asked scope", () => {
    const [windsurf, desktop, cline] = install(["windsurf", "claude-desktop", "cline"], { scope: "project" });
    expect(windsurf).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/Windsurf has no project/) });
    expect(desktop).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/no project config/) });
    expect(cline!.status).toBe("unavailable");
    expect(existsSync(path.join(project, ".windsurf"))).toBe(false);
  });
});

describe("mcp install: editing existing files in place", () => {
  const jsoncWithComments = `{
	// my servers, keep this comment
	"servers": {
		"github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" }, // inline note
	},
	/* block */ "inputs": [],
}
`;

  it("keeps comments, trailing commas, tabs and other servers in a JSONC file", () => {
    const file = path.join(project, ".vscode/mcp.json");
    write(file, jsoncWithComments);
    const [result] = install(["vscode"]);
    expect(result!.status).toBe("update");
    const after = readFileSync(file, "utf8");
    // every original line survives untouched, in order
    const originalLines = jsoncWithComments.split("\n");
    let cursor = 0;
    for (const line of after.split("\n")) if (line === originalLines[cursor]) cursor++;
    expect(cursor).toBe(originalLines.length);
    const parsed = parseJsonc(after) as Record<string, Json>;
    expect(Object.keys(parsed.servers)).toEqual(["github", "governor"]);
    expect(after).toContain('\t\t"governor": {\n\t\t\t"type": "stdio"');
    expect(result!.diff).toContain('+\t\t"governor": {');
  });

  it("second identical run changes no byte, for every client", () => {
    const seeded: Record<string, string> = {
      [path.join(project, ".cursor/mcp.json")]:
        `{\n  // cursor\n  "mcpServers": {\n    "other": { "command": "other" }\n  }\n}\n`,
      [path.join(project, ".vscode/mcp.json")]: jsoncWithComments.replace("github", "other"),
      [path.join(project, ".mcp.json")]:
        `{\n  "mcpServers": {\n    "other": {\n      "type": "stdio",\n      "command": "x"\n    }\n  }\n}\n`,
      [path.join(project, ".gemini/settings.json")]: `{\n    "theme": "dark",\n    "mcpServers": {}\n}\n`,
      [path.join(project, "opencode.jsonc")]:
        `{\n  // opencode\n  "$schema": "https://opencode.ai/config.json",\n  "mcp": {\n    "other": { "type": "remote", "url": "https://x" },\n  },\n}\n`,
      [path.join(project, ".zed/settings.json")]:
        `// Zed settings\n{\n  "theme": "One Dark", // pretty\n  "context_servers": {\n    "other": { "command": "o", "args": [] }\n  }\n}\n`,
      [path.join(project, ".codex/config.toml")]:
        `# codex\nmodel = "o3" # note\n\n[mcp_servers.other]\ncommand = "o"\n\n# profiles below\n[profiles.x]\nmodel = "y"\n`,
      [path.join(home, ".codeium/windsurf/mcp_config.json")]: `{"mcpServers":{"other":{"serverUrl":"https://x"}}}`,
      [path.join(home, ".cline/data/settings/cline_mcp_settings.json")]:
        `{\n  "mcpServers": {\n    "other": { "command": "o", "disabled": false }\n  }\n}\n`,
    };
    for (const [file, text] of Object.entries(seeded)) write(file, text);
    const first = install([...CLIENT_IDS]);
    expect(first.filter((r) => r.status === "error" || r.status === "conflict")).toEqual([]);
    for (const r of first.filter((r) => r.path && seeded[r.path] !== undefined)) {
      expect(r.status, r.client).toBe("update");
      // other servers and comments are still there
      const after = readFileSync(r.path!, "utf8");
      if (seeded[r.path!]!.includes("other")) expect(after, r.client).toContain("other");
      for (const comment of seeded[r.path!]!.match(/(\/\/|#) [a-z ]+/g) ?? [])
        expect(after, r.client).toContain(comment);
    }
    expect(first.find((r) => r.client === "opencode")!.path).toBe(path.join(project, "opencode.jsonc"));
    const snapshot = new Map(
      first.filter((r) => r.path && existsSync(r.path)).map((r) => [r.path!, readFileSync(r.path!)]),
    );
    const second = install([...CLIENT_IDS]);
    for (const r of second) {
      if (r.status === "unavailable") continue;
      expect(r.status, r.client).toBe("unchanged");
      expect(readFileSync(r.path!).equals(snapshot.get(r.path!)!), r.client).toBe(true);
    }
  });

  it("keeps a UTF-8 BOM and CRLF line endings", () => {
    const file = path.join(project, ".cursor/mcp.json");
    write(file, '\uFEFF{\r\n  "mcpServers": {\r\n    "a": { "command": "a" }\r\n  }\r\n}\r\n');
    install(["cursor"]);
    const after = readFileSync(file, "utf8");
    expect(after.startsWith("\uFEFF{")).toBe(true);
    expect(after.replace(/\r\n/g, "")).not.toContain("\n");
    expect((parseJsonc(after.slice(1)) as Json).mcpServers.governor.command).toBe("npx");
  });

  it("reports a conflict for a different entry of the same name, and replaces it with overwrite", () => {
    const file = path.join(project, ".cursor/mcp.json");
    const original = `{ "mcpServers": { "governor": { "command": "node", "args": ["old.js"] } } }\n`;
    write(file, original);
    expect(install(["cursor"])[0]!.status).toBe("conflict");
    expect(readFileSync(file, "utf8")).toBe(original);
    expect(install(["cursor"], { overwrite: true })[0]!.status).toBe("update");
    expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.governor.command).toBe("npx");
  });

  it("keeps keys the user added to our entry (env) and treats it as up to date", () => {
    const file = path.join(project, ".cursor/mcp.json");
    const original = `{ "mcpServers": { "governor": { "command": "npx", "args": ["-y", "governor-init", "mcp"], "env": { "X": "1" } } } }\n`;
    write(file, original);
    expect(install(["cursor"])[0]!.status).toBe("unchanged");
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("leaves invalid JSON and non-object containers alone with an error", () => {
    const file = path.join(project, ".cursor/mcp.json");
    write(file, `{ "mcpServers": { oops } `);
    const [bad] = install(["cursor"]);
    expect(bad!.status).toBe("error");
    expect(readFileSync(file, "utf8")).toBe(`{ "mcpServers": { oops } `);
    write(file, `{ "mcpServers": [] }`);
    expect(install(["cursor"])[0]!.status).toBe("error");
  });

  it("dry run writes nothing but shows the diff", () => {
    const [r] = install(["gemini"], { dryRun: true });
    expect(r!.status).toBe("create");
    expect(r!.diff).toContain('+    "governor": {');
    expect(existsSync(r!.path!)).toBe(false);
  });

  it("replaces a Codex table in place, keeping comments around it", () => {
    const file = path.join(home, ".codex/config.toml");
    const original = `# top\n[mcp_servers.governor]\ncommand = "node" # old\nargs = ["x"]\n\n[mcp_servers.governor.env]\nA = "1"\n\n# about other\n[mcp_servers.other]\ncommand = "o"\n`;
    write(file, original);
    const [r] = install(["codex"], { scope: "user", overwrite: true });
    expect(r!.status).toBe("update");
    const after = readFileSync(file, "utf8");
    expect(after).toBe(
      `# top\n[mcp_servers.governor]\ncommand = "npx"\nargs = ["-y", "governor-init", "mcp"]\n\n# about other\n[mcp_servers.other]\ncommand = "o"\n`,
    );
    expect(install(["codex"], { scope: "user" })[0]!.status).toBe("unchanged");
  });

  it("refuses a Codex entry written inline rather than as a table", () => {
    const file = path.join(home, ".codex/config.toml");
    write(file, `mcp_servers = { governor = { command = "node" } }\n`);
    const [r] = install(["codex"], { scope: "user", overwrite: true });
    expect(r!.status).toBe("error");
    expect(readFileSync(file, "utf8")).toBe(`mcp_servers = { governor = { command = "node" } }\n`);
  });

  it("rejects a bad server name", () => {
    expect(() => planInstall({ clients: ["cursor"], projectDir: project, env, name: "a b" })).toThrow(
      /Invalid server name/,
    );
  });
});
