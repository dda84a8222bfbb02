/**
 * `check(dir)`: the CI gate. Lists every side-effect call site that is not governed, and every
 * `TODO(governor)` marker the intent-scopes codemod left for a human.
 */
import { splitExclude } from "../shared/site-id.js";
import { lineAt } from "../shared/source.js";
import { DEFAULT_MODE, type ModeId } from "../../templates/modes.js";
import { loadEngineParts, type EngineParts } from "./parts.js";
import { readManifest } from "./apply.js";
import { planLayout } from "./plan.js";
import {
  packageOf,
  readLayout,
  scanSites,
  type LocatedPrimitiveSite,
  type LocatedToolSite,
  type PackageInfo,
  type ProjectLayout,
  type ScanOptions,
} from "./detect.js";
import type { SkippedFile } from "./walk.js";
import { isTestFile } from "./test-runner.js";
import type { PrimitiveSite } from "../types.js";

/** Primitive kinds `@governor/sdk/register` patches at runtime. Others (axios, pg, mysql2, undici) need wrap or a scope. */
export const RUNTIME_PATCHED_KINDS: ReadonlySet<PrimitiveSite["kind"]> = new Set([
  "fetch",
  "http",
  "child_process",
  "fs",
]);

/** One finding of {@link check}. */
export interface CheckFinding {
  /** `path:line`, for editors and CI logs. */
  location: string;
  path: string;
  line: number;
  /** `unanalysable`: a file check could not read or parse, so it cannot vouch for it (fails closed). */
  kind: "ungoverned-site" | "todo" | "unanalysable";
  message: string;
  /** The site's id, for `--exclude-site` and the wizard. */
  siteId?: string;
  /**
   * What fixes this finding, for humans: `governor-init apply` only when apply would govern the site
   * (it plans an edit for it), never for what a second apply would not change.
   */
  fix: string;
}

/** What {@link check} returns. `ok` is false when there is any finding. */
export interface CheckResult {
  ok: boolean;
  findings: CheckFinding[];
  /** How many primitive sites were found, and how many of them are governed. */
  summary: { sites: number; governed: number; todos: number; toolSites: number; unscopedTools: number };
  /** Tool handlers without an intent scope: informative (their side effects are checked as sites). */
  unscopedTools: LocatedToolSite[];
  skipped: SkippedFile[];
  /**
   * `"use client"` modules, left out of the counts: they run in the browser, where the Node SDK does
   * not reach and no server side effect happens (wrap leaves them alone too).
   */
  clientComponents: string[];
  warnings: string[];
  /**
   * Findings in test files (see {@link TEST_FILE_GLOBS}), reported apart and left out of the gate and
   * the counts unless `includeTests`: a test's own fixture writes are not production side effects.
   */
  testFiles?: { sites: number; findings: CheckFinding[] };
}

const TODO_MARKER = "TODO(governor)";

/** {@link CheckFinding.fix} texts. */
export const CHECK_FIXES = {
  apply: "governor-init apply",
  byHand: "wrap the call with govern(...) or call it inside a governed tool / governor.withIntent",
  todo: "replace each TODO(governor) with the intent's real action/resource",
  parse: "fix the file so it parses, or leave it out on purpose: governor-init check --exclude <path>",
  exclude: "leave the file out on purpose: governor-init check --exclude <path>",
} as const;

/**
 * The sites a plan in the project's mode would govern: the wrap edits' site ids, the files it puts a
 * tool scope in, and the packages it enables the preload in. The mode is the last apply's (from the
 * manifest), else the default. Transforms see the current text, so anything already applied plans nothing.
 */
function plannedFixes(layout: ProjectLayout, parts: EngineParts) {
  let mode: ModeId = DEFAULT_MODE;
  try {
    mode = readManifest(layout.root)?.mode ?? DEFAULT_MODE;
  } catch {
    // an unreadable manifest: plan in the default mode
  }
  const { report } = planLayout(layout, parts, mode);
  const wrapped = new Set<string>();
  const scopedFiles = new Set<string>();
  const enabledPackages = new Set<string>();
  for (const file of report.files) {
    for (const edit of file.edits) {
      if (edit.kind === "wrap-primitive" && edit.siteId) wrapped.add(edit.siteId);
      else if (edit.kind === "intent-scope") scopedFiles.add(file.path);
      else if (edit.kind === "enable" || edit.kind === "preload")
        enabledPackages.add(packageOf(layout.packages, file.path).dir);
    }
  }
  return (site: LocatedPrimitiveSite, pkg: PackageInfo): boolean =>
    wrapped.has(site.siteId) ||
    // A scope goes around a tool's handler: sites in that file are the ones apply can reach.
    scopedFiles.has(site.path) ||
    (enabledPackages.has(pkg.dir) && RUNTIME_PATCHED_KINDS.has(site.kind) && !pkg.edge.files.includes(site.path));
}

