/** Plain-text renderers for command results (no ink: commands print and exit). */
import type { AuditRecord, ValidationReport } from "../enforce-mock/validate/index.js";
import type { ApplyOutcome } from "./apply-flow.js";
import type { CheckResult, PlanReport, PlannedChange, UndoResult } from "./engines.js";
import { colorDiff } from "./commands/mcp-install.js";
import { color } from "./ui/color.js";
import type { SkippedFile } from "../codemods/engine/walk.js";
import { enableStatement } from "../templates/snippets/enable.js";
import { toolScopeSnippet } from "../templates/snippets/scopes.js";
import { wrapFallbackSnippet } from "../templates/snippets/wrap.js";

/**
 * For files the engine could not edit safely (they do not parse, or a transform failed): what to paste
 * by hand, built from the same templates the transforms insert. Empty when there are none.
 */
export function renderManualIntegration(skipped: readonly SkippedFile[]): string[] {
  const manual = skipped.filter((file) => file.manual);
  if (manual.length === 0) return [];
  const moduleSystem = manual.every((file) => /\.c[jt]s$/.test(file.path)) ? "cjs" : "esm";
  const indent = (text: string) =>
    text
      .trimEnd()
      .split("\n")
      .map((line) => (line === "" ? "" : `    ${line}`));
  return [
    color.bold(`Integrate ${manual.length === 1 ? "this file" : `these ${manual.length} files`} by hand:`),
    ...manual.map((file) => `  ${file.path}`),
    "  Only if it is an entrypoint (the file the process starts from), as its first line:",
    ...indent(enableStatement(moduleSystem)),
    "  Route each side effect through govern():",
    ...indent(wrapFallbackSnippet(undefined, moduleSystem)),
    "  Wrap each agent tool handler in an intent scope:",
    ...indent(
      toolScopeSnippet(
        { tool: "send_email", action: "write", resource: { type: "external_api", name: "email" } },
        moduleSystem,
      ),
    ),
  ];
}

/** A plan: per file its edits, then the skipped files and warnings, then every diff. */
export function renderPlan(report: PlanReport, changes: readonly PlannedChange[]): string {
  const out: string[] = [];
  out.push(
    color.bold(`Plan (mode ${report.mode}): ${report.summary.filesChanged} file(s), ${report.summary.edits} edit(s)`),
  );
  for (const file of report.files) {
    out.push(`  ${file.path}`);
    for (const edit of file.edits) out.push(color.dim(`    L${edit.line} ${edit.kind}: ${edit.description}`));
  }
  if (report.skipped.length > 0) {
    out.push("Skipped:");
    for (const s of report.skipped) out.push(color.yellow(`  ${s.path}: ${s.reason}`));
    out.push(...renderManualIntegration(report.skipped));
  }
  for (const w of report.warnings) out.push(color.yellow(`! ${w}`));
  if (report.noOp) out.push(color.yellow(`Nothing to change: ${report.noOp.reason}.`), `  ${report.noOp.suggestion}`);
  for (const change of changes) out.push("", colorDiff(change.diff));
  return out.join("\n") + "\n";
}

/** What happened to the `@governor/sdk` dependency, as lines (shared by `apply` and the wizard's summary). */
export function renderSdkStatus(sdk: ApplyOutcome["sdk"]): string[] {
  switch (sdk.status) {
    case "installed":
      return [color.green(`✔ Added @governor/sdk to ${sdk.packageJson} (${sdk.command.join(" ")}).`), `  ${sdk.note}`];
    case "already-installed":
      return [`= @governor/sdk is already a dependency in ${sdk.packageJson}.`];
    case "failed":
      return [
        color.red(`✖ Could not add @governor/sdk to ${sdk.packageJson}: the rewritten imports do not resolve yet.`),
        color.dim(sdk.output.trim().split("\n").slice(-5).join("\n")),
        `  Fix: ${sdk.fix}`,
      ];
    case "no-package-json":
      return [
        color.red("✖ No package.json found: the rewritten code imports @governor/sdk, which nothing installs."),
        "  Fix: create one (npm init -y), then run governor-init apply again to add the SDK.",
      ];
    case "skipped":
      return [color.dim("  (@governor/sdk was not added: --no-install, or nothing was applied)")];
  }
}

