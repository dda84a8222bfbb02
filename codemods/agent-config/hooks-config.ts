/**
 * The hooks installer: writes `governor-init hook <client> <event>` into coding agents' own hook
 * configs (see `templates/hook-clients.ts`), editing existing files in place with jsonc-parser so
 * comments, formatting and the user's other hooks survive. A second identical run changes no byte.
 * Uninstall restores the file byte for byte when it still holds exactly what install wrote (the
 * content before is kept in `.governor/hooks-state.json`), and otherwise removes only the entries
 * install added.
 *
 * Anything exported here is public API of the installer engine.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { applyEdits, findNodeAtLocation, modify, parse as parseJsonc, parseTree, type ParseError } from "jsonc-parser";
import { createTwoFilesPatch } from "diff";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import {
  HOOK_CLIENTS,
  HOOK_LAUNCH,
  type HookClientId,
  type HookClientInfo,
  type HookEventInfo,
} from "../../templates/hook-clients.js";

/** Where an agent's hooks live. */
export type HookScope = "project" | "user";

/** Whether to write Claude Code's `onFailure: "block"`: `auto` asks `claude --version`. */
export type FailClosedSwitchMode = "auto" | "block" | "omit";

/** Options of {@link planHooks}. */
export interface HooksOptions {
  clients: readonly HookClientId[];
  /** Default `project`. */
  scope?: HookScope;
  /** Project root for project scope (and for the state file). */
  projectDir: string;
  /** Register reads too (`--reads` on the hook command, read tools in the matchers). */
  reads?: boolean;
  /** The launcher before `hook <client> <event>`; default `npx -y governor-init`. */
  launcher?: string;
  /** The agent's fail-closed switch (Claude Code's `onFailure`); default `auto`. */
  failClosedSwitch?: FailClosedSwitchMode;
  /** Environment for HOME; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** What installing into (or uninstalling from) one agent would do. */
export interface HooksResult {
  client: HookClientId;
  clientName: string;
  scope: HookScope;
  path: string;
  /** `create`/`update`/`remove` change the file; `unchanged`: nothing to do; `error`: left alone. */
  status: "create" | "update" | "remove" | "unchanged" | "error";
  reason?: string;
  /** Notes the user should read (a fail-closed switch not written, and why). */
  notes: string[];
  diff?: string;
  /** The hook commands written (install) or removed (uninstall). */
  commands: string[];
  /** @internal the new content; `null` deletes the file. */
  newContent?: string | null;
  /** @internal the content before. */
  before?: string | null;
}

/** A computed install or uninstall, ready for {@link applyHooks}. */
export interface HooksPlan {
  kind: "install" | "uninstall";
  results: HooksResult[];
  statePath: string;
}

/** The command an entry runs: `<launcher> hook <client> <event>[ --reads]`. */
export function hookCommand(launcher: string, client: string, event: string, reads: boolean): string {
  return `${launcher} hook ${client} ${event}${reads ? " --reads" : ""}`;
}

/** Whether a command is one of ours for this client and event (any launcher, with or without --reads). */
export function isOurCommand(command: unknown, client: string, event: string): boolean {
  if (typeof command !== "string") return false;
  return new RegExp(`(^|\\s)hook ${client} ${event}(\\s+--reads)?\\s*$`).test(command);
}

function expandHome(template: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  return template.startsWith("~/") ? path.join(home, template.slice(2)) : template;
}

/** The hooks file of a client at a scope. */
export function hooksConfigPath(
  client: HookClientInfo,
  scope: HookScope,
  projectDir: string,
  env: NodeJS.ProcessEnv,
): string {
  return scope === "project" ? path.resolve(projectDir, client.project) : expandHome(client.user, env);
}

function statePathFor(scope: HookScope, projectDir: string, env: NodeJS.ProcessEnv): string {
  const base = scope === "project" ? path.resolve(projectDir) : env.HOME || env.USERPROFILE || homedir();
  return path.join(base, ".governor", "hooks-state.json");
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function detectFormatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith("\t")) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

/** Parses a hooks file; throws when it is not a JSON object (the file is then left alone). */
function parseConfig(text: string, client: HookClientInfo): Json {
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !isObject(root)) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `the ${client.name} hooks file is not a valid JSON object; left it alone.`,
    );
  }
  if (root.hooks !== undefined && !isObject(root.hooks)) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `"hooks" in the ${client.name} config is not an object; left it alone.`,
    );
  }
  return root;
}