/**
 * Whether a module starts with a `"use client"` directive: only comments, a hashbang and other
 * directives may come before it (the directive prologue), read without parsing the file.
 */
export function isClientModule(source: string): boolean {
  if (!source.includes("use client")) return false;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (source.startsWith("#!", i)) i = source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
  const skipTrivia = () => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i]!)) i++;
      if (source.startsWith("//", i)) {
        const end = source.indexOf("\n", i);
        i = end === -1 ? source.length : end;
      } else if (source.startsWith("/*", i)) {
        const end = source.indexOf("*/", i + 2);
        i = end === -1 ? source.length : end + 2;
      } else return;
    }
  };
  for (;;) {
    skipTrivia();
    const quote = source[i];
    if (quote !== '"' && quote !== "'") return false;
    const end = source.indexOf(quote, i + 1);
    if (end === -1) return false;
    if (source.slice(i + 1, end) === "use client") return true;
    i = end + 1;
    skipTrivia();
    if (source[i] === ";") i++;
  }
}

/** Options of {@link check}. */
export interface CheckOptions extends ScanOptions {
  /**
   * What the user leaves out on purpose, like plan's `--exclude`: project-relative paths or globs of
   * files (never read, so never findings), and site ids (`<path>:<line>:<column>:<kind>`).
   */
  exclude?: readonly string[];
  /** Gate test files too (runner globs, `__tests__`, `*.test.*`, `*.spec.*`, fixtures); by default they are reported apart. */
  includeTests?: boolean;
}

/**
 * Whether a package's process loads the SDK preload before its code runs: every one of its
 * entrypoints imports `@governor/sdk/register` (there is at least one), or one of its start/dev scripts
 * preloads it; or a workspace package that is covered depends on it (its code runs in that process).
 * Edge and bundled code (Workers packages, edge files) is never covered: patching cannot reach it.
 */
export function coveredPackages(packages: readonly PackageInfo[]): Set<string> {
  const covered = new Set<string>();
  for (const pkg of packages) {
    if (pkg.edge.whole) continue;
    // Edge entrypoints never get the preload (it cannot run there); their sites need wrap instead.
    const entries = pkg.entrypoints.filter((e) => !pkg.edge.files.includes(e.path));
    if ((entries.length > 0 && entries.every((e) => e.enabled)) || pkg.scripts.some((s) => s.preloaded))
      covered.add(pkg.dir);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const pkg of packages) {
      if (covered.has(pkg.dir) || pkg.edge.whole || !pkg.name) continue;
      if (packages.some((other) => covered.has(other.dir) && other.dependencies.includes(pkg.name!))) {
        covered.add(pkg.dir);
        grew = true;
      }
    }
  }
  return covered;
}

/** Why a site is governed, or undefined when it is not. */
function governedBy(site: LocatedPrimitiveSite, pkg: PackageInfo, covered: Set<string>): string | undefined {
  if (site.wrapped) return "wrapped";
  if (site.inScope) return "in scope";
  if (RUNTIME_PATCHED_KINDS.has(site.kind) && covered.has(pkg.dir) && !pkg.edge.files.includes(site.path))
    return "entrypoint";
  return undefined;
}

/**
 * The `TODO(governor): …` note that starts at `at`, without the code around it. Inside a string
 * literal (`action: "TODO(governor): …"`) it ends at the string's closing quote, escapes read;
 * in a comment, at the comment's end. The line before the marker is scanned for an open quote or
 * comment, so a quote inside a comment or an apostrophe inside a double-quoted string is just text.
 */
export function todoNoteAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = text.indexOf("\n", at);
  const end = lineEnd === -1 ? text.length : lineEnd;
  let quote: string | undefined;
  for (let i = lineStart; i < at; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if (ch === "/" && text[i + 1] === "/") break;
    else if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close === -1 || close >= at) break;
      i = close + 1;
    }
  }
  if (quote === undefined) {
    const close = text.indexOf("*/", at);
    return text.slice(at, close !== -1 && close < end ? close : end).trim();
  }
  let note = "";
  for (let i = at; i < end; i++) {
    const ch = text[i]!;
    if (ch === quote) break;
    if (ch === "\\" && i + 1 < end) {
      const next = text[++i]!;
      note += next === "n" ? " " : next === "t" ? " " : next;
    } else note += ch;
  }
  return note.trim();
}