/** What happened to the project's tests, as lines. */
export function renderTestWiring(tests: ApplyOutcome["tests"]): string[] {
  if (!tests) return [];
  switch (tests.status) {
    case "wired":
      return [
        color.green(`✔ Tests (${tests.runner}) run against the enforce mock: ${tests.files.join(", ")}.`),
        ...(tests.mockDependency?.status === "installed" ? [`  ${tests.mockDependency.note}`] : []),
      ];
    case "already-wired":
      return [`= Tests (${tests.runner}) already run against the enforce mock.`];
    case "no-runner":
    case "manual":
      return [
        color.yellow(`! Tests not wired to the enforce mock: ${tests.reason}.`),
        color.dim(
          "  Without it, code that loads @governor/sdk/register in tests has no policy service and is denied (fail closed).",
        ),
      ];
    case "failed":
      return [color.red(`✖ Tests: ${tests.reason}`)];
  }
}

/** The result of apply, and what happened to the SDK dependency. */
export function renderApply(outcome: ApplyOutcome): string {
  const out: string[] = [];
  const { report, written, manifest } = outcome.result;
  if (written.length === 0 && report.noOp) {
    out.push(
      color.yellow(`Nothing applied (mode ${report.mode}): ${report.noOp.reason}.`),
      `  ${report.noOp.suggestion}`,
    );
  } else out.push(color.green(`✔ Applied (mode ${report.mode}): ${written.length} file(s) written.`));
  for (const f of report.files) out.push(`  ${f.path} (${f.edits.length} edit(s))`);
  for (const w of report.warnings) out.push(color.yellow(`  ! ${w}`));
  if (manifest) out.push(color.dim(`  manifest: ${manifest} (governor-init undo reverts it)`));
  for (const note of outcome.result.notes.slice(1)) out.push(color.yellow(`! ${note}`));
  out.push(...renderSdkStatus(outcome.sdk));
  out.push(...renderTestWiring(outcome.tests));
  out.push(color.dim("Next: governor-init validate -- <your start command>   ·   revert with governor-init undo"));
  return out.join("\n") + "\n";
}

/** The result of undo; when a file was left alone, says how to finish (the command exits 1 then). */
export function renderUndo(result: UndoResult): string {
  const partial = result.leftAlone.length > 0;
  const out = [
    partial
      ? color.red(
          `✖ Undo incomplete: reverted ${result.reverted.length} file(s), left ${result.leftAlone.length} alone.`,
        )
      : color.green(`✔ Reverted ${result.reverted.length} file(s).`),
  ];
  if (result.dryRun) {
    const head = `Undo would revert ${result.reverted.length} file(s)${result.leftAlone.length > 0 ? ` and leave ${result.leftAlone.length} alone` : ""} (dry run: nothing written).`;
    const lines = [color.bold(head)];
    for (const d of result.diffs ?? []) lines.push("", colorDiff(d.diff));
    for (const k of result.leftAlone) {
      lines.push(color.yellow(`  would leave alone: ${k.path} (${k.reason})`));
      for (const span of k.spans ?? []) lines.push(`    ${span}`);
    }
    return lines.join("\n") + "\n";
  }
  const relocated = new Set(result.relocated ?? []);
  for (const r of result.reverted)
    out.push(
      relocated.has(r)
        ? `  ${r} ${color.dim("(changed since apply: took out governor-init's edits, kept yours)")}`
        : `  ${r}`,
    );
  for (const k of result.leftAlone) {
    out.push(color.yellow(`  left alone: ${k.path} (${k.reason})`));
    if (k.spans && k.spans.length > 0) {
      out.push("    To remove governor-init's edits by hand:");
      for (const span of k.spans) out.push(`      ${span}`);
    }
  }
  if (partial) {
    const paths = result.leftAlone.map((k) => k.path).join(" ");
    out.push(
      "To finish: restore the files left alone (git checkout -- " +
        paths +
        ", or edit your changes back out), then run governor-init undo again.",
      color.dim(
        "Or keep the files as they are and forget the integration: delete .governor/ (it holds the manifest and the originals).",
      ),
    );
  }
  return out.join("\n") + "\n";
}