/** The entry (a hook command object) for one event. */
function hookEntry(client: HookClientInfo, command: string, onFailure: boolean): Json {
  const entry: Json = client.layout === "matcher-group" ? { type: "command", command } : { command };
  for (const [key, value] of Object.entries(client.entryFields)) if (!(key in entry)) entry[key] = value;
  if (onFailure && client.failClosedSwitch) entry[client.failClosedSwitch.key] = client.failClosedSwitch.value;
  return entry;
}

/** What goes into `hooks.<event>`'s array: a matcher group, or the entry itself. */
function eventElement(client: HookClientInfo, event: HookEventInfo, entry: Json, reads: boolean): Json {
  if (client.layout === "flat") return entry;
  const matcher = reads && event.readMatcher ? `${event.matcher}|${event.readMatcher}` : event.matcher!;
  return { matcher, hooks: [entry] };
}

/** Where our element sits in `hooks.<event>`, if anywhere. */
function findOurs(list: unknown, client: HookClientInfo, event: string): number {
  if (!Array.isArray(list)) return -1;
  return list.findIndex((element) => {
    if (!isObject(element)) return false;
    if (client.layout === "flat") return isOurCommand(element.command, client.id, event);
    return (
      Array.isArray(element.hooks) &&
      element.hooks.length === 1 &&
      isObject(element.hooks[0]) &&
      isOurCommand(element.hooks[0].command, client.id, event)
    );
  });
}

