/**
 * `plan(dir, options)`: every edit the codemods would make, as per-file before/after text with a
 * unified diff, and a JSON report. Reads only; `apply` writes what `plan` returns.
 */
import { parseSiteId, siteId } from "../shared/site-id.js";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { createTwoFilesPatch } from "diff";
import { withNoOp, type NoOpReason } from "./no-op.js";
import { DEFAULT_MODE, MODE_IDS, type ModeId } from "../../templates/modes.js";
import { nextInstrumentationFile } from "../../templates/snippets/enable.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import type { EditRecord, Runtime, SourceTransform, TransformOutput } from "../types.js";
import { preloadPackageJson } from "../preload/index.js";
import { editBetween, lineAt, offsetMap, offsetOf, positionOf, type OffsetMap } from "../shared/source.js";
import { loadEngineParts, type EngineParts } from "./parts.js";
import { moduleSystemOf, packageOf, readLayout, type PackageInfo, type ProjectLayout } from "./detect.js";
import type { SkippedFile } from "./walk.js";

/** Options of {@link plan} (and {@link apply}). */
export interface PlanOptions {
  /** The integration mode; `hybrid` when absent. */
  mode?: ModeId;
  /** What the user turned off: files (globs or paths) and site ids (`<path>:<line>:<column>:<kind>`). */
  exclude?: { files?: readonly string[]; sites?: readonly string[] };
}

/** One file's planned edits. */
export interface PlannedFile {
  path: string;
  edits: EditRecord[];
}

/** The JSON report of a plan. */
export interface PlanReport {
  /** Absolute project root. */
  root: string;
  mode: ModeId;
  summary: { filesChanged: number; edits: number; skipped: number };
  files: PlannedFile[];
  skipped: SkippedFile[];
  /** Sites found but not edited, and other notes (`path:line: message`). */
  warnings: string[];
  /** When the plan changes nothing: why, and what to do instead. */
  noOp?: NoOpReason;
}

/** One file's change: `before` is null for a file the plan creates. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string;
  /** Unified diff (`a/<path>` → `b/<path>`; `/dev/null` for a created file). */
  diff: string;
}

/** What {@link plan} returns. */
export interface PlanResult {
  report: PlanReport;
  changes: FileChange[];
}

/** A package's role in hybrid mode, decided once per package. */
interface PackageRoles {
  entrypoints: Set<string>;
  edgeFiles: Set<string>;
  /** Runtime patching cannot reach any of this package's code: wrap it all (hybrid). */
  wrapAll: boolean;
}

/**
 * Whether runtime patching reaches a package: it has an entrypoint or a preloading start script, or a
 * workspace package that is reached depends on it (its code then runs in that process).
 */
export function reachablePackages(packages: readonly PackageInfo[]): Set<string> {
  const reached = new Set(
    packages
      .filter(
        (p) =>
          !p.edge.whole && (p.entrypoints.length > 0 || p.scripts.some((s) => s.runners.length > 0 || s.preloaded)),
      )
      .map((p) => p.dir),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const pkg of packages) {
      if (reached.has(pkg.dir) || pkg.edge.whole || !pkg.name) continue;
      if (packages.some((other) => reached.has(other.dir) && other.dependencies.includes(pkg.name!))) {
        reached.add(pkg.dir);
        grew = true;
      }
    }
  }
  return reached;
}

function rolesOf(packages: readonly PackageInfo[]): Map<string, PackageRoles> {
  const reached = reachablePackages(packages);
  return new Map(
    packages.map((pkg) => [
      pkg.dir,
      {
        entrypoints: new Set(pkg.entrypoints.map((e) => e.path)),
        edgeFiles: new Set(pkg.edge.files),
        // A monorepo's root package holds tooling, not a deployed process: it is left to `check`.
        wrapAll: pkg.edge.whole || (!reached.has(pkg.dir) && !(pkg.dir === "." && packages.length > 1)),
      },
    ]),
  );
}

