/**
 * The coding-agent config installer: adds the docs MCP server to each client's own config file, in
 * that client's shape (see `templates/clients.ts`), editing existing files in place so comments,
 * formatting and other servers survive. A second identical run changes no byte.
 *
 * Anything exported here is public API of the installer engine.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { applyEdits, findNodeAtLocation, modify, parse as parseJsonc, parseTree, type ParseError } from "jsonc-parser";
import { createTwoFilesPatch } from "diff";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import {
  CLIENTS,
  DEFAULT_SERVER_NAME,
  MCP_LAUNCH,
  type ClientId,
  type ClientInfo,
  type Platform,
} from "../../templates/clients.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import { upsertTomlTable } from "./toml-table.js";

/** Where a client's config lives. */
export type Scope = "project" | "user";

/** Options of {@link planInstall}. */
export interface InstallOptions {
  /** Clients to configure. */
  clients: readonly ClientId[];
  /** Scope; when omitted each client uses project scope if it has one, else user scope. */
  scope?: Scope;
  /** Project root for project scope. */
  projectDir: string;
  /** Server entry name; default `governor`. */
  name?: string;
  /** Replace an existing entry of the same name whose launch differs (otherwise it is reported as a conflict). */
  overwrite?: boolean;
  /** Environment for HOME / XDG_CONFIG_HOME / APPDATA / CODEX_HOME; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Platform whose paths and launch form to use; default `process.platform`. */
  platform?: NodeJS.Platform;
}

/** What installing into one client would do. */
export interface ClientInstallResult {
  client: ClientId;
  clientName: string;
  scope: Scope;
  /** Absolute config path; absent when the client has no config at this scope. */
  path?: string;
  /**
   * `create`: new file; `update`: entry added or replaced in an existing file; `unchanged`: already
   * identical; `unavailable`: no config at this scope/platform; `conflict`: an entry of that name
   * launches something else (pass `overwrite`); `error`: the file could not be edited safely.
   */
  status: "create" | "update" | "unchanged" | "unavailable" | "conflict" | "error";
  /** Human explanation for unavailable / conflict / error. */
  reason?: string;
  /** Unified diff of the change (create/update). */
  diff?: string;
  /** The server entry written (or that would be written). */
  entry?: Record<string, unknown>;
  /** Whether the location is unconfirmed by the client's docs. */
  unconfirmed?: boolean;
  /** @internal new file content for create/update. */
  newContent?: string;
}

/** A computed install, ready for {@link applyInstall}. */
export interface InstallPlan {
  results: ClientInstallResult[];
}

function effectivePlatform(platform: NodeJS.Platform): Platform {
  return platform === "win32" || platform === "darwin" ? platform : "linux";
}

/** Expands a path template from `templates/clients.ts` against an environment. */
export function expandPathTemplate(template: string, env: NodeJS.ProcessEnv, platform: Platform): string {
  const home = (platform === "win32" ? env.USERPROFILE || env.HOME : env.HOME) || homedir();
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  const vars: Record<string, string> = {
    "~": home,
    $XDG_CONFIG_HOME: env.XDG_CONFIG_HOME || join(home, ".config"),
    $APPDATA: env.APPDATA || join(home, "AppData", "Roaming"),
    $CODEX_HOME: env.CODEX_HOME || join(home, ".codex"),
  };
  const [head, ...rest] = template.split("/");
  const base = vars[head!] ?? head!;
  return join(base, ...rest);
}

/** The server entry a client gets, in its shape, for a platform. */
export function serverEntry(client: ClientInfo, platform: NodeJS.Platform): Record<string, unknown> {
  // npx is a .cmd shim on Windows and clients spawn without a shell, so go through cmd /c.
  const argv: string[] =
    platform === "win32"
      ? ["cmd", "/c", MCP_LAUNCH.command, ...MCP_LAUNCH.args]
      : [MCP_LAUNCH.command, ...MCP_LAUNCH.args];
  const [command, ...args] = argv as [string, ...string[]];
  switch (client.shape) {
    case "command-args":
      return { command, args };
    case "typed-stdio":
      return { type: "stdio", command, args };
    case "opencode-local":
      return { type: "local", command: argv, enabled: true };
  }
}

