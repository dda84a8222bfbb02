import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireBuild, runCli } from "./helpers.js";

beforeAll(requireBuild);

describe("files the engine cannot edit safely", () => {
  it("plan prints what to paste by hand, from the same templates the transforms insert", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gi-manual-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", type: "module", main: "src/index.js" }));
    writeFileSync(path.join(dir, "src/index.js"), "export const x = 1;\n");
    // Does not parse, and holds a side effect: it must be integrated by hand.
    writeFileSync(
      path.join(dir, "src/broken.js"),
      'import { writeFileSync } from "node:fs";\nexport function save( {\n  writeFileSync("x", "y");\n}\n',
    );

    const { code, stdout } = await runCli(["plan", dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/src\/broken\.js: .*does not parse/);
    expect(stdout).toContain("Integrate this file by hand:");
    expect(stdout).toContain('import "@governor/sdk/register";');
    expect(stdout).toContain("fs.writeFileSync(path, data)           →  govern(fs).writeFileSync(path, data)");
    expect(stdout).toContain('import { governTool } from "@governor/sdk";');
    expect(stdout).not.toMatch(/ +\n/);

    const json = JSON.parse((await runCli(["plan", dir, "--json"])).stdout) as {
      report: { skipped: { path: string; manual?: boolean }[] };
    };
    expect(json.report.skipped).toContainEqual(expect.objectContaining({ path: "src/broken.js", manual: true }));
  });
});
