/**
 * Repo-aware tools over the codemods engine (detect, plan, apply, check) and the status check.
 * Every path is confined to the client's roots before an engine sees it.
 */
import { z } from "zod";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import type { DetectResult } from "../../codemods/index.js";
import { loadCodemodsEngine } from "../engines.js";
import { resolveInsideRoots } from "../roots.js";
import { guarded, toolResult, truncate } from "../results.js";
import type { ToolContext } from "../tool-context.js";

/** Longest diff text returned; a bigger plan is summarized and cut (the report still lists every file). */
const MAX_DIFF_CHARS = 80_000;

const pathSchema = z
  .string()
  .max(1000, "path is over 1000 characters")
  .optional()
  .describe('Project directory inside the workspace (default ".").');
const modeSchema = z
  .enum(MODE_IDS, { error: () => `mode must be one of: ${MODE_IDS.join(", ")}` })
  .optional()
  .describe(`Integration mode (default ${DEFAULT_MODE}).`);

const anyObject = z.looseObject({});

const editSchema = z.looseObject({ kind: z.string(), line: z.number(), description: z.string() });
const skippedSchema = z.array(z.object({ path: z.string(), reason: z.string() }));
const planOutput = z.object({
  path: z.string(),
  mode: z.string(),
  summary: z.looseObject({ filesChanged: z.number(), edits: z.number() }),
  files: z.array(z.object({ path: z.string(), edits: z.array(editSchema) })),
  skipped: skippedSchema,
  warnings: z.array(z.string()),
  diff: z.string(),
});
const applyOutput = z.object({
  path: z.string(),
  mode: z.string(),
  summary: z.looseObject({ filesChanged: z.number(), edits: z.number() }),
  written: z.array(z.string()),
  manifest: z.string().nullable(),
  warnings: z.array(z.string()),
});
const checkOutput = z.object({
  path: z.string(),
  ok: z.boolean(),
  summary: z.looseObject({ sites: z.number(), governed: z.number(), todos: z.number() }),
  findings: z.array(z.looseObject({ location: z.string(), kind: z.string(), message: z.string() })),
  warnings: z.array(z.string()),
});

// Loose objects keep tools/list short; governorStatus() returns every field of GovernorStatus.
const statusOutput = z.object({
  dir: z.string(),
  sdk: z.looseObject({ installed: z.boolean(), version: z.string().optional() }),
  env: z.looseObject({
    configured: z.boolean(),
    variables: z.array(z.looseObject({ name: z.string(), set: z.boolean() })),
    missing: z.array(z.string()),
  }),
  enforce: z.looseObject({ reachable: z.boolean() }),
  mock: z.looseObject({ running: z.boolean() }),
  nextSteps: z.array(z.string()),
});

/** Lists at most `max` lines, saying how many more there are. */
function capped(lines: string[], max = 30): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `  … ${lines.length - max} more`];
}

function renderDetect(stack: DetectResult): string {
  const out = [
    `Project ${stack.root} (package manager: ${stack.packageManager ?? "unknown"}${stack.workspaces ? `, ${stack.workspaces.tool} workspaces` : ""})`,
  ];
  for (const pkg of stack.packages) {
    out.push(
      `Package ${pkg.dir}${pkg.name ? ` (${pkg.name})` : ""}: ${pkg.moduleSystem}, frameworks: ${pkg.frameworks.join(", ") || "none"}`,
      ...pkg.entrypoints.map((e) => `  entrypoint ${e.path} [${e.source}]${e.enabled ? " (already enabled)" : ""}`),
    );
  }
  const ungoverned = stack.primitiveSites.filter((s) => !s.wrapped && !s.inScope);
  out.push(`${stack.primitiveSites.length} side-effect call site(s), ${ungoverned.length} not wrapped or scoped:`);
  out.push(
    ...capped(
      stack.primitiveSites.map(
        (s) => `  ${s.path}:${s.line} ${s.callee} (${s.kind})${s.wrapped || s.inScope ? " governed" : ""}`,
      ),
    ),
  );
  out.push(`${stack.toolSites.length} tool handler(s):`);
  out.push(
    ...capped(
      stack.toolSites.map(
        (t) => `  ${t.path}:${t.line} ${t.toolName ?? "(unnamed)"} via ${t.pattern}${t.wrapped ? " (wrapped)" : ""}`,
      ),
    ),
  );
  if (stack.skipped.length) out.push(`${stack.skipped.length} file(s) skipped`);
  out.push(...stack.warnings.map((w) => `warning: ${w}`));
  return out.join("\n");
}

