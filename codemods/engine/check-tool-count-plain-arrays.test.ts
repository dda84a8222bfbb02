/**
 * Regression: the tool-handler count was wrong for plain tool arrays. After apply, the fixture
 * `test/fixtures/plain` and the demo app reported `0/0 tool handler(s) in an intent scope` though they
 * hold 2 and 4 `governTool` wrappers: the tool-site finder only recognises a plain
 * `{ name, parameters, handler }` object while its handler is a visible function, so once apply wraps
 * the handler the object was not a tool to it any more. The finder now takes a handler that is the
 * SDK's governTool(…) call as a tool in a scope.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { apply, check } from "../index.js";
import { findToolSites } from "../intent-scopes/sites.js";

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

  it("takes a plain tool whose handler is governTool(…) bound from @governor/sdk (named, aliased, namespace, edge)", () => {
    const tool = (handler: string) =>
      `{ name: "t", parameters: { type: "object", properties: {} }, handler: ${handler} }`;
    const wrappedTools = (source: string) => findToolSites(source, "src/t.ts").filter((site) => site.wrapped).length;
    expect(
      wrappedTools(
        `import { governTool as g } from "@governor/sdk";\nexport const a = [${tool("g({}, async () => 1)")}];\n`,
      ),
    ).toBe(1);
    expect(
      wrappedTools(
        `import * as sdk from "@governor/sdk/edge";\nexport const a = [${tool("sdk.governTool({}, f)")}, ${tool("sdk.governTool({}, h)")}];\n`,
      ),
    ).toBe(2);
    expect(
      wrappedTools(`import { governTool } from "./local";\nexport const a = [${tool("governTool({}, f)")}];\n`),
    ).toBe(0);
  });
});
