/**
 * `apply(dir, options)` writes a plan; `undo(dir)` takes it back. Both keep a manifest in
 * `.governor/manifest.json` with each touched file's hashes and its original bytes.
 *
 * `.governor/` is local undo state, not project source: it holds copies of the original files, and once
 * the change is committed, git is the better undo. It therefore carries its own `.gitignore` (`*`), so it
 * never shows up in `git status` and is never committed by accident; nothing in it needs to be shared.
 */
import { writeFileAtomic } from "../../core/atomic-write.js";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createTwoFilesPatch } from "diff";
import { dirname, join, resolve } from "node:path";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import type { ModeId } from "../../templates/modes.js";
import type { EditRecord } from "../types.js";
import { loadEngineParts } from "./parts.js";
import { readLayout } from "./detect.js";
import { relocateEdits } from "./undo-relocate.js";
import { appliedFiles, checkMode, planLayout, type PlanOptions, type PlanReport } from "./plan.js";

/** The directory of the engine's local state, relative to the project root. */
export const STATE_DIR = ".governor";
/** The manifest's path, relative to the project root. */
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
const ORIGINALS_DIR = `${STATE_DIR}/originals`;
const APPLIED_DIR = `${STATE_DIR}/applied`;

/** One file the engine changed or created. */
export interface ManifestFile {
  path: string;
  /** sha256 (hex) of the bytes before the first apply touched it; null when apply created the file. */
  sha256Before: string | null;
  /** sha256 (hex) of the bytes apply wrote. */
  sha256After: string;
  /** Where the original bytes are kept (under `.governor/originals/`); null for a created file. */
  original: string | null;
  created: boolean;
  /** The mode of the last apply that wrote the file: a later plan in that mode skips it while unchanged. */
  mode?: ModeId;
  /**
   * The last apply that wrote the file left sites in it alone (`exclude.sites`): a later plan analyses
   * it again rather than skipping it, so it gives what it would give without the manifest.
   */
  partial?: boolean;
  edits: EditRecord[];
  /**
   * Where a copy of the bytes apply wrote is kept (under `.governor/applied/`): when the file changed
   * since, undo re-locates governor-init's own edits in the current text from it (undo-relocate.ts).
   */
  applied?: string;
  /** What wrote the file: a transform (absent), the SDK install, the test wiring, or an agent config. */
  origin?: WriteOrigin;
}

/** What wrote a file the manifest records, besides the transforms. */
export type WriteOrigin = "sdk-install" | "test-setup" | "agent-config";

/** `.governor/manifest.json`. */
export interface Manifest {
  version: 1;
  tool: "governor-init";
  /** ISO time of the last apply. */
  updatedAt: string;
  mode: ModeId;
  files: ManifestFile[];
}

/** Options of {@link apply}. */
export interface ApplyOptions extends PlanOptions {
  /** Write even when the git work tree has uncommitted changes. */
  allowDirty?: boolean;
}

/** What {@link apply} did. */
export interface ApplyResult {
  report: PlanReport;
  /** Files written (changed or created), project-relative. */
  written: string[];
  /** Project-relative path of the manifest, or null when nothing was written. */
  manifest: string | null;
  /** What the user should know next (shown by the CLI after a successful apply). */
  notes: string[];
}

/** The guidance about `.governor/` given after an apply that wrote something. */
export const STATE_DIR_GUIDANCE =
  ".governor/ holds governor-init's local undo state (the manifest and copies of the original files). " +
  "It ignores itself (.governor/.gitignore), so don't commit it: review and commit the edited files, and " +
  "run `governor-init undo` before committing if you want them back.";

/** What {@link undo} did. */
export interface UndoResult {
  /** Files restored to their original bytes (or removed, for created files). */
  reverted: string[];
  /**
   * Files that changed since apply, where governor-init's own edits were found again in the current
   * text and taken out, keeping the user's changes (a subset of `reverted`).
   */
  relocated?: string[];
  /**
   * Files left alone because they changed since apply (code FILE_CHANGED), with the reason and, when
   * governor-init's edits can be pointed at, the exact spans to remove by hand.
   */
  leftAlone: { path: string; code: "FILE_CHANGED"; reason: string; spans?: string[] }[];
  /** The manifest (and `.governor/`) was removed because everything was reverted. */
  manifestRemoved: boolean;
  /** `dryRun`: nothing was written; `diffs` shows what undo would do. */
  dryRun?: boolean;
  /** With `dryRun`: the unified diff of each file undo would change (current → reverted). */
  diffs?: { path: string; diff: string }[];
}

/** Options of {@link undo}. */
export interface UndoOptions {
  /** Write nothing; return the diffs undo would apply. */
  dryRun?: boolean;
}

