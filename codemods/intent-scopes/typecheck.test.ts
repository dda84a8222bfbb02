/**
 * The transform's outputs must type-check against the SDK's own types, with the handler's parameters
 * still contextually typed by the framework (`execute: governTool(spec, async ({ city }) => …)` must
 * keep `city: string`). Frameworks are minimal stubs (`__testfixtures__/framework-stubs.d.ts`); zod,
 * the MCP SDK and `@governor/sdk` (its source) are the real ones.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./__testfixtures__/", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
// Outputs that cannot type-check on their own: a project-local module that does not exist, and
// CommonJS `require` (untyped, so its handlers' parameters are implicitly any in the input too).
const SKIP = new Set(["unrelated-tool.output.ts", "commonjs-require.output.ts"]);

describe("intent-scopes outputs type-check against @governor/sdk", () => {
  it("has no type errors", async () => {
    const ts = (await import("typescript")).default;
    const outputs = readdirSync(fixtures)
      .filter((file) => /\.output\.tsx?$/.test(file) && !SKIP.has(file))
      .map((file) => join(fixtures, file));
    const program = ts.createProgram([join(fixtures, "framework-stubs.d.ts"), ...outputs], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      jsx: ts.JsxEmit.Preserve,
      skipLibCheck: true,
      types: [],
      baseUrl: root,
      paths: { "@governor/sdk": ["sdk/src/index.ts"], "@governor/sdk/edge": ["sdk/src/edge.ts"] },
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file ? d.file.fileName.slice(root.length) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0]}`,
      );
    expect(errors).toEqual([]);
  }, 180_000); // a full type-check of zod and the MCP SDK's types on a shared 2-core machine
});