/** Resolves the config path of a client at a scope, or why there is none. */
export function configPath(
  client: ClientInfo,
  scope: Scope,
  options: { projectDir: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform },
): { path: string } | { reason: string } {
  const platform = effectivePlatform(options.platform);
  if (scope === "project") {
    if (!client.project) {
      return { reason: client.noScope?.project ?? `${client.name} has no project-scope config; use --scope user.` };
    }
    const candidates = client.project.map((p) => path.resolve(options.projectDir, p));
    return { path: candidates.find((p) => existsSync(p)) ?? candidates[0]! };
  }
  const template = client.user[platform];
  if (!template) {
    return { reason: client.noScope?.user ?? `${client.name} has no user config on ${platform}.` };
  }
  return { path: expandPathTemplate(template, options.env, platform) };
}

/** Computes what installing into each client would do, reading but never writing files. */
export function planInstall(options: InstallOptions): InstallPlan {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const name = options.name ?? DEFAULT_SERVER_NAME;
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Invalid server name "${name}".`, {
      suggestion: "Use letters, digits, '-' and '_' only (for example --name governor).",
    });
  }
  const results = options.clients.map((id): ClientInstallResult => {
    const client = CLIENTS.find((c) => c.id === id);
    if (!client) {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Unknown client "${id}".`, {
        suggestion: `Use one of: ${CLIENTS.map((c) => c.id).join(", ")}, all.`,
      });
    }
    const scope: Scope = options.scope ?? ("project" in client && client.project ? "project" : "user");
    const base = {
      client: client.id,
      clientName: client.name,
      scope,
      ...("unconfirmed" in client && client.unconfirmed ? { unconfirmed: true } : {}),
    };
    const where = configPath(client, scope, { projectDir: options.projectDir, env, platform });
    if ("reason" in where) return { ...base, status: "unavailable", reason: where.reason };
    const entry = serverEntry(client, platform);
    try {
      const before = existsSync(where.path) ? readFileSync(where.path, "utf8") : undefined;
      const edit =
        client.format === "toml"
          ? editToml(before, client, name, entry, options.overwrite ?? false)
          : editJson(before, client, name, entry, options.overwrite ?? false);
      if (edit.kind === "unchanged") return { ...base, path: where.path, status: "unchanged", entry };
      if (edit.kind === "conflict") {
        return {
          ...base,
          path: where.path,
          status: "conflict",
          entry,
          reason: `An MCP server named "${name}" already exists with a different launch command; pass --yes to replace it, or --name to pick another name.`,
        };
      }
      const diff = createTwoFilesPatch(where.path, where.path, before ?? "", edit.content, "", "", { context: 3 });
      return {
        ...base,
        path: where.path,
        status: before === undefined ? "create" : "update",
        entry,
        diff,
        newContent: edit.content,
      };
    } catch (error) {
      const reason = error instanceof GovernorInitError ? error.message : String(error);
      return { ...base, path: where.path, status: "error", reason };
    }
  });
  return { results };
}

/** Writes every create/update of a plan, each file atomically. Returns the plan's results without content. */
export function applyInstall(plan: InstallPlan): ClientInstallResult[] {
  for (const result of plan.results) {
    if ((result.status === "create" || result.status === "update") && result.path && result.newContent !== undefined) {
      writeFileAtomic(result.path, result.newContent);
    }
  }
  return plan.results.map(({ newContent: _content, ...rest }) => rest);
}

/** Plans and applies in one call (`dryRun` only plans). */
export function installMcpServer(options: InstallOptions & { dryRun?: boolean }): ClientInstallResult[] {
  const plan = planInstall(options);
  if (options.dryRun) return plan.results.map(({ newContent: _content, ...rest }) => rest);
  return applyInstall(plan);
}

type Edit = { kind: "unchanged" } | { kind: "conflict" } | { kind: "write"; content: string };

/** True when every key of `wanted` is deep-equal in `existing` (extra keys the user added, like `env`, are kept). */
function entryMatches(existing: unknown, wanted: Record<string, unknown>): boolean {
  if (typeof existing !== "object" || existing === null || Array.isArray(existing)) return false;
  const record = existing as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => JSON.stringify(record[key]) === JSON.stringify(value));
}

function detectFormatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith("\t")) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function editJson(
  before: string | undefined,
  client: ClientInfo,
  name: string,
  entry: Record<string, unknown>,
  overwrite: boolean,
): Edit {
  if (before === undefined || before.trim() === "") {
    const doc: Record<string, unknown> = {};
    let cursor = doc;
    for (const key of client.serversKey) cursor = cursor[key] = {} as Record<string, unknown>;
    cursor[name] = entry;
    return { kind: "write", content: JSON.stringify(doc, null, 2) + "\n" };
  }
  const bom = before.startsWith("\uFEFF") ? "\uFEFF" : "";
  const text = bom ? before.slice(1) : before;
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `${client.name} config is not valid JSON; left it alone.`,
    );
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `${client.name} config is not a JSON object; left it alone.`,
    );
  }
  let container: unknown = root;
  for (const key of client.serversKey) {
    container = (container as Record<string, unknown> | undefined)?.[key];
    if (container !== undefined && (typeof container !== "object" || container === null || Array.isArray(container))) {
      throw new GovernorInitError(
        ErrorCodes.UNSUPPORTED_CONFIG,
        `"${client.serversKey.join(".")}" in the ${client.name} config is not an object; left it alone.`,
      );
    }
  }
  const existing = (container as Record<string, unknown> | undefined)?.[name];
  if (existing !== undefined) {
    if (entryMatches(existing, entry)) return { kind: "unchanged" };
    if (!overwrite) return { kind: "conflict" };
  }
  const appended = existing === undefined ? appendProperty(text, client.serversKey, name, entry) : undefined;
  if (appended !== undefined) return { kind: "write", content: bom + appended };
  const edits = modify(text, [...client.serversKey, name], entry, { formattingOptions: detectFormatting(text) });
  return { kind: "write", content: bom + applyEdits(text, edits) };
}

/**
 * Appends `"name": value` as the last property of the object at `containerPath`, on its own line,
 * indented like its siblings. jsonc-parser's formatter re-formats whole lines around an insertion,
 * which would reflow a sibling written on one line; this touches no byte of existing properties.
 * Returns undefined when the layout is unusual (empty or one-line object): the caller falls back
 * to jsonc-parser's `modify`.
 */
function appendProperty(
  text: string,
  containerPath: readonly string[],
  name: string,
  value: unknown,
): string | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const container = tree ? findNodeAtLocation(tree, [...containerPath]) : undefined;
  const last = container?.children?.[container.children.length - 1];
  if (!container || container.type !== "object" || !last) return undefined;
  const closeBrace = container.offset + container.length - 1;
  const lineStart = text.lastIndexOf("\n", last.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lastEnd = last.offset + last.length;
  const eolIndex = text.indexOf("\n", lastEnd);
  const lineEnd = eolIndex === -1 ? text.length : text[eolIndex - 1] === "\r" ? eolIndex - 1 : eolIndex;
  // The container must close on a later line, and the last property must start its own line.
  if (closeBrace < lineEnd || text.slice(lineStart, last.offset).trim() !== "") return undefined;
  const afterLast = text.slice(lastEnd, lineEnd);
  const comma = /^\s*,/.test(afterLast);
  const { insertSpaces, tabSize, eol } = detectFormatting(text);
  const unit = insertSpaces ? " ".repeat(tabSize) : "\t";
  const body = JSON.stringify(value, null, unit)
    .split("\n")
    .join(eol + indent);
  const property = `${eol}${indent}${JSON.stringify(name)}: ${body}${comma ? "," : ""}`;
  return text.slice(0, lastEnd) + (comma ? "" : ",") + text.slice(lastEnd, lineEnd) + property + text.slice(lineEnd);
}

function editToml(
  before: string | undefined,
  client: ClientInfo,
  name: string,
  entry: Record<string, unknown>,
  overwrite: boolean,
): Edit {
  const result = upsertTomlTable(before ?? "", [...client.serversKey, name], entry, (existing) =>
    entryMatches(existing, entry) ? "keep" : overwrite ? "replace" : "conflict",
  );
  return result;
}