function versionAtLeast(found: string, wanted: string): boolean {
  const a = found.split(".").map(Number);
  const b = wanted.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Whether to write the client's fail-closed switch, with a note when it is left out. */
function resolveFailClosedSwitch(
  client: HookClientInfo,
  mode: FailClosedSwitchMode,
  env: NodeJS.ProcessEnv,
): { write: boolean; note?: string } {
  const sw = client.failClosedSwitch;
  if (!sw) return { write: false };
  if (mode === "block") return { write: true };
  if (mode === "omit") return { write: false };
  // Its docs do not say what an older version does with a key it does not know: write it only when
  // the installed version is known to read it.
  const probe = spawnSync(sw.versionCommand, ["--version"], { encoding: "utf8", timeout: 5000, env });
  const version = /(\d+\.\d+\.\d+)/.exec(probe.stdout ?? "")?.[1];
  if (version !== undefined && versionAtLeast(version, sw.since)) return { write: true };
  const why =
    version === undefined
      ? `\`${sw.versionCommand} --version\` did not answer, so its version is unknown`
      : `${client.name} ${version} predates it`;
  return {
    write: false,
    note: `${sw.key}: "${sw.value}" (${client.name} ${sw.since}+) not written: ${why}. Without it a hook that cannot start lets the action run; rerun with --on-failure block once ${client.name} is ${sw.since} or later.`,
  };
}

/**
 * Appends a value as the last member of the object or array at `containerPath`, on its own line,
 * indented like its siblings (`key` for objects). jsonc-parser's formatter re-formats the lines
 * around an insertion, which would reflow a sibling written on one line; this touches no byte of
 * existing members. Undefined when the layout is unusual (empty or one-line container): the caller
 * falls back to jsonc-parser's `modify`.
 */
function appendMember(
  text: string,
  containerPath: (string | number)[],
  key: string | undefined,
  value: unknown,
): string | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const container = tree ? findNodeAtLocation(tree, containerPath) : undefined;
  const last = container?.children?.[container.children.length - 1];
  if (!container || !last || container.type !== (key === undefined ? "array" : "object")) return undefined;
  const close = container.offset + container.length - 1;
  const lineStart = text.lastIndexOf("\n", last.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lastEnd = last.offset + last.length;
  const eolIndex = text.indexOf("\n", lastEnd);
  const lineEnd = eolIndex === -1 ? text.length : text[eolIndex - 1] === "\r" ? eolIndex - 1 : eolIndex;
  const comma = /^\s*,/.test(text.slice(lastEnd, lineEnd));
  if (close < lineEnd) {
    // The container closes on the last member's line (`[{ … }]`): add the member on that line too.
    const inline = JSON.stringify(value, null, 1).replace(/\n\s*/g, " ");
    const member = `${key === undefined ? "" : `${JSON.stringify(key)}: `}${inline}`;
    if (!comma) return `${text.slice(0, lastEnd)}, ${member}${text.slice(lastEnd)}`;
    const afterComma = text.indexOf(",", lastEnd) + 1;
    return `${text.slice(0, afterComma)} ${member},${text.slice(afterComma)}`;
  }
  if (text.slice(lineStart, last.offset).trim() !== "") return undefined;
  const { insertSpaces, tabSize, eol } = detectFormatting(text);
  const unit = insertSpaces ? " ".repeat(tabSize) : "\t";
  const body = JSON.stringify(value, null, unit)
    .split("\n")
    .join(eol + indent);
  const member = `${eol}${indent}${key === undefined ? "" : `${JSON.stringify(key)}: `}${body}${comma ? "," : ""}`;
  return text.slice(0, lastEnd) + (comma ? "" : ",") + text.slice(lastEnd, lineEnd) + member + text.slice(lineEnd);
}

function insertInto(text: string, client: HookClientInfo, root: Json, event: HookEventInfo, element: Json): string {
  const fmt = { formattingOptions: detectFormatting(text) };
  const hooks = root.hooks as Json | undefined;
  if (hooks === undefined) {
    return (
      appendMember(text, [], "hooks", { [event.name]: [element] }) ??
      applyEdits(text, modify(text, ["hooks"], { [event.name]: [element] }, fmt))
    );
  }
  const list = hooks[event.name];
  if (list === undefined) {
    return (
      appendMember(text, ["hooks"], event.name, [element]) ??
      applyEdits(text, modify(text, ["hooks", event.name], [element], fmt))
    );
  }
  if (!Array.isArray(list)) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `"hooks.${event.name}" in the ${client.name} config is not an array; left it alone.`,
    );
  }
  return (
    appendMember(text, ["hooks", event.name], undefined, element) ??
    applyEdits(text, modify(text, ["hooks", event.name, list.length], element, { ...fmt, isArrayInsertion: true }))
  );
}

interface PlanContext {
  options: HooksOptions;
  env: NodeJS.ProcessEnv;
  scope: HookScope;
  state: HooksState;
}

/** The fields every result for one client shares: which client, which file, and empty notes. */
function resultBase(client: HookClientInfo, ctx: PlanContext) {
  return {
    client: client.id as HookClientId,
    clientName: client.name,
    scope: ctx.scope,
    path: hooksConfigPath(client, ctx.scope, ctx.options.projectDir, ctx.env),
    notes: [] as string[],
    commands: [] as string[],
  };
}

