import { describe, expect, it } from "vitest";
import { ensureSdkImport, ensureSideEffectImport, sdkBindings } from "./imports.js";
import { applyTextEdits, parseSource } from "./source.js";
import type { ModuleSystem } from "../types.js";

function addNames(source: string, names: string[], moduleSystem: ModuleSystem = "esm", path = "a.ts"): string {
  const ast = parseSource(source, path);
  return applyTextEdits(source, ensureSdkImport(ast, source, { module: "@governor/sdk", names, moduleSystem }));
}

function addRegister(source: string, moduleSystem: ModuleSystem = "esm", path = "a.ts"): string {
  const ast = parseSource(source, path);
  return applyTextEdits(
    source,
    ensureSideEffectImport(ast, source, { module: "@governor/sdk/register", moduleSystem }),
  );
}

describe("ensureSdkImport", () => {
  it("inserts a new import after the last top-level import, in the file's quote style", () => {
    const source = "import a from 'a';\nimport { b } from 'b';\n\nb(a);\n";
    expect(addNames(source, ["govern"])).toBe(
      "import a from 'a';\nimport { b } from 'b';\nimport { govern } from '@governor/sdk';\n\nb(a);\n",
    );
  });

  it("merges into an existing named import and keeps aliases", () => {
    const source = 'import { governTool as gt } from "@governor/sdk";\ngt;\n';
    expect(addNames(source, ["govern", "governTool"])).toBe(
      'import { governTool as gt, govern } from "@governor/sdk";\ngt;\n',
    );
    expect(sdkBindings(parseSource(source, "a.ts"), "@governor/sdk").get("governTool")).toBe("gt");
  });

  it("merges one per line into a multi-line import with a trailing comma", () => {
    const source = 'import {\n  governTool,\n} from "@governor/sdk";\n';
    expect(addNames(source, ["govern"])).toBe('import {\n  governTool,\n  govern,\n} from "@governor/sdk";\n');
  });

  it("does not merge into a type-only import", () => {
    const source = 'import type { ToolIntentSpec } from "@governor/sdk";\nlet s: ToolIntentSpec;\n';
    expect(addNames(source, ["governTool"])).toBe(
      'import type { ToolIntentSpec } from "@governor/sdk";\nimport { governTool } from "@governor/sdk";\nlet s: ToolIntentSpec;\n',
    );
  });

  it("ignores type-only specifiers when deciding what is present", () => {
    const source = 'import { type ToolIntentSpec } from "@governor/sdk";\n';
    expect(addNames(source, ["governTool"])).toBe('import { type ToolIntentSpec, governTool } from "@governor/sdk";\n');
  });

  it("adds named imports to a default import", () => {
    expect(addNames('import sdk from "@governor/sdk";\n', ["govern"])).toBe(
      'import sdk, { govern } from "@governor/sdk";\n',
    );
  });

  it("changes nothing when every name is there", () => {
    const source = 'import { govern, governTool } from "@governor/sdk";\n';
    expect(addNames(source, ["govern", "governTool"])).toBe(source);
  });

  it("uses require destructuring in CommonJS and merges into an existing one", () => {
    const plain = "'use strict';\nconst fs = require('fs');\n\nfs.writeFileSync('x', 'y');\n";
    expect(addNames(plain, ["govern"], "cjs", "a.js")).toBe(
      "'use strict';\nconst fs = require('fs');\nconst { govern } = require('@governor/sdk');\n\nfs.writeFileSync('x', 'y');\n",
    );
    const existing = 'const { governTool: gt } = require("@governor/sdk");\n';
    expect(addNames(existing, ["govern"], "cjs", "a.cjs")).toBe(
      'const { governTool: gt, govern } = require("@governor/sdk");\n',
    );
    expect(sdkBindings(parseSource(existing, "a.cjs"), "@governor/sdk").get("governTool")).toBe("gt");
  });

  it("uses import syntax in a CommonJS-compiled TypeScript file that already imports", () => {
    const source = 'import { x } from "./x";\nx();\n';
    expect(addNames(source, ["govern"], "cjs")).toBe(
      'import { x } from "./x";\nimport { govern } from "@governor/sdk";\nx();\n',
    );
  });

  it("keeps CRLF and places a first import after directives", () => {
    const source = '"use client";\r\n\r\nexport function A() {}\r\n';
    expect(addNames(source, ["govern"], "esm", "a.tsx")).toBe(
      '"use client";\r\nimport { govern } from "@governor/sdk";\r\n\r\nexport function A() {}\r\n',
    );
  });

  it("follows a no-semicolon file", () => {
    expect(addNames("import a from 'a'\na()\n", ["govern"])).toBe(
      "import a from 'a'\nimport { govern } from '@governor/sdk'\na()\n",
    );
  });
});

describe("ensureSideEffectImport", () => {
  it("puts the import first, before other imports", () => {
    const source = 'import express from "express";\nimport { x } from "./x.js";\n';
    expect(addRegister(source)).toBe('import "@governor/sdk/register";\n' + source);
  });

  it("goes after a shebang and a BOM", () => {
    const source = "\uFEFF#!/usr/bin/env node\nimport a from 'a';\n";
    expect(addRegister(source, "esm", "bin.mjs")).toBe(
      "\uFEFF#!/usr/bin/env node\nimport '@governor/sdk/register';\nimport a from 'a';\n",
    );
  });

  it("goes after directives", () => {
    const source = '"use strict";\r\nconst a = require("a");\r\n';
    expect(addRegister(source, "cjs", "a.cjs")).toBe(
      '"use strict";\r\nrequire("@governor/sdk/register");\r\nconst a = require("a");\r\n',
    );
  });

  it("goes after a license header separated by a blank line, but not between a doc comment and its code", () => {
    const licensed = "/*!\n * Copyright ACME\n */\n\n// entry point\nimport a from 'a';\n";
    expect(addRegister(licensed)).toBe(
      "/*!\n * Copyright ACME\n */\nimport '@governor/sdk/register';\n\n// entry point\nimport a from 'a';\n",
    );
    const attached = "/** The server. */\nimport a from 'a';\n";
    expect(addRegister(attached)).toBe("import '@governor/sdk/register';\n" + attached);
  });

  it("recognises an existing import or require anywhere at top level", () => {
    const esm = 'import a from "a";\nimport "@governor/sdk/register";\n';
    expect(addRegister(esm)).toBe(esm);
    const cjs = 'const a = require("a");\nrequire("@governor/sdk/register");\n';
    expect(addRegister(cjs, "cjs", "a.cjs")).toBe(cjs);
  });

  it("adds a semicolon to a CommonJS require when the next line would continue it", () => {
    expect(addRegister("(async () => {})()\n", "cjs", "a.js")).toBe(
      "(async () => {})()\n".replace(/^/, 'require("@governor/sdk/register");\n'),
    );
  });

  it("handles an empty file and a file with only a comment", () => {
    expect(addRegister("")).toBe('import "@governor/sdk/register";\n');
    expect(addRegister("// nothing here\n")).toBe('// nothing here\nimport "@governor/sdk/register";\n');
  });
});