/** Registers `detect_stack`, `plan_integration`, `apply_integration`, `check_integration`, `governor_status`. */
export function registerProjectTools({ server, roots, env }: ToolContext): void {
  const confine = async (input: string | undefined) => resolveInsideRoots(input ?? ".", await roots());

  server.registerTool(
    "detect_stack",
    {
      title: "Detect the project's stack",
      description:
        "Detect package manager, module system, frameworks, entrypoints, side-effect sites and tool handlers.",
      inputSchema: z.object({ path: pathSchema }),
      outputSchema: z.object({ path: z.string(), stack: anyObject }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guarded(async () => {
        const dir = await confine(path);
        const stack = await (await loadCodemodsEngine()).detect(dir);
        return toolResult({ path: dir, stack: stack as unknown as Record<string, unknown> }, renderDetect(stack));
      }),
  );

  server.registerTool(
    "plan_integration",
    {
      title: "Plan the Governor integration",
      description: "Dry run: the diffs and a JSON report of every edit the integration would make. Writes nothing.",
      inputSchema: z.object({ path: pathSchema, mode: modeSchema }),
      outputSchema: planOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ path, mode }) =>
      guarded(async () => {
        const dir = await confine(path);
        const chosen = mode ?? DEFAULT_MODE;
        const { report, changes } = await (await loadCodemodsEngine()).plan(dir, { mode: chosen });
        const diff = truncate(changes.map((c) => c.diff).join("\n"), MAX_DIFF_CHARS);
        const structured = {
          path: dir,
          mode: report.mode,
          summary: report.summary,
          files: report.files,
          skipped: report.skipped,
          warnings: report.warnings,
          diff,
        };
        const text = [
          `${report.summary.edits} edit(s) in ${report.summary.filesChanged} file(s), mode ${report.mode}; ${report.skipped.length} file(s) skipped.`,
          ...report.skipped.map((f) => `skipped ${f.path}: ${f.reason}`),
          ...report.warnings.map((w) => `warning: ${w}`),
          "",
          diff || "(nothing to change)",
        ].join("\n");
        return toolResult(structured, text);
      }),
  );

  server.registerTool(
    "apply_integration",
    {
      title: "Apply the Governor integration",
      description:
        "Edit the project's files as plan_integration shows and write an undo manifest (undo: npx governor-init undo). Refuses a dirty git tree unless allowDirty.",
      inputSchema: z.object({
        path: pathSchema,
        mode: modeSchema,
        allowDirty: z.boolean().optional().describe("Apply even with uncommitted changes."),
      }),
      outputSchema: applyOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ path, mode, allowDirty }) =>
      guarded(async () => {
        const dir = await confine(path);
        const chosen = mode ?? DEFAULT_MODE;
        const result = await (await loadCodemodsEngine()).apply(dir, { mode: chosen, allowDirty: allowDirty ?? false });
        const structured = {
          path: dir,
          mode: result.report.mode,
          summary: result.report.summary,
          written: result.written,
          manifest: result.manifest,
          warnings: result.report.warnings,
        };
        const text = result.written.length
          ? [
              `Applied ${result.report.summary.edits} edit(s), mode ${result.report.mode}. Wrote:`,
              ...result.written.map((f) => `  ${f}`),
              `Manifest: ${result.manifest} (undo with npx governor-init undo). Next: check_integration, governor_status.`,
              ...result.report.warnings.map((w) => `warning: ${w}`),
            ].join("\n")
          : "Nothing to change: the project is already integrated for this mode.";
        return toolResult(structured, text);
      }),
  );

  server.registerTool(
    "check_integration",
    {
      title: "Check for ungoverned side effects",
      description: "List side-effect call sites and tool handlers that run without a Governor decision (file:line).",
      inputSchema: z.object({ path: pathSchema }),
      outputSchema: checkOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guarded(async () => {
        const dir = await confine(path);
        const result = await (await loadCodemodsEngine()).check(dir);
        const structured = {
          path: dir,
          ok: result.ok,
          summary: result.summary,
          findings: result.findings,
          warnings: result.warnings,
        };
        const { sites, governed, todos } = result.summary;
        const text = [
          result.ok
            ? `OK: all ${sites} side-effect site(s) governed.`
            : `${result.findings.length} finding(s); ${governed} of ${sites} site(s) governed, ${todos} TODO(s).`,
          ...capped(
            result.findings.map((f) => `  ${f.location} ${f.message}`),
            100,
          ),
          ...result.warnings.map((w) => `warning: ${w}`),
        ].join("\n");
        return toolResult(structured, text);
      }),
  );

  server.registerTool(
    "governor_status",
    {
      title: "Governor setup status",
      description:
        "Is @governor/sdk installed (version), are GOVERNOR_* variables set, does the enforce URL answer, is a mock running.",
      inputSchema: z.object({ path: pathSchema }),
      outputSchema: statusOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ path }) =>
      guarded(async () => {
        const dir = await confine(path);
        const { governorStatus } = await import("../../core/governor-status.js");
        const status = await governorStatus({ dir, env });
        const lines = [
          `SDK: ${status.sdk.installed ? `installed ${status.sdk.version}` : "not installed"}${status.sdk.declaredRange ? ` (package.json: ${status.sdk.declaredRange})` : ""}`,
          `Environment: ${status.env.configured ? "configured" : `missing ${status.env.missing.join(", ")}`}`,
          ...status.env.variables.filter((v) => v.set).map((v) => `  ${v.name}=${v.value ?? "(hidden)"} [${v.source}]`),
          `Enforce URL: ${status.enforce.url ? `${status.enforce.url} ${status.enforce.reachable ? `reachable (HTTP ${status.enforce.status}, ${status.enforce.latencyMs} ms)` : `unreachable: ${status.enforce.error}`}` : "not set"}`,
          `Mock: ${status.mock.running ? `running at ${status.mock.url}` : "not running"}`,
          ...(status.nextSteps.length ? ["Next steps:", ...status.nextSteps.map((s) => `- ${s}`)] : ["Ready."]),
        ];
        return toolResult(status as unknown as Record<string, unknown>, lines.join("\n"));
      }),
  );
}
