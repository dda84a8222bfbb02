import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { beforeEach, describe, expect, it } from "vitest";
import type { ClientId } from "../../templates/clients.js";
import { proxyServerEntry } from "./proxy-entry.js";

let home: string;
let project: string;

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "gi-proxy-entry-"));
  project = path.join(home, "project");
  mkdirSync(project);
});

function write(relative: string, text: string): string {
  const file = path.join(project, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const run = (client: ClientId, server: string, undo = false, platform: NodeJS.Platform = "linux") =>
  proxyServerEntry({ client, server, undo, projectDir: project, env: { HOME: home }, platform });

const PROXY = ["npx", "-y", "governor-init", "proxy", "--name"];

describe("mcp install --proxy / --unproxy", () => {
  it("wraps a Cursor entry in place (comments, env and other servers kept), is a no-op twice, and unproxies to the same bytes", () => {
    const original = `{
  // my servers
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv/data"], // data only
      "env": { "DEBUG": "1" }
    },
    "other": { "command": "other-server" }
  }
}
`;
    const file = write(".cursor/mcp.json", original);
    const first = run("cursor", "filesystem");
    expect(first.status).toBe("update");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("// my servers");
    expect(text).toContain("// data only");
    const entry = (
      parseJsonc(text) as { mcpServers: Record<string, { command: string; args: string[]; env: unknown }> }
    ).mcpServers;
    expect([entry.filesystem!.command, ...entry.filesystem!.args]).toEqual([
      ...PROXY,
      "filesystem",
      "--",
      "npx",
      "-y",
      "@modelcontextprotocol/server-filesystem",
      "/srv/data",
    ]);
    expect(entry.filesystem!.env).toEqual({ DEBUG: "1" });
    expect(entry.other).toEqual({ command: "other-server" });
    expect(run("cursor", "filesystem").status).toBe("unchanged");
    expect(readFileSync(file, "utf8")).toBe(text);

    expect(run("cursor", "filesystem", true).status).toBe("update");
    expect(readFileSync(file, "utf8")).toBe(original);
    expect(run("cursor", "filesystem", true).status).toBe("unchanged");
  });

  it("round-trips an entry without args, a multi-line args list and a VS Code typed entry", () => {
    const original = `{
  "servers": {
    "solo": {
      "type": "stdio",
      "command": "mcp-solo"
    },
    "multi": {
      "type": "stdio",
      "command": "node",
      "args": [
        "server.js",
        "--flag"
      ]
    }
  }
}
`;
    const file = write(".vscode/mcp.json", original);
    expect(run("vscode", "solo").status).toBe("update");
    expect(run("vscode", "multi").status).toBe("update");
    const servers = (
      parseJsonc(readFileSync(file, "utf8")) as {
        servers: Record<string, { type: string; command: string; args: string[] }>;
      }
    ).servers;
    expect(servers.solo).toEqual({
      type: "stdio",
      command: "npx",
      args: [...PROXY.slice(1), "solo", "--", "mcp-solo"],
    });
    expect(servers.multi!.args.slice(-3)).toEqual(["node", "server.js", "--flag"]);
    run("vscode", "solo", true);
    run("vscode", "multi", true);
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("wraps opencode's command array and Codex's TOML table (comments and env kept), and back", () => {
    const opencode = `{
  "mcp": {
    "fs": { "type": "local", "command": ["npx", "-y", "@modelcontextprotocol/server-filesystem", "."], "enabled": true }
  }
}
`;
    const file = write("opencode.json", opencode);
    run("opencode", "fs");
    const command = (parseJsonc(readFileSync(file, "utf8")) as { mcp: { fs: { command: string[] } } }).mcp.fs.command;
    expect(command).toEqual([...PROXY, "fs", "--", "npx", "-y", "@modelcontextprotocol/server-filesystem", "."]);
    run("opencode", "fs", true);
    expect(readFileSync(file, "utf8")).toBe(opencode);

    const codexHome = path.join(project, ".codex");
    mkdirSync(codexHome);
    const toml = `# Codex config
model = "o4"

[mcp_servers.fs]
command = "npx" # launcher
args = ["-y", "@modelcontextprotocol/server-filesystem", "/srv"]
env = { DEBUG = "1" }

[mcp_servers.other]
command = "other"
`;
    writeFileSync(path.join(codexHome, "config.toml"), toml);
    expect(run("codex", "fs").status).toBe("update");
    const written = readFileSync(path.join(codexHome, "config.toml"), "utf8");
    expect(written).toContain("# launcher");
    const parsed = parseToml(written) as {
      mcp_servers: Record<string, { command: string; args: string[]; env?: unknown }>;
    };
    expect([parsed.mcp_servers.fs!.command, ...parsed.mcp_servers.fs!.args]).toEqual([
      ...PROXY,
      "fs",
      "--",
      "npx",
      "-y",
      "@modelcontextprotocol/server-filesystem",
      "/srv",
    ]);
    expect(parsed.mcp_servers.fs!.env).toEqual({ DEBUG: "1" });
    expect(run("codex", "fs").status).toBe("unchanged");
    run("codex", "fs", true);
    expect(readFileSync(path.join(codexHome, "config.toml"), "utf8")).toBe(toml);
  });

  it("goes through cmd /c on Windows", () => {
    const file = write(
      ".mcp.json",
      '{\n  "mcpServers": {\n    "fs": { "type": "stdio", "command": "mcp-fs" }\n  }\n}\n',
    );
    run("claude-code", "fs", false, "win32");
    const fs = (parseJsonc(readFileSync(file, "utf8")) as { mcpServers: { fs: { command: string; args: string[] } } })
      .mcpServers.fs;
    expect([fs.command, ...fs.args].slice(0, 3)).toEqual(["cmd", "/c", "npx"]);
  });

  it("refuses a remote entry, a missing entry and a file that does not parse, writing nothing", () => {
    const remote = '{\n  "mcpServers": {\n    "api": { "url": "https://mcp.example.com/mcp" }\n  }\n}\n';
    const file = write(".cursor/mcp.json", remote);
    expect(run("cursor", "api")).toMatchObject({ status: "error", reason: expect.stringContaining("remote") });
    expect(run("cursor", "nope")).toMatchObject({
      status: "error",
      reason: expect.stringContaining('no MCP server named "nope"'),
    });
    expect(readFileSync(file, "utf8")).toBe(remote);
    write(".cursor/mcp.json", "{ not json");
    expect(run("cursor", "api").status).toBe("error");
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });
});
