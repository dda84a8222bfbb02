/**
 * Adding the SDK's imports to a file, surgically: merge into an existing import or `require`
 * destructuring when there is one, else insert a new statement in the right place, in the file's own
 * line ending, quote style and semicolon habit.
 *
 * Both helpers return {@link TextEdit}s for `applyTextEdits`; an empty array means nothing to do.
 */
import type {
  CallExpression,
  Comment,
  File,
  ImportDeclaration,
  Node,
  ObjectPattern,
  Statement,
  VariableDeclaration,
} from "@babel/types";
import type { ModuleSystem } from "../types.js";
import { codeStart, lineEnding, type TextEdit } from "./source.js";

/** Options of {@link ensureSdkImport}. */
export interface EnsureSdkImportOptions {
  /** The module to import from, e.g. `@governor/sdk`. */
  module: string;
  /** Value names the file needs, e.g. `["govern"]`, `["governTool"]`. */
  names: readonly string[];
  /** How the file is evaluated. A file that already uses `import` syntax gets `import` either way. */
  moduleSystem: ModuleSystem;
}

/** Options of {@link ensureSideEffectImport}. */
export interface EnsureSideEffectImportOptions {
  /** The module evaluated for its side effect, e.g. `@governor/sdk/register`. */
  module: string;
  /** How the file is evaluated. A file that already uses `import` syntax gets `import` either way. */
  moduleSystem: ModuleSystem;
}

/** Facts about a file's style that inserted code should copy. */
interface FileStyle {
  eol: "\r\n" | "\n";
  quote: '"' | "'";
  semi: string;
  usesImportSyntax: boolean;
}

function isRequireCall(node: Node | null | undefined, module?: string): node is CallExpression {
  if (!node || node.type !== "CallExpression") return false;
  if (node.callee.type !== "Identifier" || node.callee.name !== "require") return false;
  const arg = node.arguments[0];
  if (!arg || arg.type !== "StringLiteral") return false;
  return module === undefined || arg.value === module;
}

/** The `require(...)` call a top-level statement evaluates, if it is a plain require statement. */
function requireOf(statement: Statement): CallExpression | undefined {
  if (statement.type === "ExpressionStatement" && isRequireCall(statement.expression)) return statement.expression;
  if (statement.type === "VariableDeclaration") {
    for (const decl of statement.declarations) {
      let init: Node | null | undefined = decl.init;
      // `const x = require("a").x` and `const x = require("a")(opts)`
      while (init && (init.type === "MemberExpression" || (init.type === "CallExpression" && !isRequireCall(init)))) {
        init = init.type === "MemberExpression" ? init.object : (init as CallExpression).callee;
      }
      if (isRequireCall(init)) return init;
    }
  }
  return undefined;
}

