/**
 * The project's own tests, governed: find the test runner (vitest, jest, mocha, ava, node:test) and wire
 * it to the enforce mock through `@governor/sdk/testing`, so `npm test` behaves as before (the mock
 * answers under a test policy, allow-all by default) and still exercises the governed paths.
 *
 * The wiring is a small setup file next to package.json plus one localized edit: vitest's config
 * (`test.globalSetup`, or a new `vitest.config.mjs` when there is none), or the `test` script for jest
 * (`--globalSetup`), mocha (`--require`) and node:test (`--import`). governor-init itself runs the mock,
 * so it is added as a dev dependency (from the registry, or vendored like the SDK). Every write is
 * recorded in the manifest; `undo` reverts it.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { applyEdits, modify } from "jsonc-parser";
import picomatch from "picomatch";
import { createTwoFilesPatch } from "diff";
import { writeFileAtomic } from "../../core/atomic-write.js";
import type { ModeId } from "../../templates/modes.js";
import { recordWrites, snapshotFiles } from "./apply.js";
import { readJsonFile } from "./detect.js";
import { installPackage, type SdkInstallOutcome, type SdkSource } from "./sdk-install.js";

/** Test runners governor-init recognises. */
export type TestRunnerId = "vitest" | "jest" | "mocha" | "ava" | "node:test";

/** What {@link detectTestRunner} found. */
export interface TestRunnerInfo {
  runner: TestRunnerId;
  /** The package.json script that runs it (`test` usually). */
  script: string;
  command: string;
  /** The runner's config file, project-relative, when there is one. */
  configFile?: string;
}

/**
 * Globs of test files: the runners' defaults and the conventions (`__tests__`, `*.test.*`, `*.spec.*`,
 * fixtures and mocks). `check` reports sites in them separately and leaves them out of the gate.
 */
export const TEST_FILE_GLOBS: readonly string[] = [
  "**/__tests__/**",
  "**/*.test.*",
  "**/*.spec.*",
  "**/test/**",
  "**/tests/**",
  "**/__fixtures__/**",
  "**/fixtures/**",
  "**/__mocks__/**",
];

const testMatcher = picomatch([...TEST_FILE_GLOBS], { dot: true });

/** Whether a project-relative path is a test file (see {@link TEST_FILE_GLOBS}). */
export function isTestFile(path: string): boolean {
  return testMatcher(path);
}

const RUNNER_TOKENS: ReadonlyArray<readonly [RegExp, TestRunnerId]> = [
  [/(^|[\s/])vitest(\s|$)/, "vitest"],
  [/(^|[\s/])jest(\s|$)/, "jest"],
  [/(^|[\s/])mocha(\s|$)/, "mocha"],
  [/(^|[\s/])ava(\s|$)/, "ava"],
  [/(^|\s)node\s+(?:[^&|;]*\s)?--test(\s|$)/, "node:test"],
];

const CONFIGS: Record<TestRunnerId, string[]> = {
  vitest: ["ts", "mts", "cts", "js", "mjs", "cjs"].flatMap((ext) => [`vitest.config.${ext}`, `vite.config.${ext}`]),
  jest: ["ts", "mts", "cts", "js", "mjs", "cjs", "json"].map((ext) => `jest.config.${ext}`),
  mocha: [".mocharc.js", ".mocharc.cjs", ".mocharc.json", ".mocharc.yml", ".mocharc.yaml"],
  ava: ["ava.config.js", "ava.config.mjs", "ava.config.cjs"],
  "node:test": [],
};

/** The test runner of the package in `dir`, from its `test` script (and its dependencies), or null. */
export function detectTestRunner(dir: string): TestRunnerInfo | null {
  const pkg = readJsonFile<{
    scripts?: Record<string, unknown>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  }>(path.join(dir, "package.json"));
  if (!pkg) return null;
  const scripts = Object.entries(pkg.scripts ?? {}).filter((e): e is [string, string] => typeof e[1] === "string");
  const ordered = [
    ...scripts.filter(([name]) => name === "test"),
    ...scripts.filter(([name]) => name.startsWith("test:")),
  ];
  for (const [script, command] of ordered) {
    const hit = RUNNER_TOKENS.find(([re]) => re.test(command));
    if (hit) {
      const configFile = CONFIGS[hit[1]].find((file) => existsSync(path.join(dir, file)));
      return { runner: hit[1], script, command, ...(configFile ? { configFile } : {}) };
    }
  }
  return null;
}

