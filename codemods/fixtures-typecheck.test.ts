/**
 * Every transform's fixture outputs type-check against the SDK's real types.
 *
 * One TypeScript program over all `codemods/<transform>/__testfixtures__/*.output.ts(x)` files, built
 * with the compiler API. `@governor/sdk` (and Node's builtins) resolve for real, to the workspace
 * package's declarations; every other module (frameworks, relative imports of the fixtures' imaginary
 * neighbours) is left unresolved, so its bindings are `any`: the check is about the SDK calls the
 * codemods insert — names that exist, arguments of the right shape — not about framework typings
 * (the end-to-end test checks those against the real packages).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import ts from "typescript";

const codemods = fileURLToPath(new URL("./", import.meta.url));
const OUTPUT = /\.output\.(?:[cm]?tsx?)$/;

const fixtureFiles = readdirSync(codemods, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const dir = join(codemods, entry.name, "__testfixtures__");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => OUTPUT.test(file))
      .map((file) => ({ transform: entry.name, path: join(dir, file) }));
  });

const SDK = /^@governor\/sdk(?:\/|$)/;
const NODE_BUILTIN =
  /^node:|^(?:fs|fs\/promises|child_process|http|https|util|path|url|os|events|stream|crypto|net|dns|zlib)$/;
/** JSX needs its runtime's types; @types/react is installed. */
const JSX_RUNTIME = /^react\/jsx(?:-dev)?-runtime$/;
/** "Cannot find module" and NodeNext's "relative import needs an extension": only about unresolved neighbours. */
const RESOLUTION_CODES = new Set([2307, 2792, 2834, 2835]);

function typecheck(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    strict: true,
    // Framework bindings are `any` here, so handler parameters get no contextual type.
    noImplicitAny: false,
    skipLibCheck: true,
    noEmit: true,
    jsx: ts.JsxEmit.ReactJSX,
    types: ["node", "react"],
  };
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const name = literal.text;
      // Only the fixtures' own imports are filtered; the SDK's declarations resolve their imports for real.
      const fromFixture = containingFile.includes("/__testfixtures__/");
      if (fromFixture && !SDK.test(name) && !NODE_BUILTIN.test(name) && !JSX_RUNTIME.test(name))
        return { resolvedModule: undefined };
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      return ts.resolveModuleName(name, containingFile, compilerOptions, host, undefined, redirected, mode);
    });
  const program = ts.createProgram({ rootNames: [...files], options, host });
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    // Unresolved non-SDK modules are deliberate (see the module comment).
    if (RESOLUTION_CODES.has(diagnostic.code) && !message.includes("@governor/sdk")) continue;
    const file = diagnostic.file?.fileName ?? "(global)";
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? `:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}`
        : "";
    byFile.set(file, [...(byFile.get(file) ?? []), `TS${diagnostic.code}${where}: ${message}`]);
  }
  return byFile;
}

describe("fixture outputs type-check against @governor/sdk", () => {
  it("finds fixture outputs of several transforms", () => {
    expect(new Set(fixtureFiles.map((f) => f.transform)).size).toBeGreaterThanOrEqual(1);
  });

  const errors = fixtureFiles.length > 0 ? typecheck(fixtureFiles.map((f) => f.path)) : new Map<string, string[]>();
  for (const transform of [...new Set(fixtureFiles.map((f) => f.transform))].sort()) {
    it(transform, () => {
      const mine = fixtureFiles.filter((f) => f.transform === transform);
      const found = Object.fromEntries(
        mine.filter((f) => errors.has(f.path)).map((f) => [f.path.slice(codemods.length), errors.get(f.path)]),
      );
      expect(found).toEqual({});
    });
  }
});