function planInstallOne(client: HookClientInfo, ctx: PlanContext): HooksResult {
  const base = resultBase(client, ctx);
  const file = base.path;
  try {
    const reads = ctx.options.reads ?? false;
    const launcher = ctx.options.launcher ?? HOOK_LAUNCH;
    const sw = resolveFailClosedSwitch(client, ctx.options.failClosedSwitch ?? "auto", ctx.env);
    if (sw.note) base.notes.push(sw.note);
    const before = existsSync(file) ? readFileSync(file, "utf8") : null;
    const bom = before?.startsWith("\uFEFF") ? "\uFEFF" : "";
    let text = before === null || before.trim() === "" ? "" : before.slice(bom.length);
    if (text === "") {
      text = JSON.stringify({ ...client.fileHeader, hooks: {} }, null, 2) + "\n";
    }
    for (const event of client.events) {
      if (event.readsOnly && !reads) continue;
      const root = parseConfig(text, client);
      const command = hookCommand(launcher, client.id, event.name, reads && event.phase === "pre");
      base.commands.push(command);
      const element = eventElement(client, event, hookEntry(client, command, sw.write), reads);
      const list = (root.hooks as Json | undefined)?.[event.name];
      const at = findOurs(list, client, event.name);
      if (at === -1) {
        text = insertInto(text, client, root, event, element);
      } else if (JSON.stringify((list as unknown[])[at]) !== JSON.stringify(element)) {
        text = applyEdits(
          text,
          modify(text, ["hooks", event.name, at], element, { formattingOptions: detectFormatting(text) }),
        );
      }
    }
    // Without --reads, a read-only event installed earlier with --reads is taken out again.
    if (!reads) {
      for (const event of client.events.filter((e) => e.readsOnly)) text = removeOurs(text, client, event);
    }
    const after = bom + text;
    if (after === before) return { ...base, status: "unchanged" };
    const diff = createTwoFilesPatch(file, file, before ?? "", after, "", "", { context: 3 });
    return { ...base, status: before === null ? "create" : "update", diff, newContent: after, before };
  } catch (error) {
    const reason = error instanceof GovernorInitError ? error.message : String(error);
    return { ...base, status: "error", reason };
  }
}

function removeOurs(text: string, client: HookClientInfo, event: HookEventInfo): string {
  const root = parseConfig(text, client);
  const hooks = root.hooks as Json | undefined;
  const list = hooks?.[event.name];
  const at = findOurs(list, client, event.name);
  if (at === -1) return text;
  const fmt = { formattingOptions: detectFormatting(text) };
  // Our element was the only one: take the event key out; the last event: take "hooks" out too when it was ours alone.
  if ((list as unknown[]).length === 1) {
    const others = Object.keys(hooks!).filter((k) => k !== event.name);
    if (others.length === 0 && Object.keys(root).every((k) => k === "hooks" || k in (client.fileHeader ?? {}))) {
      return applyEdits(text, modify(text, ["hooks"], {}, fmt));
    }
    return applyEdits(text, modify(text, ["hooks", event.name], undefined, fmt));
  }
  return applyEdits(text, modify(text, ["hooks", event.name, at], undefined, fmt));
}

function planUninstallOne(client: HookClientInfo, ctx: PlanContext): HooksResult {
  const base = resultBase(client, ctx);
  const file = base.path;
  if (!existsSync(file)) return { ...base, status: "unchanged" };
  try {
    const before = readFileSync(file, "utf8");
    const recorded = ctx.state.files[file];
    if (recorded !== undefined && recorded.after === before) {
      // Still exactly what install wrote: put back exactly what was there.
      const diff = createTwoFilesPatch(file, file, before, recorded.before ?? "", "", "", { context: 3 });
      return { ...base, status: "remove", diff, newContent: recorded.before, before };
    }
    const bom = before.startsWith("\uFEFF") ? "\uFEFF" : "";
    let text = before.slice(bom.length);
    for (const event of client.events) {
      const next = removeOurs(text, client, event);
      if (next !== text) base.commands.push(event.name);
      text = next;
    }
    const after = bom + text;
    if (after === before) return { ...base, status: "unchanged" };
    const diff = createTwoFilesPatch(file, file, before, after, "", "", { context: 3 });
    return { ...base, status: "remove", diff, newContent: after, before };
  } catch (error) {
    const reason = error instanceof GovernorInitError ? error.message : String(error);
    return { ...base, status: "error", reason };
  }
}