/** Which transforms a file goes through in a mode, in order. */
function transformsFor(mode: ModeId, parts: EngineParts, path: string, roles: PackageRoles): SourceTransform[] {
  const isEdge = roles.wrapAll || roles.edgeFiles.has(path);
  const isEntry = roles.entrypoints.has(path);
  const list: (SourceTransform | undefined)[] = [];
  switch (mode) {
    case "preload":
      break;
    case "enable":
      if (isEntry && !isEdge) list.push(parts.enable);
      break;
    case "wrap":
      list.push(parts.wrap);
      break;
    case "scopes":
      list.push(parts.scopes);
      break;
    case "hybrid":
      list.push(parts.scopes);
      if (isEdge) list.push(parts.wrap);
      if (isEntry && !isEdge) list.push(parts.enable);
      break;
  }
  return list.filter((t): t is SourceTransform => t !== undefined);
}

function diffOf(path: string, before: string | null, after: string): string {
  return createTwoFilesPatch(
    before === null ? "/dev/null" : `a/${path}`,
    `b/${path}`,
    before ?? "",
    after,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
}

/**
 * Positions in a file as transforms edit it one after another. Site ids and reported lines always refer
 * to the ORIGINAL text (that is what `detect` reports and what users exclude by), while each transform
 * sees the text the previous ones left: this maps between the two through every step's edits.
 */
class PositionTrail {
  private readonly steps: OffsetMap[] = [];
  current: string;

  constructor(
    private readonly path: string,
    private readonly original: string,
  ) {
    this.current = original;
  }

  /** Records a transform's output; edits it did not report are approximated by the span that changed. */
  advance(output: TransformOutput): void {
    if (output.source === this.current) return;
    this.steps.push(offsetMap(output.textEdits ?? editBetween(this.current, output.source)));
    this.current = output.source;
  }

  /** This file's excluded site ids, moved to where those sites are in the current text. */
  excludedNow(excluded: ReadonlySet<string>): ReadonlySet<string> {
    if (this.steps.length === 0 || excluded.size === 0) return excluded;
    const moved = new Set<string>();
    for (const id of excluded) {
      const site = parseSiteId(id);
      if (!site || site.path !== this.path) {
        moved.add(id);
        continue;
      }
      let offset = offsetOf(this.original, site.line, site.column);
      for (const step of this.steps) offset = step.toAfter(offset);
      moved.add(siteId(this.path, positionOf(this.current, offset), site.kind));
    }
    return moved;
  }

  private toOriginal(offset: number): number {
    let at = offset;
    for (let i = this.steps.length - 1; i >= 0; i--) at = this.steps[i]!.toBefore(at);
    return at;
  }

  /** A line of the current text, as the line of the original it came from (inserted lines: where they went in). */
  originalLine(line: number): number {
    if (this.steps.length === 0) return line;
    return lineAt(this.original, this.toOriginal(offsetOf(this.current, line, 1)));
  }

  /** An edit record of the current text, with its line and site id referring to the original text. */
  originalEdit(edit: EditRecord): EditRecord {
    if (this.steps.length === 0) return edit;
    const site = edit.siteId === undefined ? undefined : parseSiteId(edit.siteId);
    if (!site || site.path !== this.path) return { ...edit, line: this.originalLine(edit.line) };
    const then = positionOf(this.original, this.toOriginal(offsetOf(this.current, site.line, site.column)));
    const line = site.line === edit.line ? then.line : this.originalLine(edit.line);
    return { ...edit, line, siteId: siteId(this.path, then, site.kind) };
  }
}

/** Runs a file through its transforms. Throws whatever a transform throws (the caller skips the file). */
function transformFile(
  path: string,
  source: string,
  transforms: readonly SourceTransform[],
  moduleSystem: "esm" | "cjs",
  excludedSites: ReadonlySet<string>,
  runtime: Runtime,
): { after: string; edits: EditRecord[]; warnings: string[] } {
  const trail = new PositionTrail(path, source);
  const edits: EditRecord[] = [];
  const warnings: string[] = [];
  for (const transform of transforms) {
    if (!transform.mightApply(trail.current)) continue;
    const output: TransformOutput = transform.run({
      path,
      source: trail.current,
      moduleSystem,
      excludedSites: trail.excludedNow(excludedSites),
      runtime,
    });
    for (const edit of output.edits) edits.push(trail.originalEdit(edit));
    for (const warning of output.warnings ?? [])
      warnings.push(`${path}:${trail.originalLine(warning.line)}: ${warning.message}`);
    trail.advance(output);
  }
  return { after: trail.current, edits, warnings };
}

/** Why a file does not parse (from the primitive-site finder, which parses it), or undefined when it does. */
function parseErrorOf(parts: EngineParts, path: string, source: string): string | undefined {
  try {
    parts.findPrimitiveSites?.(source, path);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Computes the plan over an already-read layout (shared by plan, apply and check). */
export function planLayout(
  layout: ProjectLayout,
  parts: EngineParts,
  mode: ModeId,
  exclude: PlanOptions["exclude"] = {},
  applied: ReadonlyMap<string, string> = new Map(),
): PlanResult {
  const excludedSites = new Set(exclude.sites ?? []);
  const roles = rolesOf(layout.packages);
  const files: PlannedFile[] = [];
  const changes: FileChange[] = [];
  const skipped: SkippedFile[] = [...layout.skipped];
  const warnings: string[] = [];
  const needs = (name: string, part: unknown) => {
    if (!part)
      warnings.push(`the ${name} codemod is not available in this build; its edits are missing from this plan`);
  };
  if (mode === "wrap" || mode === "hybrid") needs("wrap-primitives", parts.wrap);
  if (mode === "scopes" || mode === "hybrid") needs("intent-scopes", parts.scopes);

  const record = (path: string, before: string | null, after: string, edits: EditRecord[]) => {
    if (after === before) return;
    files.push({ path, edits });
    changes.push({ path, before, after, diff: diffOf(path, before, after) });
  };

  for (const file of layout.files) {
    const pkg = packageOf(layout.packages, file.path);
    const transforms = transformsFor(mode, parts, file.path, roles.get(pkg.dir)!);
    if (transforms.length === 0) continue;
    // Cheap text pre-filter before reading the file's analysis in earnest.
    const source = layout.readText(file);
    if (source === undefined) {
      skipped.push({ path: file.path, reason: layout.unreadable.get(file.path) ?? "unreadable" });
      continue;
    }
    if (!transforms.some((t) => t.mightApply(source))) {
      // No transform will parse it, but `check` does (it may hold a side effect): a file that does not
      // parse is reported here too, so plan's Skipped list matches what check cannot analyse.
      const parseError = parts.mightHoldPrimitiveSite?.(source) ? parseErrorOf(parts, file.path, source) : undefined;
      if (parseError !== undefined) skipped.push({ path: file.path, reason: parseError, manual: true });
      continue;
    }
    // Written by an apply in this mode and untouched since: transforms are idempotent, nothing to do.
    const appliedHash = applied.get(file.path);
    if (appliedHash !== undefined && createHash("sha256").update(source).digest("hex") === appliedHash) continue;
    try {
      // Edge code has no Node builtins: inserted imports come from the SDK's edge entry.
      const runtime = pkg.edge.whole || pkg.edge.files.includes(file.path) ? "edge" : "node";
      const result = transformFile(
        file.path,
        source,
        transforms,
        moduleSystemOf(pkg, file.path),
        excludedSites,
        runtime,
      );
      warnings.push(...result.warnings);
      record(file.path, source, result.after, result.edits);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      skipped.push({ path: file.path, reason, manual: true });
    }
  }

  // Entry points to create (Next.js instrumentation.ts), and package.json scripts in preload mode.
  for (const pkg of layout.packages) {
    if (mode === "enable" || mode === "hybrid") {
      for (const entry of pkg.entrypoints) {
        if (entry.exists || excludedByUser(entry.path, exclude.files)) continue;
        const after = nextInstrumentationFile();
        record(entry.path, null, after, [
          {
            kind: "enable",
            line: 1,
            description: "create the Next.js instrumentation hook importing @governor/sdk/register",
          },
        ]);
      }
    }
    if (mode === "preload") {
      const path = posix.join(pkg.dir, "package.json");
      const full = join(layout.root, path);
      if (!existsSync(full) || excludedByUser(path, exclude.files)) continue;
      const before = readFileSync(full, "utf8");
      try {
        const result = preloadPackageJson(before, { moduleSystem: pkg.moduleSystem, crossEnv: pkg.hasCrossEnv });
        warnings.push(...result.warnings.map((w) => `${path}:${w.line}: ${w.message}`));
        record(path, before, result.text, result.edits);
      } catch (error) {
        skipped.push({ path, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  files.sort((a, b) => a.path.localeCompare(b.path));
  changes.sort((a, b) => a.path.localeCompare(b.path));
  return {
    report: {
      root: layout.root,
      mode,
      summary: {
        filesChanged: files.length,
        edits: files.reduce((n, f) => n + f.edits.length, 0),
        skipped: skipped.length,
      },
      files,
      skipped,
      warnings,
      ...withNoOp(layout, mode, files.length, applied),
    },
    changes,
  };
}

/**
 * Files the last apply in `mode` wrote, by path, with the sha256 it wrote (from `.governor/manifest.json`).
 * A missing or unreadable manifest means none: the plan then simply analyses every file.
 */
export function appliedFiles(root: string, mode: ModeId): Map<string, string> {
  const applied = new Map<string, string>();
  try {
    const manifest = JSON.parse(readFileSync(join(root, ".governor/manifest.json"), "utf8")) as {
      files?: { path?: unknown; sha256After?: unknown; mode?: unknown; partial?: unknown }[];
    };
    for (const file of manifest.files ?? []) {
      // A file written with sites excluded is analysed again: those sites are not known to be settled.
      if (file.partial === true) continue;
      if (file.mode === mode && typeof file.path === "string" && typeof file.sha256After === "string") {
        applied.set(file.path, file.sha256After);
      }
    }
  } catch {
    // no manifest, or not one we can read: analyse everything
  }
  return applied;
}

function excludedByUser(path: string, patterns: readonly string[] | undefined): boolean {
  return !!patterns?.some((p) => p === path);
}

/** Validates a mode id; throws INVALID_INPUT for anything else. */
export function checkMode(mode: string | undefined): ModeId {
  const value = mode ?? DEFAULT_MODE;
  if (!(MODE_IDS as readonly string[]).includes(value)) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `unknown mode "${value}"`, {
      suggestion: `Use one of: ${MODE_IDS.join(", ")}.`,
    });
  }
  return value as ModeId;
}

/**
 * Plans the codemods for a project without writing anything.
 *
 * Modes: `preload` edits package.json start/dev scripts only; `enable` imports the SDK preload at every
 * entrypoint (creating Next.js `instrumentation.ts` when absent); `wrap` routes every primitive call
 * site through `govern()`; `scopes` wraps every tool handler in an intent scope; `hybrid` (default) is
 * enable + scopes, plus wrap only where runtime patching cannot reach: edge files (Next.js
 * `runtime = "edge"`, middleware, Vercel edge functions), Cloudflare Workers packages, and packages
 * with no entrypoint that no reached workspace package depends on (except a monorepo's root package,
 * which holds tooling).
 *
 * A file whose transform throws (e.g. it does not parse) is listed in `report.skipped` with the reason
 * and left out of `changes`; the run goes on.
 */
export async function plan(dir: string, options: PlanOptions = {}): Promise<PlanResult> {
  const mode = checkMode(options.mode);
  const layout = readLayout(dir, { excludeFiles: options.exclude?.files });
  const parts = await loadEngineParts();
  return planLayout(layout, parts, mode, options.exclude, appliedFiles(layout.root, mode));
}