function styleOf(ast: File, source: string): FileStyle {
  const body = ast.program.body;
  const imports = body.filter((s): s is ImportDeclaration => s.type === "ImportDeclaration");
  const usesImportSyntax =
    imports.length > 0 ||
    body.some(
      (s) =>
        s.type === "ExportNamedDeclaration" ||
        s.type === "ExportDefaultDeclaration" ||
        s.type === "ExportAllDeclaration",
    );
  let quote: '"' | "'" = '"';
  let semi = ";";
  const sample: Statement | undefined = imports[0] ?? body.find((s) => requireOf(s) !== undefined);
  if (sample) {
    const literal = sample.type === "ImportDeclaration" ? sample.source : requireOf(sample)!.arguments[0]!;
    if (source[literal.start!] === "'") quote = "'";
    semi = source[sample.end! - 1] === ";" ? ";" : "";
  } else if (body.length > 0) {
    // No import to copy from: follow the file's first statement's habit.
    const first = body[0]!;
    semi = source[first.end! - 1] === ";" || first.type !== "ExpressionStatement" ? ";" : "";
    const firstString = /(["'])(?:\\.|(?!\1)[^\\\n])*\1/.exec(source.slice(codeStart(source)));
    if (firstString?.[1] === "'") quote = "'";
  }
  return { eol: lineEnding(source), quote, semi, usesImportSyntax };
}

function quoted(value: string, quote: '"' | "'"): string {
  return quote + value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`) + quote;
}

/**
 * Where code placed "first thing" in a file goes: after a BOM and shebang, after directives
 * (`"use client"`, `"use strict"`), and after a leading comment header (a license block or file
 * comment separated from the code by a blank line, or a tool pragma such as `// @ts-check`, which
 * only works above all code). A comment directly above the first statement belongs to that
 * statement and stays with it.
 *
 * Returns the offset and whether the inserted text must start with a line break (inserting after a
 * node on the same line) or end with one (inserting at the start of a line).
 */
const PRAGMA =
  /^\s*\*?\s*(?:@ts-check|@ts-nocheck|@flow|@noflow|@jsx\b|@jsxImportSource|@jsxRuntime|@jsxFrag|@jest-environment|@vitest-environment|@license|@preserve|eslint-disable|eslint-env|global\s|globals\s|jshint|prettier-ignore|#region)/m;

function topInsertionPoint(ast: File, source: string): { at: number; breakBefore: boolean } {
  const directives = ast.program.directives;
  if (directives.length > 0) return { at: directives[directives.length - 1]!.end!, breakBefore: true };
  const start = codeStart(source);
  const firstStatement = ast.program.body[0];
  const limit = firstStatement ? firstStatement.start! : source.length;
  const comments: Comment[] = (ast.comments ?? []).filter((c) => c.start! >= start && c.end! <= limit);
  let headerEnd = -1;
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i]!;
    const nextStart = comments[i + 1]?.start ?? limit;
    const gap = source.slice(comment.end!, nextStart);
    // Only whitespace may separate leading comments from each other; anything else is code.
    if (/\S/.test(gap)) break;
    const breaks = gap.split("\n").length - 1;
    if (breaks >= 2 || (nextStart === source.length && breaks >= 1) || PRAGMA.test(comment.value)) {
      headerEnd = comment.end!;
    }
  }
  if (headerEnd >= 0) return { at: headerEnd, breakBefore: true };
  return { at: start, breakBefore: false };
}

/** Text of a new statement placed at a point: with the line break on the correct side. */
function statementAt(point: { at: number; breakBefore: boolean }, statement: string, eol: string): TextEdit {
  const text = point.breakBefore ? eol + statement : statement + eol;
  return { start: point.at, end: point.at, text };
}

/** The imported name of an import specifier (`a` in `{ a as b }`), or undefined for default/namespace. */
function importedName(spec: ImportDeclaration["specifiers"][number]): string | undefined {
  if (spec.type !== "ImportSpecifier") return undefined;
  return spec.imported.type === "Identifier" ? spec.imported.name : spec.imported.value;
}

/**
 * The local names under which a file already has value bindings from `module`: imported name →
 * local name (`{ govern as g }` gives `govern → g`). Reads `import { … }` (not `import type`) and
 * top-level `const { … } = require(module)`. Transforms use it to call the SDK by the file's own alias.
 */
export function sdkBindings(ast: File, module: string): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const statement of ast.program.body) {
    if (statement.type === "ImportDeclaration") {
      if (statement.source.value !== module || statement.importKind === "type" || statement.importKind === "typeof")
        continue;
      for (const spec of statement.specifiers) {
        if (spec.type !== "ImportSpecifier" || spec.importKind === "type" || spec.importKind === "typeof") continue;
        const name = importedName(spec)!;
        if (!bindings.has(name)) bindings.set(name, spec.local.name);
      }
    } else if (statement.type === "VariableDeclaration") {
      for (const decl of statement.declarations) {
        if (decl.id.type !== "ObjectPattern" || !isRequireCall(decl.init, module)) continue;
        for (const prop of decl.id.properties) {
          if (prop.type !== "ObjectProperty" || prop.computed || prop.key.type !== "Identifier") continue;
          if (prop.value.type === "Identifier" && !bindings.has(prop.key.name))
            bindings.set(prop.key.name, prop.value.name);
        }
      }
    }
  }
  return bindings;
}

/**
 * Text edits inserting `names` after the last element of a braced list (`{ a, b }`), one per line
 * when the list is written one per line.
 */
function appendToList(
  source: string,
  openBrace: number,
  lastElementEnd: number,
  firstElementStart: number,
  names: readonly string[],
  eol: string,
): TextEdit {
  const lead = source.slice(openBrace + 1, firstElementStart);
  const multiline = lead.includes("\n");
  const indent = multiline ? lead.slice(lead.lastIndexOf("\n") + 1) : "";
  const separator = multiline ? `,${eol}${indent}` : ", ";
  return { start: lastElementEnd, end: lastElementEnd, text: names.map((n) => separator + n).join("") };
}

/**
 * Makes `names` available from `module` in a file: merges them into an existing value import
 * (`import { x } from "module"`, keeping aliases; `import type { … }` is never merged into) or
 * `const { x } = require("module")` destructuring; otherwise inserts a new `import { … } from` (ESM,
 * or any file already using `import` syntax) or `const { … } = require(…)` (CommonJS) after the last
 * top-level import/require, or at the top after directives and a leading comment header.
 *
 * Names already imported (under any alias) are not added again; use {@link sdkBindings} to learn the
 * local name to call. Returns no edits when everything is there.
 */
