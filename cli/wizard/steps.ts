/**
 * The wizard as a straight sequence of named steps. Each step takes what earlier steps produced and
 * asks through a {@link WizardIO}: the interactive one (ink prompts) or the headless one (answers
 * from flags), so `governor-init --yes --mode … --client …` runs exactly the same flow.
 */
import { readFileSync } from "node:fs";
import type { ClientId } from "../../templates/clients.js";
import { MODES, type ModeId } from "../../templates/modes.js";
import type { ClientInstallResult } from "../../codemods/agent-config/index.js";
import type { ValidationReport } from "../../enforce-mock/validate/index.js";
import { toExclude, type CodemodsEngine, type DetectResult, type PlanReport, type PlannedChange } from "../engines.js";
import type { ReviewFile } from "../ui/prompts.js";
import type { ApplyOutcome } from "../apply-flow.js";
import { isTestFile } from "../../codemods/engine/test-runner.js";

/** The wizard's flags: every interactive choice has one. */
export interface WizardFlags {
  dir: string;
  mode?: ModeId;
  exclude?: string[];
  yes: boolean;
  allowDirty: boolean;
  install: boolean;
  /** Where `@governor/sdk` comes from (`apply --sdk-source`). */
  sdkSource?: "auto" | "registry" | "vendor";
  /** Wire the project's test runner to the mock; asked when absent (interactive), yes when headless. */
  testSetup?: boolean;
  /** Coding agents to install the docs MCP server into; `[]` for none. */
  clients?: ClientId[];
  scope?: "project" | "user";
  /** The command to validate with (`""` to skip). */
  validateCommand?: string;
  policy: string;
}

/** How the wizard asks and shows things. */
export interface WizardIO {
  showFindings(findings: Findings): void | Promise<void>;
  /** Yes/no, before anything is written: a dirty tree, no git, wiring the tests. Headless answers `headless`. */
  confirm(message: string, options: { headless: boolean; details?: string }): Promise<boolean>;
  chooseMode(recommended: ModeId): Promise<ModeId>;
  /** Returns the files and site ids the user turned off. */
  reviewChanges(files: ReviewFile[]): Promise<string[]>;
  progress(label: string, work: () => Promise<unknown>): Promise<void>;
  chooseClients(): Promise<ClientId[]>;
  askValidateCommand(suggestion: string | undefined): Promise<string>;
  showValidation(report: ValidationReport): void | Promise<void>;
  showMcpInstall(results: ClientInstallResult[]): void | Promise<void>;
  showSummary(summary: WizardSummary): void | Promise<void>;
}

/** What detection found, normalised for display. */
export interface Findings {
  frameworks: string[];
  entrypoints: string[];
  sideEffectSites: number;
  /** Side-effect sites in test files, counted apart (not production side effects). */
  testSites: number;
  toolHandlers: number;
  packageManager?: string;
  warnings: string[];
}

/** What the wizard did, for the final screen and `--json`. */
export interface WizardSummary {
  dir: string;
  mode: ModeId;
  report?: PlanReport;
  excluded: string[];
  applied: boolean;
  /** What happened to the `@governor/sdk` dependency; absent when nothing was applied. */
  sdk?: ApplyOutcome["sdk"];
  /** The project's test runner wired to the mock; absent when not attempted. */
  tests?: ApplyOutcome["tests"];
  mcp: ClientInstallResult[];
  validation?: ValidationReport;
  nextSteps: string[];
}

/** Normalises the codemods engine's detect result for display. */
export function toFindings(raw: DetectResult): Findings {
  return {
    frameworks: [...new Set(raw.packages.flatMap((p) => p.frameworks))],
    entrypoints: raw.packages.flatMap((p) => p.entrypoints.map((e) => (p.dir === "." ? e.path : `${e.path}`))),
    sideEffectSites: raw.primitiveSites.filter((site) => !isTestFile(site.path)).length,
    testSites: raw.primitiveSites.filter((site) => isTestFile(site.path)).length,
    toolHandlers: raw.toolSites.length,
    packageManager: raw.packageManager ?? undefined,
    warnings: raw.warnings,
  };
}

/** Splits a command line into argv (whitespace, with "double" and 'single' quotes). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  return out;
}

/** Builds the review list from a plan. */
export function reviewFiles(report: PlanReport, changes: readonly PlannedChange[]): ReviewFile[] {
  return changes.map((c) => ({
    path: c.path,
    diff: c.diff,
    edits: report.files.find((f) => f.path === c.path)?.edits ?? [],
  }));
}

