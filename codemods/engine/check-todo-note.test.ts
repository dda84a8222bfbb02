/**
 * `check` reports each `TODO(governor): …` marker with the note alone: the quoted string's content or
 * the comment's text, never the rest of the source line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { check } from "../index.js";
import { todoNoteAt } from "./check.js";
import { TODO_ACTION, TODO_RESOURCE_TYPE } from "../../templates/snippets/scopes.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const note = (line: string) => todoNoteAt(line, line.indexOf("TODO(governor)"));

describe("check's TODO findings print only the TODO text", () => {
  it("reads the note out of a string literal or a comment", () => {
    expect(note(`  action: "${TODO_ACTION}", resource: { type: "database" } }, async () => {`)).toBe(TODO_ACTION);
    expect(note(`governTool({ tool: 'x', action: 'read', resource: { type: '${TODO_RESOURCE_TYPE}' } }, h)`)).toBe(
      TODO_RESOURCE_TYPE,
    );
    expect(note(`const a = "TODO(governor): choose the tool's action"; run(a);`)).toBe(
      "TODO(governor): choose the tool's action",
    );
    expect(note(`const b = 'TODO(governor): say \\'hi\\' first' + rest;`)).toBe("TODO(governor): say 'hi' first");
    expect(note("const c = `TODO(governor): pick one`.trim();")).toBe("TODO(governor): pick one");
    expect(note(`// TODO(governor): choose the action for "frobnicate"`)).toBe(
      'TODO(governor): choose the action for "frobnicate"',
    );
    expect(note(`/* TODO(governor): name this tool */ export const y = "1";`)).toBe("TODO(governor): name this tool");
    expect(note(`const d = "x"; // TODO(governor): it's 'this' one\r`)).toBe("TODO(governor): it's 'this' one");
    expect(note(` * TODO(governor): inside a JSDoc block`)).toBe("TODO(governor): inside a JSDoc block");
  });

  it("reports what the intent-scopes codemod inserts as the bare TODO text", async () => {
    const root = mkdtempSync(join(tmpdir(), "gi-check-todo-"));
    dirs.push(root);
    const files: Record<string, string> = {
      "package.json": "{}",
      "src/tools.ts": [
        'import { governTool } from "@governor/sdk";',
        `export const t = governTool({ tool: "frob", action: "${TODO_ACTION}", resource: { type: "${TODO_RESOURCE_TYPE}" } }, async () => 1);`,
        '// TODO(governor): choose the action for "frobnicate"',
        "",
      ].join("\n"),
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const result = await check(root);
    expect(result.findings.filter((f) => f.kind === "todo").map((f) => [f.location, f.message])).toEqual([
      ["src/tools.ts:2", TODO_ACTION],
      ["src/tools.ts:2", TODO_RESOURCE_TYPE],
      ["src/tools.ts:3", 'TODO(governor): choose the action for "frobnicate"'],
    ]);
  });
});
