/**
 * `check` reports test files apart and out of the gate (unless `includeTests`), and its SARIF output
 * (`--format sarif`, on the built CLI) validates against the OASIS SARIF 2.1.0 JSON schema.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { check } from "../index.js";
import { CLI, requireBuild, runCli } from "../../test/e2e/helpers.js";

// ajv-draft-04 is CommonJS with `exports.default`: load it the way Node does.
const Ajv = createRequire(import.meta.url)("ajv-draft-04") as typeof import("ajv-draft-04").default;
const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gi-check-tests-"));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const APP = {
  "package.json": JSON.stringify({ name: "app", type: "module", scripts: { test: "vitest run" } }),
  "src/sync.js": 'import axios from "axios";\nexport const sync = () => axios.post("https://example.com/sync", {});\n',
  "__tests__/sync.test.js": 'import fs from "node:fs";\nfs.writeFileSync("fixture.json", "{}");\n',
  "src/util.spec.js": 'import fs from "node:fs";\nfs.rmSync("tmp", { recursive: true });\n',
  "test/fixtures/seed.js": 'import fs from "node:fs";\nfs.writeFileSync("seed.txt", "x");\n',
};

describe("check and test files", () => {
  it("reports sites in test files apart and leaves them out of the gate and the counts", async () => {
    const result = await check(project(APP));
    expect(result.findings.map((f) => f.path)).toEqual(["src/sync.js"]);
    expect(result.summary.sites).toBe(1);
    expect(result.testFiles).toEqual({
      sites: 3,
      findings: [
        expect.objectContaining({ path: "__tests__/sync.test.js", kind: "ungoverned-site" }),
        expect.objectContaining({ path: "src/util.spec.js", kind: "ungoverned-site" }),
        expect.objectContaining({ path: "test/fixtures/seed.js", kind: "ungoverned-site" }),
      ],
    });
  });

  it("gates them with includeTests", async () => {
    const result = await check(project(APP), { includeTests: true });
    expect(result.findings.map((f) => f.path).sort()).toEqual([
      "__tests__/sync.test.js",
      "src/sync.js",
      "src/util.spec.js",
      "test/fixtures/seed.js",
    ]);
    expect(result.summary.sites).toBe(4);
    expect(result.testFiles).toBeUndefined();
  });
});

describe("check --format sarif (built CLI)", () => {
  it("is valid SARIF 2.1.0, with each finding at its file and line, test files as notes", async () => {
    requireBuild();
    expect(CLI).toBeTruthy();
    const root = project({ ...APP, "src/tool.js": "// TODO(governor): choose the action\n" });
    const run = await runCli(["check", root, "--format", "sarif"]);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync(join(REPO, "test/fixtures/sarif/sarif-schema-2.1.0.json"), "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const results = log.runs[0].results as Array<{
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
    }>;
    const at = (r: (typeof results)[number]) =>
      `${r.ruleId} ${r.level} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region?.startLine}`;
    expect(results.map(at).sort()).toEqual(
      [
        "GOV001 error src/sync.js:2",
        "GOV002 warning src/tool.js:1",
        "GOV001 note __tests__/sync.test.js:2",
        "GOV001 note src/util.spec.js:2",
        "GOV001 note test/fixtures/seed.js:2",
      ].sort(),
    );

    // A schema-invalid log is caught: the validation is not vacuous.
    expect(validate({ ...log, version: "2.0.0" })).toBe(false);
  });

  it("an all-governed project is valid SARIF with no results, and exits 0", async () => {
    requireBuild();
    const root = project({ "package.json": JSON.stringify({ name: "empty" }), "src/a.js": "export const a = 1;\n" });
    const run = await runCli(["check", root, "--format", "sarif"]);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout);
    expect(log.runs[0].results).toEqual([]);
  });
});
