/**
 * From a coding agent's hook payload to the intents the Governor decides: a shell command is
 * `execute` on `process` (each program of the line, the whole line in context), a file edit or write
 * is `write` on `filesystem` (the path relative to the project), a web fetch or search is `read` on
 * `external_api` (the host), an MCP tool call is `execute` on `mcp_tool` (`server/tool`), a read is
 * `read` on `filesystem` (decided only when reads are governed). Payload shapes are the agents'
 * documented ones (see `templates/hook-clients.ts`).
 *
 * This module is on the hook's cold-start path: it imports nothing but node:path.
 */
import path from "node:path";
import type { IntentEvent } from "@governor/sdk";

/** What kind of action a tool call is. */
export type ActionKind = "shell" | "write" | "web" | "mcp" | "read" | "other";

/** A tool call read from a payload, ready to decide. */
export interface HookCall {
  kind: ActionKind;
  /** The agent's tool name (or the event name, for Cursor's per-action events). */
  tool: string;
  /** One intent per resource the call touches (each program of a shell line, each host). */
  intents: IntentEvent[];
  /** What the call acts on, for messages: the command line, the path, the URL, `server/tool`. */
  target: string;
  /** The project root the payload names (for relative paths and the default audit log). */
  projectDir: string;
}

/** Why a payload cannot be read: it is denied with this message. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The object a field holds; Cursor sends MCP `tool_input` as JSON text. */
function objectField(value: unknown): Json {
  if (isObject(value)) return value;
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed)) return parsed;
    } catch {
      // Not JSON: kept as text below.
    }
    return { text: value };
  }
  return {};
}

const MAX_CONTEXT_CHARS = 2000;

function cut(text: string): string {
  return text.length <= MAX_CONTEXT_CHARS ? text : `${text.slice(0, MAX_CONTEXT_CHARS)}…`;
}

/** Splits a shell line into its simple commands' programs (leading `VAR=value` and `sudo`/`env` skipped). */
export function shellPrograms(line: string): string[] {
  const programs: string[] = [];
  let word = "";
  let quote: string | undefined;
  let atCommandStart = true;
  const endWord = (): void => {
    if (word === "") return;
    if (atCommandStart) {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word === "sudo" || word === "env" || word === "command") {
        word = "";
        return;
      }
      programs.push(word);
      atCommandStart = false;
    }
    word = "";
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    if (ch === "\\" && i + 1 < line.length) {
      word += line[++i];
      continue;
    }
    if (ch === ";" || ch === "|" || ch === "&" || ch === "\n" || ch === "(" || ch === ")" || ch === "`") {
      endWord();
      atCommandStart = true;
      continue;
    }
    if (ch === "$" && line[i + 1] === "(") {
      endWord();
      atCommandStart = true;
      i++;
      continue;
    }
    if (ch === " " || ch === "\t") {
      endWord();
      continue;
    }
    word += ch;
  }
  endWord();
  return [...new Set(programs)];
}