/** sha256 of bytes, hex. */
export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads the manifest, or undefined when there is none. Throws INVALID_INPUT when it is corrupt. */
export function readManifest(root: string): Manifest | undefined {
  const file = join(root, MANIFEST_PATH);
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    if (manifest.version !== 1 || !Array.isArray(manifest.files)) throw new Error("unknown manifest version");
    return manifest;
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `${MANIFEST_PATH} is not a manifest governor-init can read`, {
      cause: error,
      suggestion: "Restore it from backup, or revert the changes with git and delete .governor/.",
    });
  }
}

function writeManifest(root: string, manifest: Manifest): void {
  mkdirSync(join(root, STATE_DIR), { recursive: true });
  const ignoreFile = join(root, STATE_DIR, ".gitignore");
  if (!existsSync(ignoreFile)) {
    writeFileSync(ignoreFile, "# Local undo state of governor-init (original files); not meant to be committed.\n*\n");
  }
  writeFileAtomic(join(root, MANIFEST_PATH), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Said when apply runs outside a git repository. */
export const NO_GIT_NOTE =
  "This directory is not in a git repository: undo relies on .governor/ alone (the manifest and copies of the " +
  "original files). Keep .governor/ until you are sure, or put the project under git first.";

/** Whether `root` is inside a git work tree. */
export function inGitWorkTree(root: string): boolean {
  try {
    execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Lists uncommitted changes in the git work tree under `root` (ignoring `.governor/`); empty when
 * clean or when `root` is not in a git repository.
 */
export function dirtyFiles(root: string): string[] {
  try {
    execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, stdio: "pipe" });
  } catch {
    return [];
  }
  const out = execFileSync(
    "git",
    ["status", "--porcelain", "--untracked-files=normal", "--", ".", `:(exclude)${STATE_DIR}`],
    {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
}

/**
 * Applies the plan for `dir`: writes each changed file atomically (only files whose bytes change),
 * creates files the plan creates, and records every write in `.governor/manifest.json` (hashes before
 * and after, original bytes under `.governor/originals/`, the edits). A second apply over the result
 * finds nothing to do and writes nothing. A later apply that changes more files adds them to the
 * manifest, keeping each file's first original.
 *
 * Refuses (DIRTY_WORKTREE) when there is something to write and the git work tree under `dir` has
 * uncommitted changes, unless `allowDirty`; the user's edits and ours would be mixed in one diff.
 */
export async function apply(dir: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  const mode = checkMode(options.mode);
  const layout = readLayout(dir, { excludeFiles: options.exclude?.files });
  const parts = await loadEngineParts();
  const { report, changes } = planLayout(layout, parts, mode, options.exclude, appliedFiles(layout.root, mode));
  const root = layout.root;
  if (changes.length === 0) return { report, written: [], manifest: null, notes: [] };

  if (!options.allowDirty) {
    const dirty = dirtyFiles(root);
    if (dirty.length > 0) {
      throw new GovernorInitError(
        ErrorCodes.DIRTY_WORKTREE,
        `the git work tree has uncommitted changes (${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ", …" : ""})`,
        {
          suggestion: "Commit or stash your changes first so the codemod's diff stands alone, or pass --allow-dirty.",
          details: { files: dirty },
        },
      );
    }
  }

  const previous = readManifest(root);
  const entries = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const editsByPath = new Map(report.files.map((f) => [f.path, f.edits]));
  const written: string[] = [];
  for (const change of changes) {
    const target = join(root, change.path);
    const afterHash = sha256(change.after);
    const known = entries.get(change.path);
    if (change.before === null) {
      if (existsSync(target)) continue; // appeared since the plan: never overwrite a user's file
    } else {
      // The file must still hold the bytes the plan was computed from.
      const current = readFileSync(target);
      if (current.toString("utf8") !== change.before) {
        report.skipped.push({ path: change.path, reason: "changed while planning; left untouched" });
        continue;
      }
      if (!known) {
        const original = join(ORIGINALS_DIR, change.path);
        mkdirSync(dirname(join(root, original)), { recursive: true });
        writeFileAtomic(join(root, original), current);
      }
    }
    writeFileAtomic(target, change.after);
    keepAppliedCopy(root, change.path, change.after);
    written.push(change.path);
    const edits = editsByPath.get(change.path) ?? [];
    const entry: ManifestFile = known
      ? { ...known, sha256After: afterHash, mode, edits: [...known.edits, ...edits] }
      : {
          path: change.path,
          sha256Before: change.before === null ? null : sha256(change.before),
          sha256After: afterHash,
          original: change.before === null ? null : join(ORIGINALS_DIR, change.path).split("\\").join("/"),
          created: change.before === null,
          mode,
          edits,
        };
    entry.applied = appliedCopyPath(change.path);
    delete entry.partial;
    if (options.exclude?.sites?.some((id) => id.startsWith(`${change.path}:`))) entry.partial = true;
    entries.set(change.path, entry);
  }
  if (written.length > 0) {
    writeManifest(root, {
      version: 1,
      tool: "governor-init",
      updatedAt: new Date().toISOString(),
      mode,
      files: [...entries.values()].sort((a, b) => a.path.localeCompare(b.path)),
    });
  }
  return {
    report,
    written,
    manifest: written.length > 0 ? MANIFEST_PATH : null,
    notes: written.length > 0 ? [STATE_DIR_GUIDANCE, ...(inGitWorkTree(root) ? [] : [NO_GIT_NOTE])] : [],
  };
}

/**
 * Reverts exactly what the manifest records. A file whose current bytes are not the bytes apply wrote
 * is left alone and reported (FILE_CHANGED): it changed since, and restoring it would lose that work.
 * A created file is removed only if unchanged. When every file is reverted, `.governor/` is removed;
 * otherwise the manifest keeps the files still to revert.
 *
 * Throws NO_MANIFEST when there is nothing to undo.
 */
export function undo(dir: string, options: UndoOptions = {}): UndoResult {
  const root = resolve(dir);
  const manifest = readManifest(root);
  if (!manifest) {
    throw new GovernorInitError(ErrorCodes.NO_MANIFEST, `no ${MANIFEST_PATH} in ${dir}: nothing to undo`, {
      suggestion: "Run undo from the project root where apply ran, or revert with git.",
    });
  }
  const dryRun = options.dryRun === true;
  const diffs: { path: string; diff: string }[] = [];
  const reverted: string[] = [];
  const relocated: string[] = [];
  const leftAlone: UndoResult["leftAlone"] = [];
  const remaining: ManifestFile[] = [];
  const restore = (file: ManifestFile, current: Buffer | undefined, next: Buffer | null): void => {
    if (dryRun) {
      if (!isBinaryPath(file.path) && !isLockfile(file.path)) {
        diffs.push({
          path: file.path,
          diff: createTwoFilesPatch(
            file.path,
            file.path,
            current?.toString("utf8") ?? "",
            next?.toString("utf8") ?? "",
            "current",
            "after undo",
          ),
        });
      } else diffs.push({ path: file.path, diff: next === null ? `remove ${file.path}\n` : `restore ${file.path}\n` });
      return;
    }
    const target = join(root, file.path);
    if (next === null) {
      unlinkSync(target);
      removeEmptyParents(root, dirname(target));
    } else writeFileAtomic(target, next);
  };
  for (const file of manifest.files) {
    const target = join(root, file.path);
    const current = existsSync(target) ? readFileSync(target) : undefined;
    if (current === undefined || sha256(current) !== file.sha256After) {
      // Changed since apply: take governor-init's own edits out of the current text, keeping the user's.
      const outcome = current === undefined ? undefined : relocateFile(root, file, current.toString("utf8"));
      if (outcome?.ok) {
        restore(file, current, Buffer.from(outcome.text, "utf8"));
        reverted.push(file.path);
        relocated.push(file.path);
        continue;
      }
      leftAlone.push({
        path: file.path,
        code: "FILE_CHANGED",
        reason:
          current === undefined
            ? "the file was deleted since apply"
            : `the file changed since apply${outcome ? `: ${outcome.reason}` : ""}; revert it by hand`,
        ...(outcome && outcome.spans.length > 0 ? { spans: outcome.spans } : {}),
      });
      remaining.push(file);
      continue;
    }
    if (file.created) {
      restore(file, current, null);
    } else {
      const original = readFileSync(join(root, file.original!));
      if (file.sha256Before && sha256(original) !== file.sha256Before) {
        leftAlone.push({
          path: file.path,
          code: "FILE_CHANGED",
          reason: "the stored original is damaged; revert it with git",
        });
        remaining.push(file);
        continue;
      }
      restore(file, current, original);
    }
    reverted.push(file.path);
  }
  const extra = { ...(relocated.length > 0 ? { relocated } : {}) };
  if (dryRun) return { reverted, ...extra, leftAlone, manifestRemoved: false, dryRun: true, diffs };
  if (remaining.length === 0) {
    rmSync(join(root, STATE_DIR), { recursive: true, force: true });
    return { reverted, ...extra, leftAlone, manifestRemoved: true };
  }
  for (const file of manifest.files) {
    if (!remaining.includes(file) && file.original) rmSync(join(root, file.original), { force: true });
  }
  writeManifest(root, { ...manifest, updatedAt: new Date().toISOString(), files: remaining });
  return { reverted, ...extra, leftAlone, manifestRemoved: false };
}

function appliedCopyPath(path: string): string {
  return join(APPLIED_DIR, path).split("\\").join("/");
}

/** Keeps the bytes apply wrote, so undo can find its edits again after the user changed the file. */
function keepAppliedCopy(root: string, path: string, bytes: string | Buffer): void {
  const copy = join(root, appliedCopyPath(path));
  mkdirSync(dirname(copy), { recursive: true });
  writeFileAtomic(copy, bytes);
}

function isBinaryPath(path: string): boolean {
  return /\.(tgz|tar|gz|lockb)$/.test(path);
}

/** Lockfiles: a dry run names them rather than printing a diff of thousands of lines. */
function isLockfile(path: string): boolean {
  return /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?)$/.test(path);
}

/** Removes directories left empty by undo, up to (not including) the project root. */
function removeEmptyParents(root: string, dir: string): void {
  for (let cursor = dir; cursor.startsWith(root) && cursor !== root; cursor = dirname(cursor)) {
    try {
      if (readdirSync(cursor).length > 0) return;
      rmdirSync(cursor);
    } catch {
      return;
    }
  }
}

function relocateFile(
  root: string,
  file: ManifestFile,
  current: string,
): { ok: true; text: string } | { ok: false; reason: string; spans: string[] } {
  if (file.created || !file.original || !file.applied || !existsSync(join(root, file.applied))) {
    return {
      ok: false,
      reason: file.created ? "governor-init created it" : "no copy of what apply wrote",
      spans: [],
    };
  }
  const original = readFileSync(join(root, file.original), "utf8");
  const applied = readFileSync(join(root, file.applied), "utf8");
  return relocateEdits(file.path, original, applied, current);
}

/** Snapshot of a file before something outside the transforms writes it (see {@link recordWrites}). */
export interface FileSnapshot {
  /** Project-relative path, POSIX separators. */
  path: string;
  /** Its bytes before, or null when it did not exist. */
  before: Buffer | null;
}

/** Takes {@link FileSnapshot}s of project-relative paths (absent files give `before: null`). */
export function snapshotFiles(root: string, paths: readonly string[]): FileSnapshot[] {
  return paths.map((path) => {
    const target = join(resolve(root), path);
    return { path: path.split("\\").join("/"), before: existsSync(target) ? readFileSync(target) : null };
  });
}

/**
 * Records in the manifest the files something other than the transforms wrote (the SDK install, the
 * test wiring, agent configs), from snapshots taken before: each file whose bytes changed gets an entry
 * like a transform's (hashes, original bytes, a copy of what was written), so `undo` reverts it too.
 * A file already in the manifest keeps its first original. Returns the paths recorded.
 */
export function recordWrites(
  dir: string,
  snapshots: readonly FileSnapshot[],
  origin: WriteOrigin,
  mode: ModeId = "hybrid",
): string[] {
  const root = resolve(dir);
  const previous = readManifest(root);
  const entries = new Map((previous?.files ?? []).map((f) => [f.path, f]));
  const recorded: string[] = [];
  for (const snap of snapshots) {
    const target = join(root, snap.path);
    if (!existsSync(target)) continue;
    const now = readFileSync(target);
    if (snap.before !== null && now.equals(snap.before)) continue;
    const known = entries.get(snap.path);
    let entry: ManifestFile;
    if (known) {
      entry = { ...known, sha256After: sha256(now) };
    } else {
      let original: string | null = null;
      if (snap.before !== null) {
        original = join(ORIGINALS_DIR, snap.path).split("\\").join("/");
        mkdirSync(dirname(join(root, original)), { recursive: true });
        writeFileAtomic(join(root, original), snap.before);
      }
      entry = {
        path: snap.path,
        sha256Before: snap.before === null ? null : sha256(snap.before),
        sha256After: sha256(now),
        original,
        created: snap.before === null,
        edits: [],
        origin,
      };
    }
    if (!isBinaryPath(snap.path)) {
      keepAppliedCopy(root, snap.path, now);
      entry.applied = appliedCopyPath(snap.path);
    }
    entries.set(snap.path, entry);
    recorded.push(snap.path);
  }
  if (recorded.length > 0) {
    writeManifest(root, {
      version: 1,
      tool: "governor-init",
      updatedAt: new Date().toISOString(),
      mode: previous?.mode ?? mode,
      files: [...entries.values()].sort((a, b) => a.path.localeCompare(b.path)),
    });
  }
  return recorded;
}