/** Runs the wizard's steps in order. */
export async function runWizardSteps(flags: WizardFlags, io: WizardIO, engine: CodemodsEngine): Promise<WizardSummary> {
  // 0. before asking anything: the git safety net (a dirty tree, or no git at all)
  flags = await checkSafetyNet(flags, io);

  // 1. detect, 2. show findings
  const findings = toFindings(await engine.detect(flags.dir));
  await io.showFindings(findings);

  // 3. choose the mode
  const mode = flags.mode ?? (await io.chooseMode("hybrid"));

  // 4. review each file's diff; files turned off are excluded from apply
  let excluded = [...(flags.exclude ?? [])];
  let planned = await engine.plan(flags.dir, { mode, exclude: toExclude(excluded) });
  if (planned.changes.length > 0) {
    const off = await io.reviewChanges(reviewFiles(planned.report, planned.changes));
    if (off.length > 0) {
      excluded = [...new Set([...excluded, ...off])];
      planned = await engine.plan(flags.dir, { mode, exclude: toExclude(excluded) });
    }
  }

  // 4b. the project's tests: wire the runner to the mock (ask, with the diff)
  let testSetup = flags.testSetup;
  if (planned.changes.length > 0 && flags.install && testSetup === undefined) {
    const wiring = engine.wireTests(flags.dir, { dryRun: true });
    if (wiring.status === "wired") {
      testSetup = await io.confirm(
        `Run your tests (${wiring.runner}) against the enforce mock, so they pass governed? (adds ${wiring.files.join(", ")} and governor-init as a dev dependency)`,
        { headless: true, details: wiring.diffs.map((d) => d.diff).join("\n") },
      );
    }
  }

  // 5. apply (uninterruptible; see apply-flow.ts)
  let applied = false;
  let sdk: ApplyOutcome["sdk"] | undefined;
  let tests: ApplyOutcome["tests"];
  if (planned.changes.length > 0) {
    const { applyWithSdk } = await import("../apply-flow.js");
    await io.progress(`Applying ${planned.changes.length} file change(s)`, async () => {
      const outcome = await applyWithSdk(engine, {
        dir: flags.dir,
        mode,
        allowDirty: flags.allowDirty,
        exclude: excluded.length > 0 ? excluded : undefined,
        install: flags.install,
        sdkSource: flags.sdkSource,
        testSetup: testSetup !== false,
      });
      sdk = outcome.sdk;
      tests = outcome.tests;
      applied = true;
      if (outcome.interrupted) throw new Error("interrupted after apply");
    });
  }

  try {
    return await finishWizard(flags, io, { mode, planned, excluded, applied, sdk, tests });
  } catch (error) {
    if (applied && error instanceof Error && error.name === "GovernorInitError" && "afterApply" in error) {
      (error as { afterApply: boolean }).afterApply = true;
    }
    throw error;
  }
}

