/** Plain-text renderers for command results (no ink: commands print and exit). */
import type { ValidationReport } from "../enforce-mock/validate/index.js";
import type { ApplyOutcome } from "./apply-flow.js";
import type { PlanReport, PlannedChange } from "./engines.js";
import { colorDiff } from "./commands/mcp-install.js";
import { color } from "./ui/color.js";

/** A plan: per file its edits, then the skipped files, then every diff. */
export function renderPlan(report: PlanReport, changes: readonly PlannedChange[]): string {
  const out: string[] = [];
  out.push(color.bold(`${report.summary.filesChanged} file(s), ${report.summary.edits} edit(s)`));
  for (const file of report.files) {
    out.push(`  ${file.path}`);
    for (const edit of file.edits) out.push(color.dim(`    L${edit.line} ${edit.kind}: ${edit.description}`));
  }
  if (report.skipped.length > 0) {
    out.push("Skipped:");
    for (const s of report.skipped) out.push(color.yellow(`  ${s.path}: ${s.reason}`));
  }
  for (const change of changes) out.push("", colorDiff(change.diff));
  return out.join("\n") + "\n";
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The result of apply, and what happened to the SDK dependency. */
export function renderApply(outcome: ApplyOutcome): string {
  const out: string[] = [];
  const report = (outcome.result.report ?? outcome.result) as Partial<PlanReport>;
  const files = listOf(report.files) as PlanReport["files"];
  out.push(color.green(`✔ Applied: ${files.length} file(s) changed.`));
  for (const f of files) out.push(`  ${f.path} (${f.edits.length} edit(s))`);
  switch (outcome.sdk.status) {
    case "installed":
      out.push(color.green(`✔ Added @governor/sdk to ${outcome.sdk.packageJson} (${outcome.sdk.command.join(" ")}).`));
      break;
    case "already-installed":
      out.push(`= @governor/sdk is already a dependency in ${outcome.sdk.packageJson}.`);
      break;
    case "failed":
      out.push(
        color.yellow(`! Could not add @governor/sdk (${outcome.sdk.command?.join(" ") ?? "no command"}). Run it yourself:`),
        color.dim(outcome.sdk.output.trim().split("\n").slice(-5).join("\n")),
      );
      break;
    case "no-package-json":
      out.push(color.yellow("! No package.json found: add @governor/sdk to your project's dependencies yourself."));
      break;
    case "skipped":
      out.push(color.dim("  (--no-install: @governor/sdk was not added to package.json)"));
  }
  out.push(color.dim("Next: governor-init validate -- <your start command>   ·   revert with governor-init undo"));
  return out.join("\n") + "\n";
}

/** The result of undo. */
export function renderUndo(result: Record<string, unknown>): string {
  const restored = listOf(result.restored);
  const kept = listOf(result.skipped ?? result.changed ?? result.conflicts);
  const out = [color.green(`✔ Restored ${restored.length} file(s).`)];
  for (const r of restored) out.push(`  ${typeof r === "string" ? r : ((r as { path?: string }).path ?? JSON.stringify(r))}`);
  for (const k of kept) {
    const item = k as { path?: string; reason?: string };
    out.push(color.yellow(`  left alone: ${item.path ?? String(k)}${item.reason ? ` (${item.reason})` : ""}`));
  }
  return out.join("\n") + "\n";
}

/** How many ungoverned sites a check result lists. */
export function ungovernedCount(result: Record<string, unknown>): number {
  if (typeof result.ungoverned === "number") return result.ungoverned;
  if (Array.isArray(result.ungoverned)) return result.ungoverned.length;
  if (Array.isArray(result.sites)) return result.sites.length;
  const summary = result.summary as { ungoverned?: number } | undefined;
  return summary?.ungoverned ?? 0;
}

/** The result of check: every ungoverned site. */
export function renderCheck(result: Record<string, unknown>): string {
  const sites = (Array.isArray(result.ungoverned) ? result.ungoverned : listOf(result.sites)) as Array<{
    path?: string;
    file?: string;
    line?: number;
    description?: string;
    kind?: string;
    callee?: string;
  }>;
  const count = ungovernedCount(result);
  if (count === 0) return color.green("✔ Every side effect and tool handler found is governed.\n");
  const out = [color.red(`✖ ${count} ungoverned site(s):`)];
  for (const s of sites) {
    out.push(`  ${s.path ?? s.file ?? "?"}:${s.line ?? "?"}  ${s.description ?? s.callee ?? s.kind ?? ""}`);
  }
  out.push(color.dim("Fix: governor-init apply (or wrap them by hand: see governor-init docs search \"govern\")."));
  return out.join("\n") + "\n";
}

/** A validation report: decisions, denials, ungoverned side effects, verdict. */
export function renderValidation(report: ValidationReport): string {
  const out: string[] = [];
  out.push(color.bold(`Decisions (${report.decisions.length}) — policy ${report.policy}`));
  for (const d of report.decisions) {
    const mark = d.decision === "ALLOW" ? color.green("ALLOW") : color.red("DENY ");
    out.push(`  ${mark} ${d.action} ${d.resource}  ${color.dim(`${d.reason}${d.matchedRule ? ` [${d.matchedRule}]` : ""}`)}`);
  }
  if (report.denials.length > 0) {
    out.push(color.bold(`Denied, not run (${report.denials.length})`));
    for (const a of report.denials) out.push(`  ${a.primitive ?? a.source} ${a.target ?? ""}  ${color.dim(a.reason ?? "")}`);
  }
  if (report.ungoverned.length > 0) {
    out.push(color.bold(color.red(`Ran without a decision (${report.ungoverned.length})`)));
    for (const a of report.ungoverned) out.push(`  ${a.primitive ?? a.source} ${a.target ?? ""}  (${a.decision})`);
  }
  out.push(`Command exit: ${report.signal ?? report.exitCode}`);
  if (report.passed) out.push(color.green("✔ Validation passed."));
  else {
    out.push(color.red("✖ Validation failed:"));
    for (const p of report.problems) out.push(`  - ${p}`);
  }
  return out.join("\n") + "\n";
}
