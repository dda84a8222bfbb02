/**
 * Putting an existing MCP server entry of a coding agent's config behind the governing proxy, and
 * taking it out again: `mcp install --proxy NAME --client C` rewrites the entry's launch from
 * `CMD ARGS…` to `npx -y governor-init proxy --name NAME -- CMD ARGS…`; `--unproxy NAME` gives back
 * `CMD ARGS…`.
 *
 * Only the launch values change (`command` and `args`; opencode's `command` array; Codex's
 * `command =` and `args =` lines), spliced into the file's own text in the style the file already
 * uses, so comments, other keys (`env`, `cwd`), other servers and formatting survive, a second run
 * changes nothing, and proxy-then-unproxy gives back the same bytes. Remote (`url`) entries are
 * refused: the proxy's `--url` mode is for those, by hand.
 */
import { existsSync, readFileSync } from "node:fs";
import { createTwoFilesPatch } from "diff";
import { applyEdits, findNodeAtLocation, modify, parseTree, type Node, type ParseError } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { writeFileAtomic } from "../../core/atomic-write.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { CLIENTS, PROXY_LAUNCH, type ClientId, type ClientInfo } from "../../templates/clients.js";
import { configPath, type Scope } from "./index.js";

/** Options of {@link planProxyEntry}. */
export interface ProxyEntryOptions {
  client: ClientId;
  /** The name of the existing server entry. */
  server: string;
  /** `true`: take the entry out of the proxy (`--unproxy`). */
  undo?: boolean;
  /** Scope; when omitted, project scope where the client has one, else user. */
  scope?: Scope;
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** What proxying (or unproxying) one entry would do. */
export interface ProxyEntryResult {
  client: ClientId;
  clientName: string;
  scope: Scope;
  server: string;
  path?: string;
  /** `update`: the launch changes; `unchanged`: already so; `unavailable`: no config at that scope; `error`: left alone (see reason). */
  status: "update" | "unchanged" | "unavailable" | "error";
  reason?: string;
  diff?: string;
  /** The launch (command and arguments) before and after. */
  before?: string[];
  after?: string[];
  /** @internal the new file content for an update. */
  newContent?: string;
}

/** The launch of the proxy in front of `argv`. */
export function proxiedLaunch(server: string, argv: readonly string[], platform: NodeJS.Platform): string[] {
  const launch = [PROXY_LAUNCH.command, ...PROXY_LAUNCH.args, "--name", server, "--", ...argv];
  // npx is a .cmd shim on Windows and clients spawn without a shell.
  return platform === "win32" ? ["cmd", "/c", ...launch] : launch;
}

/** The launch behind the proxy, when `argv` is a proxied launch; undefined otherwise. */
export function unproxiedLaunch(argv: readonly string[]): string[] | undefined {
  const at = argv.findIndex((arg, i) => arg === PROXY_LAUNCH.args[1] && argv[i + 1] === "proxy");
  if (at === -1) return undefined;
  const marker = argv.indexOf("--", at + 2);
  return marker === -1 ? undefined : argv.slice(marker + 1);
}

function fail(message: string, suggestion?: string): never {
  throw new GovernorInitError(ErrorCodes.UNSUPPORTED_CONFIG, message, suggestion === undefined ? {} : { suggestion });
}

/** Renders a string array like `original` (one line or one element a line; its separators and padding). */
function renderArray(
  values: readonly string[],
  original: string | undefined,
  baseIndent: string,
  unit: string,
): string {
  if (original !== undefined && original.includes("\n") && values.length > 0) {
    const itemIndent = /\n([ \t]*)\S/.exec(original)?.[1] ?? baseIndent + unit;
    const closeIndent = /\n([ \t]*)\]\s*$/.exec(original)?.[1] ?? baseIndent;
    return `[\n${values.map((v) => itemIndent + JSON.stringify(v)).join(",\n")}\n${closeIndent}]`;
  }
  const separator = original !== undefined && /,(?![ \t])/.test(original) && !/,[ \t]/.test(original) ? "," : ", ";
  const padded = original !== undefined && /^\[[ \t]+\S/.test(original) ? " " : "";
  return values.length === 0 ? "[]" : `[${padded}${values.map((v) => JSON.stringify(v)).join(separator)}${padded}]`;
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** The entry's launch, read from the parsed entry. */
function launchOf(client: ClientInfo, entry: Record<string, unknown>, server: string): string[] {
  if (typeof entry.url === "string" || typeof entry.serverUrl === "string") {
    fail(
      `"${server}" is a remote (URL) server; --proxy rewrites command entries only.`,
      `Point the entry at "npx -y governor-init proxy --url <its URL>" by hand (see governor-init proxy --help).`,
    );
  }
  if (client.shape === "opencode-local") {
    if (!stringArray(entry.command) || entry.command.length === 0)
      fail(`"${server}" has no command array; left it alone.`);
    return entry.command;
  }
  if (typeof entry.command !== "string") fail(`"${server}" has no command; left it alone.`);
  if (entry.args !== undefined && !stringArray(entry.args))
    fail(`"${server}".args is not a list of strings; left it alone.`);
  return [entry.command, ...((entry.args as string[] | undefined) ?? [])];
}

function editJson(text: string, client: ClientInfo, server: string, target: (argv: string[]) => string[] | undefined) {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? text.slice(1) : text;
  const errors: ParseError[] = [];
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (!tree || errors.length > 0) fail(`${client.name} config is not valid JSON; left it alone.`);
  const entryNode = findNodeAtLocation(tree, [...client.serversKey, server]);
  if (!entryNode || entryNode.type !== "object") {
    fail(
      `There is no MCP server named "${server}" in the ${client.name} config.`,
      "Check the name (it is the key of the entry).",
    );
  }
  const entry = nodeValue(entryNode) as Record<string, unknown>;
  const before = launchOf(client, entry, server);
  const after = target(before);
  if (after === undefined) return { before, after: before, content: text };
  const unit = /\n([ \t]+)\S/.exec(body)?.[1]?.startsWith("\t") ? "\t" : "  ";
  const indentOf = (node: Node) => /[ \t]*$/.exec(body.slice(body.lastIndexOf("\n", node.offset) + 1, node.offset))![0];
  const edits: Array<{ offset: number; length: number; content: string }> = [];
  const replace = (key: string, values: string[] | string) => {
    const node = findNodeAtLocation(entryNode, [key]);
    if (node === undefined) return false;
    const original = body.slice(node.offset, node.offset + node.length);
    const parent = node.parent!;
    const content =
      typeof values === "string" ? JSON.stringify(values) : renderArray(values, original, indentOf(parent), unit);
    edits.push({ offset: node.offset, length: node.length, content });
    return true;
  };
  let result: string;
  if (client.shape === "opencode-local") {
    replace("command", after);
    result = applyEdits(body, edits);
  } else {
    replace("command", after[0]!);
    const args = after.slice(1);
    const hasArgs = findNodeAtLocation(entryNode, ["args"]) !== undefined;
    if (hasArgs && args.length === 0) {
      // `{ command }` alone was proxied into `{ command, args }`: unproxying removes the key it added.
      result = applyEdits(body, edits);
      const removal = modify(result, [...client.serversKey, server, "args"], undefined, {});
      result = applyEdits(result, removal);
    } else if (hasArgs) {
      replace("args", args);
      result = applyEdits(body, edits);
    } else {
      result = applyEdits(body, edits);
      // Insert `"args": [...]` right after `"command": …` on the same line style.
      const tree2 = parseTree(result, [], { allowTrailingComma: true })!;
      const commandNode = findNodeAtLocation(tree2, [...client.serversKey, server, "command"])!;
      const property = commandNode.parent!;
      const end = property.offset + property.length;
      const keyStart = property.offset;
      const lineStart = result.lastIndexOf("\n", keyStart) + 1;
      const sameLine = /^[ \t]*$/.test(result.slice(lineStart, keyStart));
      const separator = sameLine ? `\n${result.slice(lineStart, keyStart)}` : " ";
      result = `${result.slice(0, end)},${separator}"args": ${renderArray(args, undefined, "", unit)}${result.slice(end)}`;
    }
  }
  return { before, after, content: bom + result };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(
        (node.children ?? []).map((p) => [p.children![0]!.value as string, nodeValue(p.children![1]!)]),
      );
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

const TOML_HEADER = /^[ \t]*\[(?!\[)([^\]]+)\][ \t]*(?:#.*)?$/;

function editToml(text: string, client: ClientInfo, server: string, target: (argv: string[]) => string[] | undefined) {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    fail(`The ${client.name} config does not parse as TOML (${(error as Error).message}); left it alone.`);
  }
  const table = (parsed[client.serversKey[0]!] as Record<string, unknown> | undefined)?.[server];
  if (typeof table !== "object" || table === null) {
    fail(
      `There is no MCP server named "${server}" in the ${client.name} config.`,
      "Check the name ([mcp_servers.NAME]).",
    );
  }
  const before = launchOf(client, table as Record<string, unknown>, server);
  const after = target(before);
  if (after === undefined) return { before, after: before, content: text };
  const lines = text.split(/(?<=\n)/);
  const header = lines.findIndex((line) => {
    const match = TOML_HEADER.exec(line.replace(/\r?\n$/, ""));
    return match !== null && match[1]!.replace(/["'\s]/g, "") === `${client.serversKey[0]}.${server}`;
  });
  if (header === -1) fail(`[${client.serversKey[0]}.${server}] is not written as a table of its own; left it alone.`);
  let end = lines.findIndex((line, i) => i > header && /^[ \t]*\[/.test(line));
  if (end === -1) end = lines.length;
  const find = (key: string) =>
    lines.findIndex((line, i) => i > header && i < end && new RegExp(`^[ \\t]*${key}[ \\t]*=`).test(line));
  const setLine = (index: number, key: string, value: string) => {
    const line = lines[index]!;
    const eol = /\r?\n$/.exec(line)?.[0] ?? "";
    const prefix = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*`).exec(line)![0];
    const rest = line.slice(prefix.length).replace(/\r?\n$/, "");
    const comment = /([ \t]*#[^"'\]]*)$/.exec(rest)?.[1] ?? "";
    lines[index] = `${prefix}${value}${comment}${eol}`;
    return rest.slice(0, rest.length - comment.length);
  };
  const commandLine = find("command");
  const argsLine = find("args");
  if (commandLine === -1) fail(`[${client.serversKey[0]}.${server}] has no command line; left it alone.`);
  setLine(commandLine, "command", JSON.stringify(after[0]));
  const args = after.slice(1);
  if (argsLine !== -1) {
    const original = lines[argsLine]!.replace(/^[^=]*=[ \t]*/, "").replace(/\r?\n$/, "");
    if (
      !original
        .trimEnd()
        .replace(/[ \t]*#.*$/, "")
        .endsWith("]")
    )
      fail(`args of "${server}" spans several lines; left it alone.`);
    if (args.length === 0) lines.splice(argsLine, 1);
    else setLine(argsLine, "args", renderArray(args, original, "", "  "));
  } else if (args.length > 0) {
    const eol = /\r?\n$/.exec(lines[commandLine]!)?.[0] || "\n";
    lines.splice(commandLine + 1, 0, `args = ${renderArray(args, undefined, "", "  ")}${eol}`);
  }
  const content = lines.join("");
  // Verify: only the launch of this entry changed.
  const reparsed = parseToml(content) as Record<string, Record<string, Record<string, unknown>>>;
  const written = reparsed[client.serversKey[0]!]?.[server];
  const { command: _c1, args: _a1, ...restBefore } = table as Record<string, unknown>;
  const { command: _c2, args: _a2, ...restAfter } = written ?? {};
  const othersBefore = {
    ...parsed,
    [client.serversKey[0]!]: { ...(parsed[client.serversKey[0]!] as object), [server]: restBefore },
  };
  const othersAfter = {
    ...reparsed,
    [client.serversKey[0]!]: { ...reparsed[client.serversKey[0]!], [server]: restAfter },
  };
  if (
    written === undefined ||
    JSON.stringify(launchOf(client, written, server)) !== JSON.stringify(after) ||
    JSON.stringify(othersBefore) !== JSON.stringify(othersAfter)
  ) {
    fail(`Could not edit [${client.serversKey[0]}.${server}] safely; left the file alone.`);
  }
  return { before, after, content };
}

/** Computes what proxying (or unproxying) one entry would do, reading but never writing. */
export function planProxyEntry(options: ProxyEntryOptions): ProxyEntryResult {
  const client = CLIENTS.find((c) => c.id === options.client);
  if (!client) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Unknown client "${options.client}".`, {
      suggestion: `Use one of: ${CLIENTS.map((c) => c.id).join(", ")}.`,
    });
  }
  const platform = options.platform ?? process.platform;
  const scope: Scope = options.scope ?? ("project" in client && client.project ? "project" : "user");
  const base = { client: client.id, clientName: client.name, scope, server: options.server };
  const where = configPath(client, scope, {
    projectDir: options.projectDir,
    env: options.env ?? process.env,
    platform,
  });
  if ("reason" in where) return { ...base, status: "unavailable", reason: where.reason };
  if (!existsSync(where.path)) {
    return {
      ...base,
      path: where.path,
      status: "error",
      reason: `${where.path} does not exist: there is no "${options.server}" entry to ${options.undo ? "unproxy" : "proxy"}.`,
    };
  }
  const text = readFileSync(where.path, "utf8");
  const target = (argv: string[]): string[] | undefined => {
    const inner = unproxiedLaunch(argv);
    if (options.undo) return inner;
    return inner === undefined ? proxiedLaunch(options.server, argv, platform) : undefined;
  };
  try {
    const edit =
      client.format === "toml"
        ? editToml(text, client, options.server, target)
        : editJson(text, client, options.server, target);
    if (edit.content === text)
      return { ...base, path: where.path, status: "unchanged", before: edit.before, after: edit.after };
    return {
      ...base,
      path: where.path,
      status: "update",
      before: edit.before,
      after: edit.after,
      diff: createTwoFilesPatch(where.path, where.path, text, edit.content, "", "", { context: 3 }),
      newContent: edit.content,
    };
  } catch (error) {
    return {
      ...base,
      path: where.path,
      status: "error",
      reason: error instanceof GovernorInitError ? error.message : String(error),
    };
  }
}

/** Plans and, unless `dryRun`, writes (atomically) the proxied or unproxied entry. */
export function proxyServerEntry(options: ProxyEntryOptions & { dryRun?: boolean }): ProxyEntryResult {
  const { newContent, ...result } = planProxyEntry(options);
  if (!options.dryRun && result.status === "update" && result.path !== undefined && newContent !== undefined) {
    writeFileAtomic(result.path, newContent);
  }
  return result;
}