/** `path` relative to the project when inside it (forward slashes), else absolute. */
export function projectPath(file: string, projectDir: string): string {
  const absolute = path.resolve(projectDir, file);
  const relative = path.relative(projectDir, absolute);
  if (relative === "") return ".";
  if (relative.startsWith("..") || path.isAbsolute(relative)) return absolute.split(path.sep).join("/");
  return relative.split(path.sep).join("/");
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Every http(s) URL in free text (Gemini's web_fetch takes a prompt with URLs in it). */
function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
}

interface Base {
  client: string;
  event: string;
  session?: string;
}

function context(base: Base, tool: string, extra: Json): Json {
  const ctx: Json = { agent: base.client, hook_event: base.event, tool, ...extra };
  if (base.session !== undefined) ctx.session_id = base.session;
  return ctx;
}

function shellCall(base: Base, tool: string, command: string, projectDir: string): HookCall {
  const programs = shellPrograms(command);
  const names = programs.length > 0 ? programs : [command.trim().split(/\s+/)[0] ?? ""];
  return {
    kind: "shell",
    tool,
    target: command,
    projectDir,
    intents: names.map((program) => ({
      action: "execute",
      resource: { type: "process", name: program },
      context: context(base, tool, { command: cut(command) }),
    })),
  };
}

function fileCall(base: Base, kind: "write" | "read", tool: string, file: string, projectDir: string): HookCall {
  const name = projectPath(file, projectDir);
  return {
    kind,
    tool,
    target: name,
    projectDir,
    intents: [{ action: kind, resource: { type: "filesystem", name }, context: context(base, tool, {}) }],
  };
}

function webCall(base: Base, tool: string, urls: string[], query: string | undefined, projectDir: string): HookCall {
  const hosts = [...new Set(urls.map(hostOf).filter((h): h is string => h !== undefined))];
  const extra: Json = {};
  if (urls.length > 0) extra.urls = urls.slice(0, 10).map(cut);
  if (query !== undefined) extra.query = cut(query);
  // A search names no host: the search itself is the resource.
  const names = hosts.length > 0 ? hosts : [query !== undefined ? "web_search" : "unknown"];
  return {
    kind: "web",
    tool,
    target: urls[0] ?? query ?? tool,
    projectDir,
    intents: names.map((host) => ({
      action: "read",
      resource: { type: "external_api", name: host },
      context: context(base, tool, extra),
    })),
  };
}

function mcpCall(base: Base, tool: string, server: string, name: string, input: unknown, projectDir: string): HookCall {
  const args = JSON.stringify(objectField(input));
  return {
    kind: "mcp",
    tool,
    target: `${server}/${name}`,
    projectDir,
    intents: [
      {
        action: "execute",
        resource: { type: "mcp_tool", name: `${server}/${name}` },
        context: context(base, tool, { mcp_server: server, mcp_tool: name, arguments: cut(args) }),
      },
    ],
  };
}

function otherCall(base: Base, tool: string, input: unknown, projectDir: string): HookCall {
  return {
    kind: "other",
    tool,
    target: tool,
    projectDir,
    intents: [
      {
        action: "execute",
        resource: { type: "tool", name: tool },
        context: context(base, tool, { arguments: cut(JSON.stringify(objectField(input))) }),
      },
    ],
  };
}

/** `mcp__server__tool` → server and tool (Claude Code and Gemini CLI name MCP tools this way). */
function splitMcpName(tool: string): { server: string; name: string } | undefined {
  const match = /^mcp__(.+?)__(.+)$/.exec(tool);
  return match ? { server: match[1]!, name: match[2]! } : undefined;
}

function requireString(payload: Json, key: string, what: string): string {
  const value = str(payload[key]);
  if (value === undefined) throw new PayloadError(`the payload has no "${key}" (${what}).`);
  return value;
}

/** Claude Code's tools and Gemini CLI's, by their tool names. */
function toolCall(base: Base, payload: Json, projectDir: string): HookCall {
  const tool = requireString(payload, "tool_name", "the tool being called");
  if (payload.tool_input !== undefined && !isObject(payload.tool_input)) {
    throw new PayloadError(`"tool_input" is not an object.`);
  }
  const input = (payload.tool_input ?? {}) as Json;
  const need = (key: string): string => {
    const value = str(input[key]);
    if (value === undefined) throw new PayloadError(`${tool}'s tool_input has no "${key}".`);
    return value;
  };
  const mcp = splitMcpName(tool);
  if (mcp) return mcpCall(base, tool, mcp.server, mcp.name, input, projectDir);
  // Claude Code's tool names and Gemini CLI's (run_shell_command, write_file, replace, web_fetch, …).
  switch (tool) {
    case "Bash":
    case "PowerShell":
    case "run_shell_command":
      return shellCall(base, tool, need("command"), projectDir);
    case "Write":
    case "Edit":
    case "MultiEdit":
    case "write_file":
    case "replace":
      return fileCall(base, "write", tool, need("file_path"), projectDir);
    case "NotebookEdit":
      return fileCall(base, "write", tool, need("notebook_path"), projectDir);
    case "WebFetch":
      return webCall(base, tool, [need("url")], undefined, projectDir);
    case "WebSearch":
    case "google_web_search":
      return webCall(base, tool, [], need("query"), projectDir);
    case "web_fetch":
      return webCall(base, tool, urlsIn(need("prompt")), undefined, projectDir);
    case "Read":
    case "read_file":
      return fileCall(base, "read", tool, str(input.file_path) ?? need("absolute_path"), projectDir);
    case "Glob":
    case "Grep":
    case "LS":
    case "glob":
    case "search_file_content":
    case "list_directory":
    case "read_many_files": {
      const where = str(input.path) ?? str(input.dir_path) ?? ".";
      return fileCall(base, "read", tool, where, projectDir);
    }
    default:
      return otherCall(base, tool, input, projectDir);
  }
}

/** Cursor's per-action events. */
function cursorCall(base: Base, payload: Json, projectDir: string): HookCall {
  switch (base.event) {
    case "beforeShellExecution":
    case "afterShellExecution":
      return shellCall(base, base.event, requireString(payload, "command", "the shell command"), projectDir);
    case "beforeMCPExecution":
    case "afterMCPExecution": {
      const name = requireString(payload, "tool_name", "the MCP tool");
      // Cursor names the server by its URL or launch command, not by its config name.
      const server =
        (str(payload.url) !== undefined ? hostOf(payload.url as string) : undefined) ??
        str(payload.server) ??
        str(payload.command) ??
        "unknown";
      return mcpCall(base, base.event, server, name, payload.tool_input, projectDir);
    }
    case "beforeReadFile":
      return fileCall(base, "read", base.event, requireString(payload, "file_path", "the file"), projectDir);
    case "afterFileEdit":
      return fileCall(base, "write", base.event, requireString(payload, "file_path", "the file"), projectDir);
    default:
      throw new PayloadError(`unknown Cursor event "${base.event}".`);
  }
}

/**
 * Reads one hook payload. `projectDirEnv` is the agent's project-root variable, when it sets one.
 *
 * @throws PayloadError when the payload is not the documented shape for this client and event.
 */
export function readHookCall(
  client: string,
  event: string,
  text: string,
  options: { env: NodeJS.ProcessEnv; cwd: string; projectDirEnv?: string },
): HookCall {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new PayloadError(
      text.trim() === "" ? "no payload on stdin (expected the agent's hook JSON)." : "the payload is not JSON.",
    );
  }
  if (!isObject(payload)) throw new PayloadError("the payload is not a JSON object.");
  const named = str(payload.hook_event_name);
  if (named !== undefined && named !== event) {
    throw new PayloadError(`the payload is for "${named}", but the hook was installed for "${event}".`);
  }
  const roots = Array.isArray(payload.workspace_roots) ? payload.workspace_roots : [];
  const projectDir = path.resolve(
    (options.projectDirEnv !== undefined ? str(options.env[options.projectDirEnv]) : undefined) ??
      str(roots[0]) ??
      str(payload.cwd) ??
      options.cwd,
  );
  const base: Base = { client, event };
  const session = str(payload.session_id) ?? str(payload.conversation_id);
  if (session !== undefined) base.session = session;
  return client === "cursor" ? cursorCall(base, payload, projectDir) : toolCall(base, payload, projectDir);
}
