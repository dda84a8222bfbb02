/**
 * Repo-aware tools over the codemods engine (detect, plan, apply, check) and the status check.
 * Every path is confined to the client's roots before an engine sees it.
 */
import { z } from "zod";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import { loadCodemodsEngine } from "../engines.js";
import { resolveInsideRoots } from "../roots.js";
import { guarded, toolResult, truncate } from "../results.js";
import type { ToolContext } from "../server.js";

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

const editSchema = z.looseObject({ kind: z.string(), line: z.number() });
const planOutput = z.object({
  path: z.string(),
  mode: z.string(),
  summary: z.looseObject({ filesChanged: z.number(), edits: z.number() }),
  files: z.array(z.looseObject({ path: z.string(), edits: z.array(editSchema) })),
  skipped: z.array(anyObject),
  diff: z.string(),
});

const probeSchema = z.object({
  url: z.string().optional(),
  reachable: z.boolean(),
  status: z.number().optional(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});
const statusOutput = z.object({
  dir: z.string(),
  sdk: z.object({
    installed: z.boolean(),
    version: z.string().optional(),
    declaredRange: z.string().optional(),
    location: z.string().optional(),
  }),
  env: z.object({
    configured: z.boolean(),
    variables: z.array(
      z.object({ name: z.string(), set: z.boolean(), value: z.string().optional(), source: z.string().optional() }),
    ),
    missing: z.array(z.string()),
  }),
  enforce: probeSchema,
  mock: probeSchema.extend({ running: z.boolean() }),
  nextSteps: z.array(z.string()),
});

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A plan's diffs, whichever way the engine returns them (one string, a list, or per file). */
function collectDiff(result: Record<string, unknown>): string {
  if (typeof result.diff === "string") return result.diff;
  const pieces: string[] = [];
  const fromList = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item === "string") pieces.push(item);
      else if (typeof asRecord(item).diff === "string") pieces.push(asRecord(item).diff as string);
      else if (typeof asRecord(item).patch === "string") pieces.push(asRecord(item).patch as string);
    }
  };
  fromList(result.diffs);
  if (pieces.length === 0) fromList(asRecord(result.report).files ?? result.files);
  return pieces.join("\n");
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Registers `detect_stack`, `plan_integration`, `apply_integration`, `check_integration`, `governor_status`. */
export function registerProjectTools({ server, roots, env }: ToolContext): void {
  const confine = async (input: string | undefined) => resolveInsideRoots(input ?? ".", await roots());

  server.registerTool(
    "detect_stack",
    {
      title: "Detect the project's stack",
      description: "Detect package manager, module system, frameworks, entrypoints, side-effect sites and tool handlers.",
      inputSchema: z.object({ path: pathSchema }),
      outputSchema: z.object({ path: z.string(), stack: anyObject }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guarded(async () => {
        const dir = await confine(path);
        const stack = asRecord(await (await loadCodemodsEngine()).detect(dir));
        return toolResult({ path: dir, stack }, json(stack));
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
        const result = asRecord(await (await loadCodemodsEngine()).plan(dir, { mode: chosen }));
        const report = result.report === undefined ? result : asRecord(result.report);
        const summary = asRecord(report.summary);
        const diff = collectDiff(result);
        const structured = {
          path: dir,
          mode: chosen,
          summary: { ...summary, filesChanged: Number(summary.filesChanged ?? 0), edits: Number(summary.edits ?? 0) },
          files: Array.isArray(report.files) ? report.files.map(asRecord).map(({ diff: _d, ...f }) => f) : [],
          skipped: Array.isArray(report.skipped) ? report.skipped.map(asRecord) : [],
          diff: truncate(diff, MAX_DIFF_CHARS),
        };
        const text = `${structured.summary.edits} edit(s) in ${structured.summary.filesChanged} file(s), mode ${chosen}; ${structured.skipped.length} file(s) skipped.\n\n${structured.diff}`;
        return toolResult(structured as Record<string, unknown>, text);
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
      outputSchema: z.object({ path: z.string(), mode: z.string(), result: anyObject }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ path, mode, allowDirty }) =>
      guarded(async () => {
        const dir = await confine(path);
        const chosen = mode ?? DEFAULT_MODE;
        const result = asRecord(
          await (await loadCodemodsEngine()).apply(dir, { mode: chosen, allowDirty: allowDirty ?? false }),
        );
        return toolResult({ path: dir, mode: chosen, result }, `Applied (mode ${chosen}) in ${dir}.\n${json(result)}`);
      }),
  );

  server.registerTool(
    "check_integration",
    {
      title: "Check for ungoverned side effects",
      description: "List side-effect call sites and tool handlers that run without a Governor decision (file:line).",
      inputSchema: z.object({ path: pathSchema }),
      outputSchema: z.object({ path: z.string(), report: anyObject }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ path }) =>
      guarded(async () => {
        const dir = await confine(path);
        const report = asRecord(await (await loadCodemodsEngine()).check(dir));
        return toolResult({ path: dir, report }, json(report));
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
