/**
 * Regression: the tool-handler count was wrong for plain tool arrays. After apply, the fixture
 * `test/fixtures/plain` and the demo app reported `0/0 tool handler(s) in an intent scope` though they
 * hold 2 and 4 `governTool` wrappers: the tool-site finder only recognises a plain
 * `{ name, parameters, handler }` object while its handler is a visible function, so once apply wraps
 * the handler the object is not a tool to it any more. check counts the wrappers too.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { apply, check } from "../index.js";
import { countGovernToolCalls } from "./check.js";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOf(path: string): string {
  const dir = mkdtempSync(join(tmpdir(), "gi-check-tools-"));
  dirs.push(dir);
  cpSync(join(repo, path), dir, { recursive: true });
  return dir;
}

describe("check tool count plain arrays", () => {
  it.each([
    ["test/fixtures/plain", 2],
    ["templates/demo-app", 4],
  ])("%s: every governTool wrapper apply wrote counts as a tool handler in an intent scope", async (path, tools) => {
    const dir = copyOf(path);
    const before = await check(dir);
    expect(before.summary).toMatchObject({ toolSites: tools, unscopedTools: tools });
    await apply(dir, { allowDirty: true });
    const after = await check(dir);
    expect(after.summary).toMatchObject({ toolSites: tools, unscopedTools: 0 });
    expect(after.ok).toBe(true);
  });

  it("counts only governTool calls bound from @governor/sdk (named, aliased, namespace, edge)", async () => {
    const count = (source: string) => countGovernToolCalls(source, "src/t.ts");
    expect(
      await count('import { governTool as g } from "@governor/sdk";\nexport const a = g({}, async () => 1);\n'),
    ).toBe(1);
    expect(
      await count('import * as sdk from "@governor/sdk/edge";\nsdk.governTool({}, f); sdk.governTool({}, h);\n'),
    ).toBe(2);
    expect(await count('import { governTool } from "./local";\ngovernTool({}, f);\n')).toBe(0);
    expect(await count("export const governTool = 1;\n")).toBe(0);
  });
});
