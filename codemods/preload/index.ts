/**
 * The preload transform: zero source edits. It adds `NODE_OPTIONS="--import @governor/sdk/register"`
 * (`--require` in CommonJS packages) to the package.json `start`/`dev` scripts (and `start:*`, `dev:*`,
 * `serve`) that launch Node (`node`, `tsx`, `ts-node`, `nodemon`, `next`, `mastra`, …), so the SDK is
 * evaluated before the application. The JSON is edited in place with jsonc-parser: only the edited
 * script strings change; indentation, key order and the rest of the file stay byte-identical.
 *
 * Cross-platform: when the package already depends on `cross-env`, the assignment goes through it;
 * otherwise the POSIX `NODE_OPTIONS=… node x` form is written and a warning says Windows shells need
 * `cross-env`.
 */
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type ParseError } from "jsonc-parser";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import type { EditRecord, ModuleSystem } from "../types.js";
import { lineAt } from "../shared/source.js";
import { REGISTER_MODULE, preloadNodeOption } from "../../templates/snippets/enable.js";

/** Programs that start a Node process whose `NODE_OPTIONS` a preload reaches. */
export const NODE_RUNNERS = new Set([
  "node",
  "tsx",
  "ts-node",
  "ts-node-esm",
  "ts-node-dev",
  "tsnd",
  "nodemon",
  "node-dev",
  "next",
  "mastra",
]);

/** Script names the preload applies to. */
export function isStartScriptName(name: string): boolean {
  return /^(?:start|dev|serve)(?::.*)?$/.test(name);
}

/** One command of a script line (`a && b` has two), with its offsets in the script string. */
interface Segment {
  start: number;
  end: number;
  tokens: { text: string; start: number; end: number }[];
}

function segmentsOf(command: string): Segment[] {
  const segments: Segment[] = [];
  let tokens: Segment["tokens"] = [];
  let segStart = 0;
  let i = 0;
  const close = (end: number) => {
    segments.push({ start: segStart, end, tokens });
    tokens = [];
  };
  while (i < command.length) {
    const ch = command[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "&" || ch === "|" || ch === ";") {
      close(i);
      while (i < command.length && /[&|;]/.test(command[i]!)) i++;
      segStart = i;
      continue;
    }
    const start = i;
    let quote: string | undefined;
    while (i < command.length) {
      const c = command[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c) || c === "&" || c === "|" || c === ";") break;
      i++;
    }
    tokens.push({ text: command.slice(start, i), start, end: i });
  }
  close(command.length);
  return segments.filter((s) => s.tokens.length > 0);
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const LAUNCHERS = new Set(["npx", "exec", "pnpx", "bunx", "dotenv", "--"]);
/** Node flags that take the next token as their value. */
const VALUE_FLAGS = new Set([
  "--import",
  "--require",
  "-r",
  "--loader",
  "--experimental-loader",
  "--env-file",
  "--inspect-port",
  "--conditions",
  "-C",
  "--exec",
  "--watch-path",
]);

/** What a script command launches: the runner and, when it can be read, the entry file. */
export interface ScriptLaunch {
  runner: string;
  /** The entry file argument, e.g. `src/server.ts` (absent for `next dev` or `node -e`). */
  entry?: string;
  /** The command already preloads the SDK (`NODE_OPTIONS` or `--import`/`--require`). */
  preloaded: boolean;
}

