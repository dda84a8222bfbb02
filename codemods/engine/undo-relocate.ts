/**
 * Undo after the user edited a file: governor-init's own edits are found again in the current text
 * and taken out, the user's changes are kept.
 *
 * Source files: the edits apply makes are a small set of constructs — an `@governor/sdk` import or
 * `require`, a `governTool(intent, handler)` wrapper, a `govern(target)` wrapper. Undo takes them out
 * structurally (the wrapper becomes its handler or target, whatever the user wrote in the intent since),
 * and trusts that only when it is provably exact and unambiguous:
 *   1. taking them out of the text apply wrote gives back the original bytes exactly, and
 *   2. the current text holds the same number of each construct as the text apply wrote (the user
 *      added or removed none), and the original holds none.
 * Otherwise the file is left alone and each construct is listed (line, what to remove by hand).
 *
 * JSON files (package.json, lockfiles, agent configs): every value apply added or changed is set back,
 * by JSON path, where the current file still holds what apply wrote; a path the user changed since
 * makes the file ambiguous.
 */
import { parse, type ParserPlugin } from "@babel/parser";
import { applyEdits, modify, parse as parseJsonc, type JSONPath } from "jsonc-parser";
import { isDeepStrictEqual } from "node:util";

/** What {@link relocateEdits} found. */
export type RelocateOutcome = { ok: true; text: string } | { ok: false; reason: string; spans: string[] };

/** Takes governor-init's edits (original → applied) out of `current`, or says why it cannot. */
export function relocateEdits(path: string, original: string, applied: string, current: string): RelocateOutcome {
  if (/\.json$/i.test(path) || /(^|\/)\.?[\w-]+rc$/.test(path)) return relocateJson(original, applied, current);
  if (/\.(m|c)?[jt]sx?$/i.test(path)) return relocateSource(path, original, applied, current);
  return { ok: false, reason: "not a file undo can edit around your changes", spans: [] };
}

// --- source files -------------------------------------------------------------------------------------

interface Construct {
  kind: "import" | "governTool" | "govern";
  start: number;
  end: number;
  /** The replacement text (empty for a removed statement). */
  replacement: string;
  /** The removed range ends with its line break (statements). */
  line: number;
  label: string;
}

const SDK_SOURCE = /^@governor\/sdk(\/[\w-]+)?$/;

function plugins(path: string): ParserPlugin[] {
  const list: ParserPlugin[] = ["decorators-legacy", "importAttributes", "topLevelAwait"];
  if (/\.(m|c)?tsx?$/i.test(path)) list.push("typescript");
  if (!/\.(m|c)?ts$/i.test(path)) list.push("jsx");
  return list;
}

type AnyNode = { type: string; start?: number | null; end?: number | null; [key: string]: unknown };

