/**
 * Coding agents (MCP clients) that `governor-init mcp install` can configure, as data: where each
 * keeps its config at each scope, in which format, under which key, and in which shape a stdio
 * server entry is written. The installer engine (`codemods/agent-config/`), the CLI's `--client`
 * choices, the wizard's menu and the docs all read this table.
 *
 * Paths are templates: `~` is the home directory, `$XDG_CONFIG_HOME` defaults to `~/.config`,
 * `$APPDATA` is the Windows roaming profile, `$CODEX_HOME` defaults to `~/.codex`. A platform that
 * is missing from `user` means the client has no user config there (Claude Desktop has no Linux build).
 *
 * Anything exported here is public API of the toolkit's data layer.
 */

/** How a client's server entry is shaped. */
export type EntryShape =
  /** `{ command, args }` */
  | "command-args"
  /** `{ type: "stdio", command, args }` */
  | "typed-stdio"
  /** opencode: `{ type: "local", command: [cmd, ...args], enabled: true }` — no `args`. */
  | "opencode-local";

/** The platforms whose paths differ. */
export type Platform = "linux" | "darwin" | "win32";

/** One coding agent. */
export interface ClientInfo {
  /** Stable id used by `--client`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** File format: JSON with comments allowed, strict JSON, or TOML. */
  readonly format: "jsonc" | "json" | "toml";
  /** Key path of the object holding servers by name. */
  readonly serversKey: readonly string[];
  readonly shape: EntryShape;
  /**
   * Project-scope config path(s) relative to the project root, first one preferred when none exists.
   * Absent: the client has no project scope.
   */
  readonly project?: readonly string[];
  /** User-scope config path template per platform. */
  readonly user: Partial<Record<Platform, string>>;
  /** Why a scope is missing, shown instead of a path. */
  readonly noScope?: { readonly project?: string; readonly user?: string };
  /** Set when the location is not confirmed by the client's own docs. */
  readonly unconfirmed?: boolean;
}

/** Every supported client, in menu order. */
export const CLIENTS = [
  {
    id: "cursor",
    name: "Cursor",
    format: "jsonc",
    serversKey: ["mcpServers"],
    shape: "command-args",
    project: [".cursor/mcp.json"],
    user: { linux: "~/.cursor/mcp.json", darwin: "~/.cursor/mcp.json", win32: "~/.cursor/mcp.json" },
  },
  {
    id: "vscode",
    name: "VS Code (Copilot agent mode)",
    format: "jsonc",
    // VS Code reads `servers`; `mcpServers` in mcp.json is silently ignored.
    serversKey: ["servers"],
    shape: "typed-stdio",
    project: [".vscode/mcp.json"],
    user: {
      linux: "$XDG_CONFIG_HOME/Code/User/mcp.json",
      darwin: "~/Library/Application Support/Code/User/mcp.json",
      win32: "$APPDATA/Code/User/mcp.json",
    },
  },
  {
    id: "claude-code",
    name: "Claude Code",
    format: "json",
    serversKey: ["mcpServers"],
    shape: "typed-stdio",
    project: [".mcp.json"],
    user: { linux: "~/.claude.json", darwin: "~/.claude.json", win32: "~/.claude.json" },
  },
  {
    id: "claude-desktop",
    name: "Claude Desktop",
    format: "json",
    serversKey: ["mcpServers"],
    shape: "command-args",
    user: {
      darwin: "~/Library/Application Support/Claude/claude_desktop_config.json",
      win32: "$APPDATA/Claude/claude_desktop_config.json",
    },
    noScope: {
      project: "Claude Desktop has no project config; use --scope user.",
      user: "Claude Desktop has no Linux build, so there is no config to write on Linux.",
    },
  },
  {
    id: "windsurf",
    name: "Windsurf",
    format: "json",
    serversKey: ["mcpServers"],
    shape: "command-args",
    user: {
      linux: "~/.codeium/windsurf/mcp_config.json",
      darwin: "~/.codeium/windsurf/mcp_config.json",
      win32: "~/.codeium/windsurf/mcp_config.json",
    },
    noScope: { project: "Windsurf has no project-scope MCP config; use --scope user." },
  },
  {
    id: "codex",
    name: "Codex CLI",
    format: "toml",
    serversKey: ["mcp_servers"],
    shape: "command-args",
    project: [".codex/config.toml"],
    user: { linux: "$CODEX_HOME/config.toml", darwin: "$CODEX_HOME/config.toml", win32: "$CODEX_HOME/config.toml" },
  },
  {
    id: "gemini",
    name: "Gemini CLI",
    format: "json",
    serversKey: ["mcpServers"],
    shape: "command-args",
    project: [".gemini/settings.json"],
    user: { linux: "~/.gemini/settings.json", darwin: "~/.gemini/settings.json", win32: "~/.gemini/settings.json" },
  },
  {
    id: "opencode",
    name: "opencode",
    format: "jsonc",
    serversKey: ["mcp"],
    shape: "opencode-local",
    project: ["opencode.json", "opencode.jsonc"],
    user: {
      linux: "$XDG_CONFIG_HOME/opencode/opencode.json",
      darwin: "$XDG_CONFIG_HOME/opencode/opencode.json",
      win32: "$XDG_CONFIG_HOME/opencode/opencode.json",
    },
  },
  {
    id: "zed",
    name: "Zed",
    format: "jsonc",
    serversKey: ["context_servers"],
    shape: "command-args",
    project: [".zed/settings.json"],
    user: {
      linux: "$XDG_CONFIG_HOME/zed/settings.json",
      darwin: "$XDG_CONFIG_HOME/zed/settings.json",
      win32: "$APPDATA/Zed/settings.json",
    },
  },
  {
    id: "cline",
    name: "Cline",
    format: "json",
    serversKey: ["mcpServers"],
    shape: "command-args",
    user: {
      linux: "~/.cline/data/settings/cline_mcp_settings.json",
      darwin: "~/.cline/data/settings/cline_mcp_settings.json",
      win32: "~/.cline/data/settings/cline_mcp_settings.json",
    },
    noScope: { project: "Cline has no project-scope MCP config; use --scope user." },
    unconfirmed: true,
  },
] as const satisfies readonly ClientInfo[];

/** A client id from {@link CLIENTS}. */
export type ClientId = (typeof CLIENTS)[number]["id"];

/** All client ids, for schemas and completions. */
export const CLIENT_IDS = CLIENTS.map((c) => c.id) as [ClientId, ...ClientId[]];

/** Looks a client up by id. */
export function clientById(id: string): ClientInfo | undefined {
  return CLIENTS.find((c) => c.id === id);
}

/** The package and arguments every client launches: `npx -y governor-init mcp`. */
export const MCP_LAUNCH = { command: "npx", args: ["-y", "governor-init", "mcp"] } as const;

/** The default server entry name. */
export const DEFAULT_SERVER_NAME = "governor";

/**
 * The governing proxy's launch prefix: `mcp install --proxy NAME` puts it (then `--name NAME --`) in
 * front of an existing server's own command, and `--unproxy` takes it off again.
 */
export const PROXY_LAUNCH = { command: "npx", args: ["-y", "governor-init", "proxy"] } as const;