function launchOf(segment: Segment, whole: string): ScriptLaunch | undefined {
  const tokens = segment.tokens;
  let i = 0;
  while (
    i < tokens.length &&
    (ENV_ASSIGNMENT.test(tokens[i]!.text) ||
      tokens[i]!.text === "cross-env" ||
      LAUNCHERS.has(tokens[i]!.text) ||
      (tokens[i]!.text.startsWith("-") && i > 0 && LAUNCHERS.has(tokens[i - 1]!.text)))
  )
    i++;
  const runnerToken = tokens[i];
  if (!runnerToken) return undefined;
  const runner = runnerToken.text.replace(/^.*\//, "");
  if (!NODE_RUNNERS.has(runner)) return undefined;
  const preloaded = whole.slice(segment.start, segment.end).includes(REGISTER_MODULE);
  let entry: string | undefined;
  for (let j = i + 1; j < tokens.length; j++) {
    const text = tokens[j]!.text;
    if (text === "-e" || text === "--eval" || text === "-p") break;
    if (VALUE_FLAGS.has(text)) {
      j++;
      continue;
    }
    if (text.startsWith("-")) continue;
    if (
      (runner === "tsx" || runner === "next" || runner === "mastra") &&
      /^(?:watch|dev|start|build|serve)$/.test(text)
    )
      continue;
    entry = text.replace(/^["']|["']$/g, "");
    break;
  }
  return { runner, entry, preloaded };
}

/** Reads what a package.json script launches (every Node-launching command in it). */
export function scriptLaunches(command: string): ScriptLaunch[] {
  return segmentsOf(command)
    .map((segment) => launchOf(segment, command))
    .filter((launch): launch is ScriptLaunch => launch !== undefined);
}

/** Options of {@link preloadPackageJson}. */
export interface PreloadOptions {
  /** The package's module system: `--import` for ESM, `--require` for CommonJS. */
  moduleSystem: ModuleSystem;
  /** Write the assignment through `cross-env` (the package already depends on it). */
  crossEnv: boolean;
}

/** Result of {@link preloadPackageJson}. `text` is unchanged and `edits` empty when nothing was needed. */
export interface PreloadResult {
  text: string;
  edits: EditRecord[];
  warnings: { line: number; message: string }[];
}

function withNodeOptions(command: string, segment: Segment, option: string, crossEnv: boolean): string {
  const existing = segment.tokens.find((t) => t.text.startsWith("NODE_OPTIONS="));
  if (existing) {
    const value = existing.text.slice("NODE_OPTIONS=".length).replace(/^(["'])(.*)\1$/, "$2");
    const merged = `NODE_OPTIONS="${option}${value ? ` ${value}` : ""}"`;
    return command.slice(0, existing.start) + merged + command.slice(existing.end);
  }
  const assignment = `NODE_OPTIONS="${option}"`;
  const first = segment.tokens[0]!;
  if (first.text === "cross-env") return command.slice(0, first.end) + ` ${assignment}` + command.slice(first.end);
  const prefix = crossEnv ? `cross-env ${assignment} ` : `${assignment} `;
  return command.slice(0, first.start) + prefix + command.slice(first.start);
}

/**
 * Adds the SDK preload to a package.json's start/dev scripts (see the module comment). Throws
 * INVALID_INPUT when the file is not valid JSON (nothing is written).
 */
export function preloadPackageJson(text: string, options: PreloadOptions): PreloadResult {
  const errors: ParseError[] = [];
  const pkg = parse(text, errors, { allowTrailingComma: true }) as { scripts?: Record<string, unknown> } | undefined;
  if (errors.length > 0 || !pkg || typeof pkg !== "object") {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "package.json is not valid JSON", {
      suggestion: "Fix package.json, then run governor-init again.",
    });
  }
  const tree = parseTree(text);
  const option = preloadNodeOption(options.moduleSystem);
  const edits: EditRecord[] = [];
  const warnings: PreloadResult["warnings"] = [];
  let out = text;
  for (const [name, command] of Object.entries(pkg.scripts ?? {})) {
    if (!isStartScriptName(name) || typeof command !== "string") continue;
    const node = tree && findNodeAtLocation(tree, ["scripts", name]);
    const line = node ? lineAt(text, node.offset) : 1;
    let next = command;
    // Right to left, so earlier segments' offsets stay valid.
    const segments = segmentsOf(command).reverse();
    let touched = false;
    for (const segment of segments) {
      const launch = launchOf(segment, command);
      if (!launch || launch.preloaded) continue;
      next = withNodeOptions(next, segment, option, options.crossEnv);
      touched = true;
    }
    if (!touched) {
      if (scriptLaunches(command).length === 0 && !command.includes(REGISTER_MODULE)) {
        warnings.push({
          line,
          message: `script "${name}" does not launch Node directly; add NODE_OPTIONS="${option}" where it starts the server`,
        });
      }
      continue;
    }
    const formatting = { insertSpaces: true, tabSize: 2 };
    out = applyEdits(out, modify(out, ["scripts", name], next, { formattingOptions: formatting }));
    edits.push({ kind: "preload", line, description: `script "${name}": NODE_OPTIONS="${option}"` });
  }
  if (edits.length > 0 && !options.crossEnv) {
    warnings.push({
      line: edits[0]!.line,
      message:
        "The NODE_OPTIONS=… prefix is POSIX shell syntax; on Windows (cmd.exe) install cross-env and run governor-init again, or set NODE_OPTIONS in the environment.",
    });
  }
  return { text: out, edits, warnings };
}

/** True when a package.json's start/dev scripts preload the SDK. */
export function scriptsPreload(scripts: Record<string, unknown> | undefined): boolean {
  return Object.entries(scripts ?? {}).some(
    ([name, command]) => isStartScriptName(name) && typeof command === "string" && command.includes(REGISTER_MODULE),
  );
}