function walk(node: unknown, visit: (node: AnyNode, parent: AnyNode | undefined) => void, parent?: AnyNode): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent);
    return;
  }
  const n = node as AnyNode;
  if (typeof n.type !== "string") return;
  visit(n, parent);
  for (const key of Object.keys(n)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
    walk(n[key], visit, n);
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The statement's range extended over its line break, when it stands on a line of its own. */
function statementRange(text: string, start: number, end: number): [number, number] {
  let s = start;
  while (s > 0 && (text[s - 1] === " " || text[s - 1] === "\t")) s--;
  const atLineStart = s === 0 || text[s - 1] === "\n";
  let e = end;
  while (e < text.length && (text[e] === " " || text[e] === "\t")) e++;
  if (text.startsWith("\r\n", e)) e += 2;
  else if (text[e] === "\n") e += 1;
  else return [start, end];
  return atLineStart ? [s, e] : [start, e];
}

function isSdkRequire(node: AnyNode | undefined): boolean {
  if (!node) return false;
  if (node.type === "AwaitExpression") return isSdkRequire(node.argument as AnyNode);
  if (node.type !== "CallExpression") return false;
  const callee = node.callee as AnyNode;
  const arg = (node.arguments as AnyNode[])[0];
  return (
    ((callee.type === "Identifier" && callee.name === "require") || callee.type === "Import") &&
    arg?.type === "StringLiteral" &&
    SDK_SOURCE.test(arg.value as string)
  );
}

/** Every governor-init construct in `text`, or a parse error. */
function findConstructs(path: string, text: string): Construct[] | Error {
  let ast;
  try {
    ast = parse(text, {
      sourceType: "unambiguous",
      allowReturnOutsideFunction: true,
      allowImportExportEverywhere: true,
      plugins: plugins(path),
    });
  } catch (error) {
    return error as Error;
  }
  const found: Construct[] = [];
  const src = (node: AnyNode) => text.slice(node.start!, node.end!);
  const removeStatement = (node: AnyNode) => {
    const [start, end] = statementRange(text, node.start!, node.end!);
    found.push({
      kind: "import",
      start,
      end,
      replacement: "",
      line: lineOf(text, node.start!),
      label: `remove the line \`${src(node)}\``,
    });
  };
  walk(ast.program, (node) => {
    if (node.type === "ImportDeclaration" && SDK_SOURCE.test((node.source as AnyNode).value as string)) {
      removeStatement(node);
    } else if (
      (node.type === "VariableDeclaration" &&
        (node.declarations as AnyNode[]).length === 1 &&
        isSdkRequire((node.declarations as AnyNode[])[0]!.init as AnyNode)) ||
      (node.type === "ExpressionStatement" && isSdkRequire(node.expression as AnyNode))
    ) {
      removeStatement(node);
    } else if (node.type === "CallExpression") {
      const callee = node.callee as AnyNode;
      const args = node.arguments as AnyNode[];
      if (callee.type !== "Identifier") return;
      if (callee.name === "governTool" && args.length === 2 && args[1]!.type !== "SpreadElement") {
        found.push({
          kind: "governTool",
          start: node.start!,
          end: node.end!,
          replacement: src(args[1]!),
          line: lineOf(text, node.start!),
          label: "unwrap `governTool(…)`: keep its handler (the second argument), drop the call and the intent object",
        });
      } else if (
        callee.name === "govern" &&
        (args.length === 1 || args.length === 2) &&
        args[0]!.type !== "SpreadElement"
      ) {
        found.push({
          kind: "govern",
          start: node.start!,
          end: node.end!,
          replacement: src(args[0]!),
          line: lineOf(text, node.start!),
          label: `unwrap \`${src(node).slice(0, 60)}\` to \`${src(args[0]!).slice(0, 40)}\``,
        });
      }
    }
  });
  return found;
}

/** Takes every construct out, innermost first, re-reading the text after each round. */
function removeConstructs(
  path: string,
  text: string,
): { text: string; counts: Record<Construct["kind"], number> } | Error {
  const counts = { import: 0, governTool: 0, govern: 0 };
  for (let round = 0; round < 1000; round++) {
    const found = findConstructs(path, text);
    if (found instanceof Error) return found;
    if (found.length === 0) return { text, counts };
    // Innermost: constructs that contain no other construct; apply those, from the end.
    const innermost = found.filter((c) => !found.some((o) => o !== c && o.start >= c.start && o.end <= c.end));
    innermost.sort((a, b) => b.start - a.start);
    let out = text;
    let lastStart = Infinity;
    for (const c of innermost) {
      if (c.end > lastStart) continue; // overlaps one already applied this round; next round
      out = out.slice(0, c.start) + c.replacement + out.slice(c.end);
      lastStart = c.start;
      counts[c.kind]++;
    }
    text = out;
  }
  return new Error("too many nested constructs");
}

function relocateSource(path: string, original: string, applied: string, current: string): RelocateOutcome {
  const spansOf = (): string[] => {
    const found = findConstructs(path, current);
    return found instanceof Error ? [] : found.map((c) => `${path}:${c.line}: ${c.label}`);
  };
  const fail = (reason: string): RelocateOutcome => ({ ok: false, reason, spans: spansOf() });
  const inOriginal = findConstructs(path, original);
  if (inOriginal instanceof Error || inOriginal.length > 0) {
    return fail("the file used @governor/sdk before apply, so its edits cannot be told apart");
  }
  const fromApplied = removeConstructs(path, applied);
  if (fromApplied instanceof Error || fromApplied.text !== original) {
    return fail("governor-init's edits in this file cannot be taken out exactly");
  }
  const fromCurrent = removeConstructs(path, current);
  if (fromCurrent instanceof Error) return fail(`it does not parse now (${fromCurrent.message.split("\n")[0]})`);
  for (const kind of ["import", "governTool", "govern"] as const) {
    if (fromCurrent.counts[kind] !== fromApplied.counts[kind]) {
      return fail(
        `it has ${fromCurrent.counts[kind]} ${kind} construct(s) where apply wrote ${fromApplied.counts[kind]}, so which are governor-init's is ambiguous`,
      );
    }
  }
  return { ok: true, text: fromCurrent.text };
}

// --- JSON files ---------------------------------------------------------------------------------------

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON paths where `after` differs from `before`: object keys recursively, anything else as a whole. */
function changedPaths(before: Json, after: Json, at: JSONPath = []): JSONPath[] {
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedPaths(before[key], after[key], [...at, key]));
  }
  return isDeepStrictEqual(before, after) ? [] : [at];
}

function valueAt(doc: Json, path: JSONPath): Json {
  let cursor: Json = doc;
  for (const key of path) {
    if (!isObject(cursor)) return undefined;
    cursor = cursor[key as string];
  }
  return cursor;
}

function setBack(text: string, paths: JSONPath[], original: Json): string {
  const indent = /\n(\s+)"/.exec(text)?.[1] ?? "  ";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out = text;
  for (const path of paths) {
    const edits = modify(out, path, valueAt(original, path), {
      formattingOptions: {
        insertSpaces: !indent.includes("\t"),
        tabSize: indent.includes("\t") ? 1 : indent.length,
        eol,
      },
    });
    out = applyEdits(out, edits);
  }
  return out;
}

function relocateJson(originalText: string, appliedText: string, currentText: string): RelocateOutcome {
  const options = { allowTrailingComma: true };
  const original = parseJsonc(originalText, [], options) as Json;
  const applied = parseJsonc(appliedText, [], options) as Json;
  const current = parseJsonc(currentText, [], options) as Json;
  if (current === undefined) return { ok: false, reason: "it is not valid JSON now", spans: [] };
  const paths = changedPaths(original, applied);
  const spans = paths.map(
    (p) =>
      `${p.join(".")}: ${valueAt(original, p) === undefined ? "remove it" : `set it back to ${JSON.stringify(valueAt(original, p))}`}`,
  );
  const changedByUser = paths.filter((p) => !isDeepStrictEqual(valueAt(current, p), valueAt(applied, p)));
  if (changedByUser.length > 0) {
    return {
      ok: false,
      reason: `you changed what governor-init wrote at ${changedByUser.map((p) => p.join(".")).join(", ")}`,
      spans,
    };
  }
  const check = parseJsonc(setBack(appliedText, paths, original), [], options) as Json;
  if (!isDeepStrictEqual(check, original)) {
    return { ok: false, reason: "governor-init's edits in this file cannot be taken out exactly", spans };
  }
  return { ok: true, text: setBack(currentText, paths, original) };
}
