/**
 * The enable transform: makes an entrypoint evaluate `@governor/sdk/register` before any other module,
 * so fetch, http/https, child_process and fs writes are patched before the application's own modules
 * capture them. ESM imports are hoisted and evaluated in order, so the import must be the FIRST import
 * (a `governor.enable()` statement after the imports would run too late); in CommonJS the `require`
 * goes first. Next.js `instrumentation.ts` files instead get the import inside `register()`, on the
 * Node.js runtime only.
 *
 * The engine runs it on entrypoints only (see `detect`); alone it enables whatever file it is given.
 */
import type { File, FunctionDeclaration, Statement } from "@babel/types";
import type { EditRecord, SourceTransform, TransformInput, TransformOutput } from "../types.js";
import { ensureSideEffectImport } from "../shared/imports.js";
import { applyTextEdits, lineAt, lineEnding, parseSource, type TextEdit } from "../shared/source.js";
import { REGISTER_MODULE, nextRegisterStatement } from "../../templates/snippets/enable.js";

const INSTRUMENTATION = /(?:^|\/)instrumentation\.[cm]?[jt]s$/;

/** True when a file is a Next.js instrumentation hook file (root or `src/`). */
export function isNextInstrumentationFile(path: string): boolean {
  return INSTRUMENTATION.test(path);
}

/** The `register` function a Next.js instrumentation file exports, if any. */
function findRegister(
  ast: File,
): { fn: FunctionDeclaration | { async: boolean; start?: number | null; body: unknown } } | undefined {
  for (const statement of ast.program.body as Statement[]) {
    if (statement.type !== "ExportNamedDeclaration" || !statement.declaration) continue;
    const decl = statement.declaration;
    if (decl.type === "FunctionDeclaration" && decl.id?.name === "register") return { fn: decl };
    if (decl.type === "VariableDeclaration") {
      for (const d of decl.declarations) {
        if (
          d.id.type === "Identifier" &&
          d.id.name === "register" &&
          d.init &&
          (d.init.type === "ArrowFunctionExpression" || d.init.type === "FunctionExpression") &&
          d.init.body.type === "BlockStatement"
        ) {
          return { fn: d.init };
        }
      }
    }
  }
  return undefined;
}

function quoteOf(source: string): '"' | "'" {
  const match = /\b(?:import|from|require\()\s*(["'])/.exec(source);
  return match?.[1] === "'" ? "'" : '"';
}

function runInstrumentation(input: TransformInput, ast: File): TransformOutput {
  const { source } = input;
  const eol = lineEnding(source);
  const quote = quoteOf(source);
  const found = findRegister(ast);
  if (!found) {
    const needsBreak = source.length > 0 && !source.endsWith("\n");
    const text =
      (needsBreak ? eol : "") +
      (source.trim().length > 0 ? eol : "") +
      `export async function register() {${eol}  ${nextRegisterStatement(quote)}${eol}}${eol}`;
    const edit: TextEdit = { start: source.length, end: source.length, text };
    return {
      source: applyTextEdits(source, [edit]),
      edits: [
        {
          kind: "enable",
          line: lineAt(source, source.length),
          description: `add register() importing ${REGISTER_MODULE} on the Node.js runtime`,
        },
      ],
    };
  }
  const fn = found.fn as { async: boolean; start: number; type: string; body: { start: number; body: Statement[] } };
  const edits: TextEdit[] = [];
  if (!fn.async) {
    // `await import()` needs an async hook; Next awaits register() either way.
    const at = fn.type === "ArrowFunctionExpression" ? fn.start : source.indexOf("function", fn.start);
    edits.push({ start: at, end: at, text: "async " });
  }
  const bodyStart = fn.body.start + 1;
  const first = fn.body.body[0];
  const indent = first
    ? source.slice(source.lastIndexOf("\n", first.start!) + 1, first.start!).replace(/\S.*$/, "")
    : "  ";
  edits.push({
    start: bodyStart,
    end: bodyStart,
    text: `${eol}${/^\s*$/.test(indent) ? indent : "  "}${nextRegisterStatement(quote)}`,
  });
  return {
    source: applyTextEdits(source, edits),
    edits: [
      {
        kind: "enable",
        line: lineAt(source, bodyStart),
        description: `import ${REGISTER_MODULE} first in register() on the Node.js runtime`,
      },
    ],
  };
}

/** The enable transform (see the module comment). */
export const enableTransform: SourceTransform = {
  name: "enable",
  mightApply(source: string): boolean {
    return !source.includes(REGISTER_MODULE);
  },
  run(input: TransformInput): TransformOutput {
    if (!this.mightApply(input.source)) return { source: input.source, edits: [] };
    const ast = parseSource(input.source, input.path);
    if (isNextInstrumentationFile(input.path)) return runInstrumentation(input, ast);
    const textEdits = ensureSideEffectImport(ast, input.source, {
      module: REGISTER_MODULE,
      moduleSystem: input.moduleSystem,
    });
    if (textEdits.length === 0) return { source: input.source, edits: [] };
    const record: EditRecord = {
      kind: "enable",
      line: lineAt(input.source, textEdits[0]!.start),
      description: `import ${REGISTER_MODULE} first, before any other module is evaluated`,
    };
    return { source: applyTextEdits(input.source, textEdits), edits: [record] };
  },
};

export default enableTransform;
