import { describe, expect, it } from "vitest";
import {
  applyTextEdits,
  codeStart,
  editBetween,
  lineAt,
  lineEnding,
  offsetMap,
  offsetOf,
  parseSource,
  positionOf,
  type TextEdit,
} from "./source.js";
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

describe("offsetMap", () => {
  const before = "const a = fetch(x);\nrun();\n";
  const edits: TextEdit[] = [
    { start: 0, end: 0, text: "import { govern } from 'sdk';\n" },
    { start: 10, end: 10, text: "govern(" },
    { start: 15, end: 15, text: ")" },
    { start: 20, end: 23, text: "execute" },
  ];
  const after = applyTextEdits(before, edits);
  const map = offsetMap(edits);

  it("maps every untouched character of the original to the same character after the edits, and back", () => {
    const replaced = (offset: number) => offset >= 20 && offset < 23;
    for (let offset = 0; offset <= before.length; offset++) {
      if (replaced(offset)) continue;
      const moved = map.toAfter(offset);
      expect(after.slice(moved, moved + 1)).toBe(before.slice(offset, offset + 1));
      expect(map.toBefore(moved)).toBe(offset);
    }
  });

  it("puts an offset with text inserted at it after the insertion, and maps inserted text to where it went in", () => {
    expect(after.slice(map.toAfter(10), map.toAfter(10) + 5)).toBe("fetch");
    expect(map.toAfter(0)).toBe("import { govern } from 'sdk';\n".length);
    expect(map.toBefore(after.indexOf("govern("))).toBe(10);
    expect(map.toBefore(3)).toBe(0);
  });

  it("maps an offset inside a replaced span to its replacement's start, and that back to the span's start", () => {
    const start = after.indexOf("execute");
    expect(map.toAfter(21)).toBe(start);
    expect(map.toBefore(start + 3)).toBe(20);
    expect(map.toBefore(start + "execute".length)).toBe(23);
  });

  it("is the identity without edits", () => {
    expect(offsetMap([]).toAfter(7)).toBe(7);
    expect(offsetMap([]).toBefore(7)).toBe(7);
  });
});

describe("editBetween", () => {
  it("finds the one span that changed, and nothing for equal texts", () => {
    const before = "a\nb\nc\n";
    const after = "a\nimport x;\nb\nc\n";
    const edits = editBetween(before, after);
    expect(applyTextEdits(before, edits)).toBe(after);
    expect(offsetMap(edits).toAfter(before.indexOf("b"))).toBe(after.indexOf("b"));
    expect(editBetween(before, before)).toEqual([]);
    expect(applyTextEdits("abc", editBetween("abc", ""))).toBe("");
  });
});

describe("offsetOf / positionOf", () => {
  it("convert 1-based lines and columns to offsets and back, CRLF included", () => {
    const source = "ab\r\ncd\nef";
    expect(offsetOf(source, 1, 1)).toBe(0);
    expect(offsetOf(source, 2, 2)).toBe(5);
    expect(offsetOf(source, 3, 1)).toBe(7);
    expect(offsetOf(source, 9, 1)).toBe(source.length);
    for (let offset = 0; offset <= source.length; offset++) {
      const { line, column } = positionOf(source, offset);
      expect(offsetOf(source, line, column)).toBe(offset);
    }
    expect(positionOf("\nx", 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf("\nx", 1)).toEqual({ line: 2, column: 1 });
  });
});
