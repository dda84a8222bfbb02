/**
 * Coding agents whose native hooks can block an action, as data: where each keeps its hooks, which
 * events `governor-init hooks install` registers, how an event's payload names the tool, and how the
 * agent reads a hook's answer. Beside `clients.ts` (the MCP config shapes). The installer
 * (`codemods/agent-config/hooks-config.ts`), the hook command (`hooks/`), the CLI's `--client`
 * choices and the docs all read this table.
 *
 * Every row was checked against the agent's own documentation (sources in the comments). Paths are
 * templates as in `clients.ts` (`~` is the home directory).
 *
 * Anything exported here is public API of the toolkit's data layer.
 */

/** Which way an event points: before the action (it can be blocked) or after it (audited). */
export type HookPhase = "pre" | "post";

/** One hook event `hooks install` registers. */
export interface HookEventInfo {
  /** The agent's own event name, also the `<event>` argument of `governor-init hook`. */
  readonly name: string;
  readonly phase: HookPhase;
  /**
   * Tool-name matcher (a regular expression) of the matcher group, for agents that group hooks
   * under matchers; absent for agents whose events are per action (Cursor).
   */
  readonly matcher?: string;
  /** Extra alternatives added to `matcher` when reads are governed (`--reads`). */
  readonly readMatcher?: string;
  /** Registered only with `--reads` (the event exists for reads alone). */
  readonly readsOnly?: boolean;
}

/** How the agent reads a hook's answer. */
export interface HookProtocol {
  /** The exit code that blocks the action, with stderr as the reason. */
  readonly blockExitCode: 2;
  /** What the agent does when a hook exits with another non-zero code, crashes or times out. */
  readonly onHookFailure: "runs the action" | "blocks the action";
}

/** One coding agent with blocking hooks. */
export interface HookClientInfo {
  /** Stable id used by `--client` and as `governor-init hook <client>`. */
  readonly id: string;
  readonly name: string;
  /** Project-scope hooks file, relative to the project root. */
  readonly project: string;
  /** User-scope hooks file (same on every platform). */
  readonly user: string;
  /** `json`: comments are rejected by the agent; `jsonc`: comments allowed. */
  readonly format: "json" | "jsonc";
  /** `matcher-group`: `hooks.<Event>: [{ matcher, hooks: [entry] }]`; `flat`: `hooks.<event>: [entry]`. */
  readonly layout: "matcher-group" | "flat";
  /** Top-level keys a new file starts with, besides `hooks` (Cursor requires `version: 1`). */
  readonly fileHeader?: Readonly<Record<string, unknown>>;
  /** Extra keys of each entry besides the command (type, timeout, name). */
  readonly entryFields: Readonly<Record<string, unknown>>;
  /** The agent's own fail-closed switch for a failing hook, when it has one. */
  readonly failClosedSwitch?: {
    readonly key: string;
    readonly value: string;
    /** First version that reads it. */
    readonly since: string;
    /** The agent's CLI, asked for its version (`<cli> --version`). */
    readonly versionCommand: string;
  };
  readonly events: readonly HookEventInfo[];
  readonly protocol: HookProtocol;
  /** The variable the agent sets to the project root for its hooks, when it sets one. */
  readonly projectDirEnv?: string;
}

/**
 * How long (ms) `governor-init hook` may take in all before it blocks on its own: well below the
 * timeout written into each agent's entry (30 s), so the agent never times the hook out (which
 * would let the action run).
 */
export const HOOK_DEADLINE_MS = 10_000;

/** The per-entry timeout written into agents' configs, in seconds. */
export const HOOK_ENTRY_TIMEOUT_S = 30;

