import { describe, expect, it } from "vitest";
import { relocateEdits } from "./undo-relocate.js";

const original = `import { tool } from "ai";
import { writeFile } from "node:fs/promises";

// Saves a note.
export const save = tool({
  description: "Save a note",
  execute: async ({ text }) => {
    await writeFile("note.txt", text);
    return fetch("https://example.com/ping");
  },
});
`;

const applied = `import { tool } from "ai";
import { writeFile } from "node:fs/promises";
import { govern, governTool } from "@governor/sdk";

// Saves a note.
export const save = tool({
  description: "Save a note",
  execute: governTool({ tool: "save", action: "TODO(governor): choose", resource: { type: "filesystem" } }, async ({ text }) => {
    await writeFile("note.txt", text);
    return govern(fetch)("https://example.com/ping");
  }),
});
`;

describe("relocateEdits: source files", () => {
  it("takes out the import and the wrappers even after the user filled in the intent, keeping their other edits", () => {
    const current = applied
      .replace('action: "TODO(governor): choose"', 'action: "write", risk: "low"')
      .replace("// Saves a note.", "// Saves a note to disk.");
    const outcome = relocateEdits("src/save.ts", original, applied, current);
    expect(outcome).toEqual({ ok: true, text: original.replace("// Saves a note.", "// Saves a note to disk.") });
  });

  it("is ambiguous when the user added a wrapper of their own: the file is left alone, with the spans listed", () => {
    const current = applied.replace('await writeFile("note.txt", text);', 'await govern(writeFile)("note.txt", text);');
    const outcome = relocateEdits("src/save.ts", original, applied, current);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/2 govern construct\(s\) where apply wrote 1/);
    expect(outcome.spans).toEqual([
      'src/save.ts:3: remove the line `import { govern, governTool } from "@governor/sdk";`',
      "src/save.ts:8: unwrap `governTool(…)`: keep its handler (the second argument), drop the call and the intent object",
      "src/save.ts:9: unwrap `govern(writeFile)` to `writeFile`",
      "src/save.ts:10: unwrap `govern(fetch)` to `fetch`",
    ]);
  });

  it("leaves a file that used the SDK before apply alone", () => {
    const before = `import { governor } from "@governor/sdk";\n${original}`;
    const outcome = relocateEdits(
      "src/save.ts",
      before,
      `import { governTool } from "@governor/sdk";\n${before}`,
      before,
    );
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/used @governor\/sdk before apply/) });
  });

  it("leaves a file that no longer parses alone", () => {
    const outcome = relocateEdits("src/save.ts", original, applied, `${applied}\nconst = ;`);
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/does not parse/) });
  });

  it("CommonJS: a require of the SDK is taken out too", () => {
    const cjsOriginal = `const fs = require("node:fs");\nfs.writeFileSync("a", "b");\n`;
    const cjsApplied = `require("@governor/sdk/register");\nconst fs = require("node:fs");\nfs.writeFileSync("a", "b");\n`;
    const current = `${cjsApplied}module.exports = {};\n`;
    expect(relocateEdits("index.js", cjsOriginal, cjsApplied, current)).toEqual({
      ok: true,
      text: `${cjsOriginal}module.exports = {};\n`,
    });
  });
});

describe("relocateEdits: JSON files", () => {
  const pkg = `{\n  "name": "app",\n  "dependencies": {\n    "zod": "^4.0.0"\n  }\n}\n`;
  const pkgApplied = `{\n  "name": "app",\n  "dependencies": {\n    "@governor/sdk": "file:vendor/governor/governor-sdk-0.1.0.tgz",\n    "zod": "^4.0.0"\n  }\n}\n`;

  it("removes the values apply added where the file still holds them, keeping the user's other changes", () => {
    const current = pkgApplied.replace('"zod": "^4.0.0"', '"zod": "^4.0.0",\n    "yaml": "^2.0.0"');
    const outcome = relocateEdits("package.json", pkg, pkgApplied, current);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(JSON.parse(outcome.text)).toEqual({ name: "app", dependencies: { zod: "^4.0.0", yaml: "^2.0.0" } });
  });

  it("is ambiguous where the user changed a value apply wrote", () => {
    const current = pkgApplied.replace("file:vendor/governor/governor-sdk-0.1.0.tgz", "^0.2.0");
    expect(relocateEdits("package.json", pkg, pkgApplied, current)).toEqual({
      ok: false,
      reason: "you changed what governor-init wrote at dependencies.@governor/sdk",
      spans: ["dependencies.@governor/sdk: remove it"],
    });
  });
});