/**
 * Checks a project (reads only). A primitive call site is governed when it is
 * - wrapped with `govern(...)`, or
 * - lexically inside an intent scope (`governor.withIntent`, a `governTool`-wrapped handler), or
 * - a runtime-patched primitive (fetch, http/https, child_process, fs writes) in a package whose
 *   process loads the preload (see {@link coveredPackages}) and not in an edge file.
 * axios, undici, pg and mysql2 calls are only governed by wrapping or a scope. Every `TODO(governor)`
 * marker is a finding too: an intent the codemod could not determine; so is every file that could
 * not be analysed (does not parse, too large, minified, binary, not UTF-8, unreadable): a gate that
 * cannot see a file must not vouch for it. Files and sites in `options.exclude` are left out, and so
 * are `"use client"` modules (browser code; listed in `clientComponents`). `ok` is
 * false when there is any finding (the CLI exits non-zero).
 */
export async function check(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const exclude = splitExclude(options.exclude);
  const excludedSites = new Set(exclude.sites);
  const excludeFiles = [...(options.excludeFiles ?? []), ...exclude.files];
  const layout = readLayout(dir, { excludeFiles });
  const parts = await loadEngineParts();
  const { primitiveSites, toolSites, skipped } = scanSites(layout, parts);
  const covered = coveredPackages(layout.packages);
  const clientComponents = layout.files
    .filter((file) => {
      const text = layout.readText(file);
      return text !== undefined && isClientModule(text);
    })
    .map((file) => file.path);
  const isClient = new Set(clientComponents);
  const findings: CheckFinding[] = [];
  let governed = 0;
  let sites = 0;
  let testSites = 0;
  const ungoverned: [CheckFinding, LocatedPrimitiveSite, PackageInfo][] = [];
  for (const site of primitiveSites) {
    if (excludedSites.has(site.siteId) || isClient.has(site.path)) continue;
    if (!options.includeTests && isTestFile(site.path)) testSites++;
    else sites++;
    const pkg = packageOf(layout.packages, site.path);
    if (governedBy(site, pkg, covered)) {
      if (options.includeTests || !isTestFile(site.path)) governed++;
      continue;
    }
    const reason = RUNTIME_PATCHED_KINDS.has(site.kind)
      ? "not wrapped, not in an intent scope, and no entrypoint of its package loads @governor/sdk/register"
      : `not wrapped and not in an intent scope (${site.kind} is not patched at runtime)`;
    findings.push({
      location: `${site.path}:${site.line}`,
      path: site.path,
      line: site.line,
      kind: "ungoverned-site",
      message: `${site.callee}(…): ${reason}`,
      siteId: site.siteId,
      fix: CHECK_FIXES.byHand,
    });
    ungoverned.push([findings[findings.length - 1]!, site, pkg]);
  }
  if (ungoverned.length > 0) {
    const applyFixes = plannedFixes(layout, parts);
    for (const [finding, site, pkg] of ungoverned) if (applyFixes(site, pkg)) finding.fix = CHECK_FIXES.apply;
  }
  let todos = 0;
  for (const file of layout.files) {
    const text = layout.readText(file);
    if (!text || !text.includes(TODO_MARKER)) continue;
    let at = text.indexOf(TODO_MARKER);
    while (at !== -1) {
      const line = lineAt(text, at);
      findings.push({
        location: `${file.path}:${line}`,
        path: file.path,
        line,
        kind: "todo",
        message: todoNoteAt(text, at),
        fix: CHECK_FIXES.todo,
      });
      todos++;
      at = text.indexOf(TODO_MARKER, at + TODO_MARKER.length);
    }
  }
  // A CI gate fails closed: a file it could not read or parse may hold anything.
  const directories = layout.skipped.filter((s) => s.reason.startsWith("cannot read directory"));
  for (const file of [...directories, ...skipped]) {
    findings.push({
      location: file.path,
      path: file.path,
      line: 0,
      kind: "unanalysable",
      message: `could not be analysed: ${file.reason}`,
      fix: /does not parse/.test(file.reason) ? CHECK_FIXES.parse : CHECK_FIXES.exclude,
    });
  }
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  // Test files are reported apart and left out of the gate unless asked for (--include-tests).
  const testFindings = options.includeTests ? [] : findings.filter((f) => isTestFile(f.path));
  if (testFindings.length > 0) {
    for (const f of testFindings) findings.splice(findings.indexOf(f), 1);
    todos -= testFindings.filter((f) => f.kind === "todo").length;
  }
  const serverTools = toolSites.filter((t) => !isClient.has(t.path));
  const unscopedTools = serverTools.filter((t) => !t.wrapped);
  return {
    ok: findings.length === 0,
    findings,
    summary: {
      sites,
      governed,
      todos,
      toolSites: serverTools.length,
      unscopedTools: unscopedTools.length,
    },
    unscopedTools,
    skipped: [...layout.skipped, ...skipped],
    clientComponents,
    warnings: parts.missing.map((m) => `codemods part not available: ${m}`),
    ...(options.includeTests ? {} : { testFiles: { sites: testSites, findings: testFindings } }),
  };
}