export function ensureSdkImport(ast: File, source: string, options: EnsureSdkImportOptions): TextEdit[] {
  const present = sdkBindings(ast, options.module);
  const missing = [...new Set(options.names)].filter((name) => !present.has(name));
  if (missing.length === 0) return [];
  const style = styleOf(ast, source);
  const body = ast.program.body;

  // Merge into an existing named value import.
  const mergeTarget = body.find(
    (s): s is ImportDeclaration =>
      s.type === "ImportDeclaration" &&
      s.source.value === options.module &&
      s.importKind !== "type" &&
      s.importKind !== "typeof" &&
      s.specifiers.some((spec) => spec.type === "ImportSpecifier"),
  );
  if (mergeTarget) {
    const named = mergeTarget.specifiers.filter((spec) => spec.type === "ImportSpecifier");
    const openBrace = source.lastIndexOf("{", named[0]!.start!);
    return [appendToList(source, openBrace, named[named.length - 1]!.end!, named[0]!.start!, missing, style.eol)];
  }
  // `import sdk from "module"` → `import sdk, { govern } from "module"`.
  const defaultOnly = body.find(
    (s): s is ImportDeclaration =>
      s.type === "ImportDeclaration" &&
      s.source.value === options.module &&
      s.importKind !== "type" &&
      s.specifiers.length === 1 &&
      s.specifiers[0]!.type === "ImportDefaultSpecifier",
  );
  if (defaultOnly) {
    const end = defaultOnly.specifiers[0]!.end!;
    return [{ start: end, end, text: `, { ${missing.join(", ")} }` }];
  }
  // Merge into `const { … } = require("module")`.
  for (const statement of body) {
    if (statement.type !== "VariableDeclaration") continue;
    const decl = (statement as VariableDeclaration).declarations.find(
      (d) => d.id.type === "ObjectPattern" && isRequireCall(d.init, options.module) && d.id.properties.length > 0,
    );
    if (!decl) continue;
    const pattern = decl.id as ObjectPattern;
    const last = pattern.properties[pattern.properties.length - 1]!;
    if (last.type === "RestElement") continue;
    return [appendToList(source, pattern.start!, last.end!, pattern.properties[0]!.start!, missing, style.eol)];
  }

  const list = `{ ${missing.join(", ")} }`;
  const useImport = style.usesImportSyntax || options.moduleSystem === "esm";
  const statement = useImport
    ? `import ${list} from ${quoted(options.module, style.quote)}${style.semi}`
    : `const ${list} = require(${quoted(options.module, style.quote)})${style.semi}`;
  // After the last top-level import (or require, in CommonJS) that precedes other code.
  let anchor: Statement | undefined;
  for (const s of body) {
    if (s.type === "ImportDeclaration" || (!useImport && requireOf(s))) anchor = s;
    else if (useImport ? false : anchor) break;
  }
  if (anchor) return [{ start: anchor.end!, end: anchor.end!, text: style.eol + statement }];
  return [statementAt(topInsertionPoint(ast, source), statement, style.eol)];
}

/** True when the file already evaluates `module` at top level (`import "m"`, `import … from "m"`, `require("m")`). */
export function hasTopLevelImportOf(ast: File, module: string): boolean {
  return ast.program.body.some(
    (s) =>
      (s.type === "ImportDeclaration" && s.source.value === module && s.importKind !== "type") ||
      (requireOf(s)?.arguments[0]?.type === "StringLiteral" &&
        (requireOf(s)!.arguments[0] as { value: string }).value === module),
  );
}

/**
 * Makes a file evaluate `module` before anything else: `import "module";` (ESM, or any file already
 * using `import` syntax; ESM imports are evaluated in order, so the first import runs first) or
 * `require("module");` (CommonJS), placed first — after a BOM, shebang, directives and a leading
 * comment header, before every other import.
 *
 * Returns no edits when the file already imports or requires the module at top level, wherever it is.
 */
export function ensureSideEffectImport(ast: File, source: string, options: EnsureSideEffectImportOptions): TextEdit[] {
  if (hasTopLevelImportOf(ast, options.module)) return [];
  const style = styleOf(ast, source);
  const useImport = style.usesImportSyntax || options.moduleSystem === "esm";
  const point = topInsertionPoint(ast, source);
  // Without semicolons, a next line starting with `(`, `[` or a template would continue the call.
  const hazard = /^\s*[([`+\-/]/.test(source.slice(point.at));
  const semi = style.semi || (!useImport && hazard ? ";" : "");
  const statement = useImport
    ? `import ${quoted(options.module, style.quote)}${semi}`
    : `require(${quoted(options.module, style.quote)})${semi}`;
  return [statementAt(point, statement, style.eol)];
}

/**
 * A best guess of a lone file's module system, for running a transform outside the engine (which
 * knows each package's `type`): `.mjs`/`.mts` are ESM, `.cjs`/`.cts` CommonJS, otherwise a file that
 * uses `require(` and no `import`/`export` statement is CommonJS.
 */
export function guessModuleSystem(path: string, source: string): ModuleSystem {
  if (/\.m[jt]s$/.test(path)) return "esm";
  if (/\.c[jt]s$/.test(path)) return "cjs";
  const esmSyntax = /^\s*(?:import\s*[\w{*"']|export\s)/m.test(source);
  return !esmSyntax && /\brequire\s*\(/.test(source) ? "cjs" : "esm";
}