/** The result of check: every ungoverned site and TODO. */
export function renderCheck(result: CheckResult): string {
  const { summary } = result;
  const head = `${summary.governed}/${summary.sites} side-effect site(s) governed, ${summary.toolSites - summary.unscopedTools}/${summary.toolSites} tool handler(s) in an intent scope`;
  const clients = result.clientComponents.length;
  const note =
    clients > 0
      ? color.dim(
          `  ${clients} client component(s) ("use client") not checked: browser code, outside the Node SDK's reach.`,
        )
      : undefined;
  const tests = result.testFiles;
  const testNote =
    tests && tests.sites > 0
      ? color.dim(
          `  ${tests.sites} side-effect site(s) in test files, ${tests.findings.length} ungoverned: reported apart, outside the gate (--include-tests to gate them)${
            tests.findings.length > 0
              ? `: ${tests.findings
                  .slice(0, 3)
                  .map((f) => f.location)
                  .join(", ")}${tests.findings.length > 3 ? ", …" : ""}`
              : ""
          }`,
        )
      : undefined;
  if (result.ok)
    return [color.green(`✔ ${head}.`), ...(note ? [note] : []), ...(testNote ? [testNote] : [])].join("\n") + "\n";
  const out = [color.red(`✖ ${head}; ${result.findings.length} finding(s):`)];
  if (note) out.push(note);
  if (testNote) out.push(testNote);
  const label = { todo: "", "ungoverned-site": color.red("ungoverned "), unanalysable: color.red("unchecked ") };
  for (const f of result.findings) {
    // A TODO's note already starts with its marker: print it once.
    const message =
      f.kind === "todo"
        ? color.yellow(f.message.startsWith("TODO") ? f.message : `TODO(governor): ${f.message}`)
        : f.message;
    out.push(`  ${f.location}  ${label[f.kind]}${message}`);
  }
  for (const w of result.warnings) out.push(color.yellow(`  ! ${w}`));
  // One line per kind of fix, in the findings' order, so each says what really fixes those findings.
  const fixes = [...new Set(result.findings.filter((f) => f.kind !== "unanalysable").map((f) => f.fix))];
  for (const fix of fixes) {
    const where = result.findings.filter((f) => f.kind !== "unanalysable" && f.fix === fix).map((f) => f.location);
    const named = where.length > 4 ? `${where.slice(0, 3).join(", ")} and ${where.length - 3} more` : where.join(", ");
    out.push(color.dim(`Fix (${named}): ${fix}`));
  }
  const unanalysable = result.findings.filter((f) => f.kind === "unanalysable");
  if (unanalysable.length > 0) {
    const paths = unanalysable.map((f) => f.path).join(" ");
    out.push(
      color.dim(
        `Fix (${unanalysable.length} file(s)): make them parse, or leave them out on purpose: --exclude ${paths}`,
      ),
    );
  }
  if (fixes.includes("governor-init apply") || fixes.some((f) => f.startsWith("wrap the call")))
    out.push(color.dim('  How to govern by hand: governor-init docs search "govern"'));
  return out.join("\n") + "\n";
}

/** One attempt for humans: `tool send_payment (write external_api/payment)`, `fetch https://…`. */
export function describeAttempt(a: AuditRecord): string {
  const intent = a.intent as {
    action?: string;
    resource?: { type?: string; name?: string };
    context?: { tool?: unknown };
  };
  const resource = `${intent.resource?.type ?? "?"}${intent.resource?.name ? `/${intent.resource.name}` : ""}`;
  const what = intent.action ? ` (${intent.action} ${resource})` : "";
  if (a.source === "tool") return `tool ${typeof intent.context?.tool === "string" ? intent.context.tool : "?"}${what}`;
  if (a.source === "scope") return `scope${what}`;
  return `${a.primitive ?? "primitive"} ${a.target ?? ""}`.trim();
}

/** A validation report: decisions, denials, ungoverned side effects, verdict. */
export function renderValidation(report: ValidationReport): string {
  const out: string[] = [];
  out.push(color.bold(`Decisions (${report.decisions.length}) — policy ${report.policy}`));
  for (const d of report.decisions) {
    const mark = d.decision === "ALLOW" ? color.green("ALLOW") : color.red("DENY ");
    out.push(
      `  ${mark} ${d.action} ${d.resource}  ${color.dim(`${d.reason}${d.matchedRule ? ` [${d.matchedRule}]` : ""}`)}`,
    );
  }
  if (report.denials.length > 0) {
    out.push(color.bold(`Denied, not run (${report.denials.length})`));
    for (const a of report.denials) out.push(`  ${describeAttempt(a)}  ${color.dim(a.reason ?? "")}`);
  }
  if (report.ungoverned.length > 0) {
    out.push(color.bold(color.red(`Ran without a decision (${report.ungoverned.length})`)));
    for (const a of report.ungoverned) out.push(`  ${describeAttempt(a)}  (${a.decision})`);
  }
  out.push(`Command exit: ${report.signal ?? report.exitCode}`);
  if (report.passed) out.push(color.green("✔ Validation passed."));
  else {
    out.push(color.red("✖ Validation failed:"));
    for (const p of report.problems) out.push(`  - ${p}`);
  }
  return out.join("\n") + "\n";
}