/** What install recorded, per config file: the content before and after. */
interface HooksState {
  version: 1;
  files: Record<string, { before: string | null; after: string; createdDirs: string[] }>;
}

function readState(file: string): HooksState {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as HooksState;
    if (parsed.version === 1 && isObject(parsed.files)) return parsed;
  } catch {
    // No state yet (or unreadable): uninstall falls back to removing our entries.
  }
  return { version: 1, files: {} };
}

function resolveClients(ids: readonly string[]): HookClientInfo[] {
  return ids.map((id) => {
    const client = HOOK_CLIENTS.find((c) => c.id === id);
    if (!client) {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Unknown client "${id}".`, {
        suggestion: `Use one of: ${HOOK_CLIENTS.map((c) => c.id).join(", ")}, all.`,
      });
    }
    return client as HookClientInfo;
  });
}

/** Computes what `hooks install` or `hooks uninstall` would do, reading but never writing files. */
export function planHooks(kind: "install" | "uninstall", options: HooksOptions): HooksPlan {
  const env = options.env ?? process.env;
  const scope = options.scope ?? "project";
  if (options.launcher !== undefined && (options.launcher.trim() === "" || /[\r\n]/.test(options.launcher))) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "The hook launcher must be one non-empty line.", {
      suggestion: 'For example --command "governor-init" (installed globally) or --command "npx -y governor-init".',
    });
  }
  const statePath = statePathFor(scope, options.projectDir, env);
  const ctx: PlanContext = { options, env, scope, state: readState(statePath) };
  const results = resolveClients(options.clients).map((client) =>
    kind === "install" ? planInstallOne(client, ctx) : planUninstallOne(client, ctx),
  );
  return { kind, results, statePath };
}

function missingDirs(file: string): string[] {
  const dirs: string[] = [];
  let dir = path.dirname(file);
  while (!existsSync(dir)) {
    dirs.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirs;
}

/** Writes a plan (each file atomically) and records install state for an exact uninstall. */
export function applyHooks(plan: HooksPlan): HooksResult[] {
  const state = readState(plan.statePath);
  let stateChanged = false;
  for (const result of plan.results) {
    if (result.newContent === undefined || result.status === "unchanged" || result.status === "error") continue;
    if (result.newContent === null) {
      rmSync(result.path);
      // Take out the directories install created, when they are empty again.
      for (const dir of state.files[result.path]?.createdDirs ?? []) {
        if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
      }
    } else {
      const created = missingDirs(result.path);
      writeFileAtomic(result.path, result.newContent);
      if (plan.kind === "install") {
        const previous = state.files[result.path];
        // Keep the original "before" across updates, so uninstall still restores the very first state.
        state.files[result.path] = {
          before: previous && previous.after === result.before ? previous.before : (result.before ?? null),
          after: result.newContent,
          createdDirs: previous && previous.after === result.before ? previous.createdDirs : created,
        };
        stateChanged = true;
      }
    }
    if (plan.kind === "uninstall" && state.files[result.path]) {
      delete state.files[result.path];
      stateChanged = true;
    }
  }
  if (stateChanged) {
    if (Object.keys(state.files).length === 0) {
      if (existsSync(plan.statePath)) rmSync(plan.statePath);
    } else {
      mkdirSync(path.dirname(plan.statePath), { recursive: true });
      writeFileAtomic(plan.statePath, JSON.stringify(state, null, 2) + "\n");
    }
  }
  return plan.results.map(({ newContent: _n, before: _b, ...rest }) => rest);
}

/** Plans and applies in one call (`dryRun` only plans). */
export function runHooksConfig(
  kind: "install" | "uninstall",
  options: HooksOptions & { dryRun?: boolean },
): HooksResult[] {
  const plan = planHooks(kind, options);
  if (options.dryRun) return plan.results.map(({ newContent: _n, before: _b, ...rest }) => rest);
  return applyHooks(plan);
}