async function finishWizard(
  flags: WizardFlags,
  io: WizardIO,
  state: {
    mode: ModeId;
    planned: { report: PlanReport };
    excluded: string[];
    applied: boolean;
    sdk: ApplyOutcome["sdk"] | undefined;
    tests?: ApplyOutcome["tests"];
  },
): Promise<WizardSummary> {
  const { mode, planned, excluded, applied, sdk, tests } = state;
  // 6. coding agents
  const clients = flags.clients ?? (await io.chooseClients());
  let mcp: ClientInstallResult[] = [];
  if (clients.length > 0) {
    const { installMcpServer } = await import("../../codemods/agent-config/index.js");
    // Project-scope configs the wizard writes are recorded in the manifest, so undo reverts them too.
    const planned = installMcpServer({
      clients,
      scope: flags.scope,
      projectDir: flags.dir,
      overwrite: false,
      dryRun: true,
    });
    const { recordWrites, snapshotFiles } = await import("../../codemods/engine/apply.js");
    const { resolve, relative, sep } = await import("node:path");
    const inProject = planned
      .map((r) => r.path)
      .filter((p): p is string => p !== undefined)
      .map((p) => relative(resolve(flags.dir), resolve(flags.dir, p)).split(sep).join("/"))
      .filter((p) => !p.startsWith(".."));
    const snapshots = applied ? snapshotFiles(flags.dir, inProject) : [];
    mcp = installMcpServer({ clients, scope: flags.scope, projectDir: flags.dir, overwrite: false });
    if (applied) recordWrites(flags.dir, snapshots, "agent-config", mode);
    await io.showMcpInstall(mcp);
  }

  // 7. validate against the mock (optional)
  const command = flags.validateCommand ?? (await io.askValidateCommand(suggestStartCommand(flags.dir)));
  let validation: ValidationReport | undefined;
  if (command.trim() !== "") {
    const { runValidation } = await import("../../enforce-mock/validate/index.js");
    await io.progress(`Validating \`${command}\` against the mock (policy ${flags.policy})`, async () => {
      validation = await runValidation({
        dir: flags.dir,
        command: splitCommandLine(command),
        policy: flags.policy,
        output: "pipe",
      });
    });
    if (validation) await io.showValidation(validation);
  }

  // 8. summary
  const nextSteps = [
    ...(applied ? ["Review the changes with git diff; revert everything with `governor-init undo`."] : []),
    ...(sdk?.status === "failed"
      ? [`Add @governor/sdk to your dependencies (the rewritten code imports it): ${sdk.fix}`]
      : sdk?.status === "no-package-json" || (applied && !flags.install)
        ? ["Add @governor/sdk to your dependencies: the rewritten code imports it."]
        : []),
    ...(tests?.status === "wired" ? [`Run your tests (npm test): they run against the enforce mock now.`] : []),
    ...(applied && tests?.status !== "wired" && tests?.status !== "already-wired"
      ? [
          "Your tests: code that loads @governor/sdk/register is denied without a policy service; wire @governor/sdk/testing as the runner's global setup (docs: testing guide).",
        ]
      : []),
    "Set GOVERNOR_ENFORCE_URL and GOVERNOR_API_KEY in your deployment.",
    "Gate CI with `governor-init check`.",
    ...(validation ? [] : ["Try it locally: `governor-init validate -- <your start command>`."]),
  ];
  const summary: WizardSummary = {
    dir: flags.dir,
    mode,
    report: planned.report,
    excluded,
    applied,
    sdk,
    ...(tests ? { tests } : {}),
    mcp,
    validation,
    nextSteps,
  };
  await io.showSummary(summary);
  return summary;
}

/** A likely start command from package.json (`npm start`), offered as the validate default. */
export function suggestStartCommand(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as {
      scripts?: Record<string, string>;
      main?: string;
    };
    if (pkg.scripts?.start) return "npm start";
    if (pkg.main) return `node ${pkg.main}`;
  } catch {
    // no package.json: no suggestion
  }
  return undefined;
}

/** The modes as menu choices. */
export const MODE_CHOICES = MODES.map((m) => ({ value: m.id as ModeId, label: m.name, hint: m.summary }));

/**
 * Before the wizard asks anything: a dirty git tree is refused (or, interactively, accepted as
 * `--allow-dirty`), and outside git the user is told undo relies on `.governor/` alone and asked
 * (headless `--yes` goes on with the warning printed).
 */
async function checkSafetyNet(flags: WizardFlags, io: WizardIO): Promise<WizardFlags> {
  const { dirtyFiles, inGitWorkTree, NO_GIT_NOTE } = await import("../../codemods/engine/apply.js");
  const { ErrorCodes, GovernorInitError } = await import("../../core/errors.js");
  if (!inGitWorkTree(flags.dir)) {
    if (!(await io.confirm(`${NO_GIT_NOTE} Continue?`, { headless: true }))) {
      throw new GovernorInitError(ErrorCodes.INVALID_INPUT, "Stopped: not a git repository, nothing was changed.", {
        suggestion: "Run git init and commit first, or run the wizard again and continue without git.",
      });
    }
    return flags;
  }
  if (flags.allowDirty) return flags;
  const dirty = dirtyFiles(flags.dir);
  if (dirty.length === 0) return flags;
  const listed = `${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ", …" : ""}`;
  const go = await io.confirm(
    `The git work tree has uncommitted changes (${listed}). Apply anyway, mixing them with governor-init's diff (--allow-dirty)?`,
    { headless: false },
  );
  if (!go) {
    throw new GovernorInitError(
      ErrorCodes.DIRTY_WORKTREE,
      `the git work tree has uncommitted changes (${listed}); nothing was changed`,
      {
        suggestion: "Commit or stash your changes first so the codemod's diff stands alone, or pass --allow-dirty.",
        details: { files: dirty },
      },
    );
  }
  return { ...flags, allowDirty: true };
}
