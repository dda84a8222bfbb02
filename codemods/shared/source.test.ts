import { describe, expect, it } from "vitest";
import { applyTextEdits, codeStart, lineAt, lineEnding, parseSource } from "./source.js";
import { GovernorInitError } from "../../core/errors.js";

describe("parseSource", () => {
  it("keeps offsets aligned with a BOM and a shebang", () => {
    const source = "\uFEFF#!/usr/bin/env node\nconst x = fetch('a');\n";
    const ast = parseSource(source, "bin.js");
    const decl = ast.program.body[0]!;
    expect(source.slice(decl.start!, decl.end!)).toBe("const x = fetch('a');");
  });

  it("parses a .ts cast that would be JSX in .tsx", () => {
    expect(() => parseSource("const n = <number>value;", "a.ts")).not.toThrow();
    expect(() => parseSource("const n = <number>value;", "a.tsx")).toThrow(GovernorInitError);
  });

  it("reports a syntax error as PARSE_ERROR with the path", () => {
    try {
      parseSource("const = ;", "src/broken.ts");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GovernorInitError);
      expect((error as GovernorInitError).code).toBe("PARSE_ERROR");
      expect((error as GovernorInitError).message).toContain("src/broken.ts");
    }
  });
});

describe("applyTextEdits", () => {
  it("splices edits in offset order and keeps insertions at one offset in given order", () => {
    const out = applyTextEdits("abcdef", [
      { start: 4, end: 5, text: "E" },
      { start: 0, end: 0, text: "1" },
      { start: 0, end: 0, text: "2" },
    ]);
    expect(out).toBe("12abcdEf");
  });

  it("refuses overlapping edits", () => {
    expect(() =>
      applyTextEdits("abcdef", [
        { start: 0, end: 3, text: "x" },
        { start: 2, end: 4, text: "y" },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe("lines", () => {
  it("counts lines and reads the line ending", () => {
    expect(lineAt("a\nb\nc", 4)).toBe(3);
    expect(lineEnding("a\r\nb")).toBe("\r\n");
    expect(lineEnding("a\nb")).toBe("\n");
  });
});

describe("codeStart", () => {
  it("skips a BOM and a shebang line", () => {
    expect(codeStart("\uFEFF#!/usr/bin/env node\r\nx")).toBe("\uFEFF#!/usr/bin/env node\r\n".length);
    expect(codeStart("#!/bin/node\nx")).toBe(12);
    expect(codeStart("x")).toBe(0);
  });
});