/** Every supported agent, in menu order. */
export const HOOK_CLIENTS = [
  {
    // https://code.claude.com/docs/en/hooks (hooks reference: PreToolUse/PostToolUse input on stdin,
    // exit code 2 blocks with stderr as the reason, any other non-zero exit is a non-blocking error,
    // hookSpecificOutput.permissionDecision), https://code.claude.com/docs/en/settings (project
    // .claude/settings.json, user ~/.claude/settings.json), settings schema
    // https://json.schemastore.org/claude-code-settings.json, and the v2.1.295 release notes
    // (https://github.com/anthropics/claude-code/releases/tag/v2.1.295): `onFailure: "block"` for
    // command hooks makes a hook that cannot start, times out or exits unexpectedly block the action.
    id: "claude-code",
    name: "Claude Code",
    project: ".claude/settings.json",
    user: "~/.claude/settings.json",
    format: "json",
    layout: "matcher-group",
    entryFields: { type: "command", timeout: HOOK_ENTRY_TIMEOUT_S },
    failClosedSwitch: { key: "onFailure", value: "block", since: "2.1.295", versionCommand: "claude" },
    events: [
      {
        name: "PreToolUse",
        phase: "pre",
        matcher: "Bash|PowerShell|Write|Edit|MultiEdit|NotebookEdit|WebFetch|WebSearch|mcp__.*",
        readMatcher: "Read|Glob|Grep|LS",
      },
      {
        name: "PostToolUse",
        phase: "post",
        matcher: "Bash|PowerShell|Write|Edit|MultiEdit|NotebookEdit|WebFetch|WebSearch|mcp__.*",
      },
    ],
    protocol: { blockExitCode: 2, onHookFailure: "runs the action" },
    projectDirEnv: "CLAUDE_PROJECT_DIR",
  },
  {
    // https://cursor.com/docs/hooks (hooks.json `{ version: 1, hooks: { <event>: [{ command }] } }`,
    // project .cursor/hooks.json and user ~/.cursor/hooks.json; beforeShellExecution {command, cwd},
    // beforeMCPExecution {tool_name, tool_input, url | command}, beforeReadFile {file_path},
    // afterFileEdit {file_path, edits}, afterShellExecution, afterMCPExecution; before-hooks answer
    // `{ permission: "allow" | "deny" | "ask", user_message, agent_message }`; exit code 2 blocks).
    // Cursor's file edits have no before-hook with a documented payload here: they are audited
    // after the fact (afterFileEdit), not decided.
    id: "cursor",
    name: "Cursor",
    project: ".cursor/hooks.json",
    user: "~/.cursor/hooks.json",
    format: "jsonc",
    layout: "flat",
    fileHeader: { version: 1 },
    entryFields: {},
    events: [
      { name: "beforeShellExecution", phase: "pre" },
      { name: "beforeMCPExecution", phase: "pre" },
      { name: "beforeReadFile", phase: "pre", readsOnly: true },
      { name: "afterShellExecution", phase: "post" },
      { name: "afterMCPExecution", phase: "post" },
      { name: "afterFileEdit", phase: "post" },
    ],
    protocol: { blockExitCode: 2, onHookFailure: "runs the action" },
  },
  {
    // https://github.com/google-gemini/gemini-cli/blob/main/docs/hooks/reference.md (settings.json
    // `hooks.<Event>: [{ matcher, hooks: [{ type: "command", command, name, timeout (ms) }] }]`;
    // BeforeTool/AfterTool input {tool_name, tool_input, cwd, session_id, ...}; exit code 2 blocks with
    // stderr as the reason; other exit codes are warnings and the CLI continues; exit 0 reads stdout as
    // JSON `{ decision: "deny", reason }`), project .gemini/settings.json, user ~/.gemini/settings.json.
    id: "gemini",
    name: "Gemini CLI",
    project: ".gemini/settings.json",
    user: "~/.gemini/settings.json",
    format: "jsonc",
    layout: "matcher-group",
    entryFields: { type: "command", name: "governor", timeout: HOOK_ENTRY_TIMEOUT_S * 1000 },
    events: [
      {
        name: "BeforeTool",
        phase: "pre",
        matcher: "run_shell_command|write_file|replace|web_fetch|google_web_search|mcp__.*",
        readMatcher: "read_file|read_many_files|glob|search_file_content|list_directory",
      },
      {
        name: "AfterTool",
        phase: "post",
        matcher: "run_shell_command|write_file|replace|web_fetch|google_web_search|mcp__.*",
      },
    ],
    protocol: { blockExitCode: 2, onHookFailure: "runs the action" },
  },
] as const satisfies readonly HookClientInfo[];

/** A hook client id from {@link HOOK_CLIENTS}. */
export type HookClientId = (typeof HOOK_CLIENTS)[number]["id"];

/** All hook client ids, for schemas and completions. */
export const HOOK_CLIENT_IDS = HOOK_CLIENTS.map((c) => c.id) as [HookClientId, ...HookClientId[]];

/** Looks a hook client up by id. */
export function hookClientById(id: string): HookClientInfo | undefined {
  return HOOK_CLIENTS.find((c) => c.id === id);
}

/** The launcher written before `hook <client> <event>` in each entry: `npx -y governor-init`. */
export const HOOK_LAUNCH = "npx -y governor-init";