/** The setup file each runner loads. */
const SETUP_FILES: Record<Exclude<TestRunnerId, "ava">, { file: string; text: string }> = {
  vitest: {
    file: "governor.test-setup.mjs",
    text:
      "// Runs the tests against the local Governor enforce mock (allow-all, or ./governor-policy.yaml):\n" +
      "// code that loads @governor/sdk/register is governed in tests as in production. Added by governor-init.\n" +
      'export { setup, teardown } from "@governor/sdk/testing";\n',
  },
  jest: {
    file: "governor.test-setup.cjs",
    text:
      "// Runs the tests against the local Governor enforce mock (allow-all, or ./governor-policy.yaml):\n" +
      "// code that loads @governor/sdk/register is governed in tests as in production. Added by governor-init.\n" +
      'module.exports = () => require("@governor/sdk/testing").governorGlobalSetup();\n',
  },
  mocha: {
    file: "governor.test-setup.cjs",
    text:
      "// Runs the tests against the local Governor enforce mock (allow-all, or ./governor-policy.yaml):\n" +
      "// code that loads @governor/sdk/register is governed in tests as in production. Added by governor-init.\n" +
      'const testing = require("@governor/sdk/testing");\n' +
      "exports.mochaGlobalSetup = () => testing.governorGlobalSetup();\n" +
      "exports.mochaGlobalTeardown = testing.governorGlobalTeardown;\n",
  },
  "node:test": {
    file: "governor.test-setup.mjs",
    text:
      "// Runs the tests against the local Governor enforce mock (allow-all, or ./governor-policy.yaml):\n" +
      "// code that loads @governor/sdk/register is governed in tests as in production. Added by governor-init.\n" +
      'import { governorGlobalSetup } from "@governor/sdk/testing";\n' +
      "await governorGlobalSetup();\n",
  },
};

/** One file the wiring writes. */
interface PlannedWrite {
  path: string;
  before: string | null;
  after: string;
}

/** What {@link wireTests} did (or would do, with `dryRun`). */
export interface TestWiringOutcome {
  status: "wired" | "already-wired" | "no-runner" | "manual" | "failed";
  runner?: TestRunnerId;
  /** Why nothing was wired, and what to do instead (status `no-runner`, `manual`, `failed`). */
  reason?: string;
  /** Project-relative files written (or to write). */
  files: string[];
  /** Unified diffs of the wiring. */
  diffs: { path: string; diff: string }[];
  /** governor-init as a dev dependency (it runs the mock); absent with `dryRun`. */
  mockDependency?: SdkInstallOutcome;
}

function scriptEdit(text: string, script: string, command: string, token: RegExp, insert: string): string | undefined {
  const match = token.exec(command);
  if (!match) return undefined;
  const at = match.index + match[0].length;
  const next = `${command.slice(0, at)} ${insert}${command.slice(at)}`;
  const indent = /\n(\s+)"/.exec(text)?.[1] ?? "  ";
  return applyEdits(
    text,
    modify(text, ["scripts", script], next, {
      formattingOptions: { insertSpaces: !indent.includes("\t"), tabSize: indent.length, eol: "\n" },
    }),
  );
}

function planWiring(dir: string, info: TestRunnerInfo): { writes: PlannedWrite[] } | { manual: string } {
  if (info.runner === "ava") {
    return {
      manual:
        'ava has no global setup: start the mock yourself, e.g. add `"test": "governor-init validate -- ava"`, or see the testing guide',
    };
  }
  const setup = SETUP_FILES[info.runner];
  const writes: PlannedWrite[] = [];
  const setupPath = path.join(dir, setup.file);
  if (existsSync(setupPath)) {
    const current = readFileSync(setupPath, "utf8");
    if (current !== setup.text)
      return { manual: `${setup.file} exists already and is not governor-init's; wire it by hand` };
  } else writes.push({ path: setup.file, before: null, after: setup.text });
  const pkgText = readFileSync(path.join(dir, "package.json"), "utf8");
  const configText = info.configFile ? readFileSync(path.join(dir, info.configFile), "utf8") : undefined;
  const hint = `add ./${setup.file} as the runner's global setup by hand (see the testing guide)`;
  switch (info.runner) {
    case "vitest": {
      if (configText === undefined) {
        writes.push({
          path: "vitest.config.mjs",
          before: null,
          after: `// Added by governor-init: run the tests against the Governor enforce mock.\nexport default { test: { globalSetup: ["./${setup.file}"] } };\n`,
        });
        break;
      }
      if (configText.includes(setup.file)) return { manual: "already wired" };
      if (/globalSetup/.test(configText)) return { manual: `${info.configFile} has a globalSetup already: ${hint}` };
      const tests = [...configText.matchAll(/\btest\s*:\s*\{/g)];
      if (tests.length !== 1) return { manual: `no single \`test: {\` block in ${info.configFile}: ${hint}` };
      const at = tests[0]!.index + tests[0]![0].length;
      writes.push({
        path: info.configFile!,
        before: configText,
        after: `${configText.slice(0, at)} globalSetup: ["./${setup.file}"],${configText.slice(at)}`,
      });
      break;
    }
    case "jest":
    case "mocha":
    case "node:test": {
      if (info.command.includes(setup.file)) return { manual: "already wired" };
      const configHasSetup =
        (configText !== undefined && /globalSetup|mochaGlobalSetup|require/.test(configText)) ||
        (info.runner === "jest" && /"globalSetup"/.test(JSON.stringify(JSON.parse(pkgText).jest ?? {})));
      if (configHasSetup) return { manual: `the ${info.runner} configuration has a global setup already: ${hint}` };
      const [token, insert] =
        info.runner === "jest"
          ? [/(^|[\s/])jest(?=\s|$)/, `--globalSetup ./${setup.file}`]
          : info.runner === "mocha"
            ? [/(^|[\s/])mocha(?=\s|$)/, `--require ./${setup.file}`]
            : [/(^|\s)node(?=\s)/, `--import ./${setup.file}`];
      const after = scriptEdit(pkgText, info.script, info.command, token, insert);
      if (after === undefined) return { manual: `cannot place the flag in \`${info.command}\`: ${hint}` };
      writes.push({ path: "package.json", before: pkgText, after });
      break;
    }
  }
  return { writes };
}

/** governor-init's own package (it runs the mock the setup file starts). */
function governorInitPackage(): { name: string; version: string; dir: string } {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = readJsonFile<{ name?: string; version?: string }>(path.join(dir, "package.json"));
    if (manifest?.name === "governor-init") return { name: "governor-init", version: manifest.version!, dir };
    if (path.dirname(dir) === dir) throw new Error("governor-init's package.json not found");
  }
}

/**
 * Wires the test runner of the package in `dir` to the enforce mock (see the module comment). With
 * `dryRun`, writes nothing and returns the diffs. A runner it cannot wire safely (a global setup of
 * its own, ava, an unusual config) is left alone: status `manual`, with what to do instead.
 */
export function wireTests(
  dir: string,
  options: { dryRun?: boolean; mode?: ModeId; source?: SdkSource } = {},
): TestWiringOutcome {
  const root = path.resolve(dir);
  const info = detectTestRunner(root);
  if (!info) {
    return {
      status: "no-runner",
      reason:
        "no test runner found in package.json scripts (looked for vitest, jest, mocha, ava and node --test in `test` and `test:*`)",
      files: [],
      diffs: [],
    };
  }
  const planned = planWiring(root, info);
  if ("manual" in planned) {
    return planned.manual === "already wired"
      ? { status: "already-wired", runner: info.runner, files: [], diffs: [] }
      : { status: "manual", runner: info.runner, reason: planned.manual, files: [], diffs: [] };
  }
  const files = planned.writes.map((w) => w.path);
  const diffs = planned.writes.map((w) => ({
    path: w.path,
    diff: createTwoFilesPatch(w.path, w.path, w.before ?? "", w.after, w.before === null ? "(new file)" : "", ""),
  }));
  if (options.dryRun) return { status: "wired", runner: info.runner, files, diffs };
  const snapshots = snapshotFiles(root, files);
  for (const write of planned.writes) writeFileAtomic(path.join(root, write.path), write.after);
  recordWrites(root, snapshots, "test-setup", options.mode);
  const mockDependency = installPackage(
    root,
    { ...governorInitPackage(), dev: true },
    {
      source: options.source,
      mode: options.mode,
      origin: "test-setup",
    },
  );
  if (mockDependency.status === "failed") {
    return {
      status: "failed",
      runner: info.runner,
      reason: `could not add governor-init as a dev dependency (it runs the mock in tests): ${mockDependency.fix}`,
      files,
      diffs,
      mockDependency,
    };
  }
  return { status: "wired", runner: info.runner, files, diffs, mockDependency };
}
