/**
 * Finding the source files of a project the codemods may read and edit, and reading them safely.
 *
 * Never walked: `node_modules`, build output, VCS and tool directories, whatever `.gitignore` files
 * (root and nested) ignore, and symbolic links (a link leading out of the project must not be followed,
 * and a link inside it is reached at its real path anyway; writing through a link would also replace
 * the link by a file). Files that are binary, minified, not UTF-8 or larger than 1 MiB are reported as
 * skipped with the reason and never touched.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { ADAPTERS } from "../adapters/index.js";

/** Extensions of the files the codemods read: whatever an adapter claims (the engine names no language). */
export const SOURCE_EXTENSIONS: readonly string[] = [...new Set(ADAPTERS.flatMap((adapter) => adapter.extensions))];

/** Directory names never entered, wherever they are. */
export const NEVER_WALKED = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".governor",
  "dist",
  "build",
  ".next",
  "out",
  "coverage",
  ".turbo",
  ".vercel",
  ".output",
  ".nuxt",
  ".svelte-kit",
  ".wrangler",
  ".cache",
]);

/** Files larger than this are skipped. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A file the engine did not process, and why (`binary file`, `minified`, `does not parse: …`). */
export interface SkippedFile {
  /** Project-relative POSIX path. */
  path: string;
  reason: string;
  /**
   * True when the file is the project's own code that could not be edited safely (it does not parse,
   * or a transform failed on it): integrate it by hand, with the snippets the CLI prints.
   */
  manual?: boolean;
}

/** A candidate source file found by {@link listSourceFiles}. */
export interface SourceFileRef {
  /** Project-relative POSIX path. */
  path: string;
  /** Absolute path on disk. */
  absolute: string;
}

/** Options of {@link listSourceFiles}. */
export interface ListOptions {
  /** Globs or exact project-relative paths to leave out (reported as skipped: `excluded by the user`). */
  exclude?: readonly string[];
}

const CLAIMED = new Set(SOURCE_EXTENSIONS);
/** A file some adapter claims, by its extension as written. */
function isSourceFile(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot > 0 && CLAIMED.has(name.slice(dot));
}
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** Converts an OS path relative to the root into the POSIX form used in reports. */
export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** Reads `dir/.gitignore` into a matcher, or undefined when there is none. */
function readGitignore(dir: string): Ignore | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch {
    return undefined;
  }
  return ignore().add(text);
}

/**
 * Lists the project's JS/TS source files (declaration files excluded), sorted by path, plus the entries
 * it refused to walk with the reason (symbolic links, user exclusions).
 */
export function listSourceFiles(
  root: string,
  options: ListOptions = {},
): { files: SourceFileRef[]; skipped: SkippedFile[] } {
  const files: SourceFileRef[] = [];
  const skipped: SkippedFile[] = [];
  const excluded = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : undefined;
  const realRoot = realpathSync(root);

  // Each .gitignore applies to paths relative to its own directory.
  const walk = (dir: string, ignores: { base: string; matcher: Ignore }[]): void => {
    const own = readGitignore(dir);
    const rules = own ? [...ignores, { base: dir, matcher: own }] : ignores;
    const isIgnored = (absolute: string, isDir: boolean): boolean =>
      rules.some(({ base, matcher }) => {
        const rel = toPosix(relative(base, absolute));
        return rel !== "" && matcher.ignores(isDir ? `${rel}/` : rel);
      });
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({
        path: toPosix(relative(root, dir)) || ".",
        reason: `cannot read directory: ${(error as Error).message}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      const rel = toPosix(relative(root, absolute));
      if (entry.isSymbolicLink()) {
        if (!isSourceFile(entry.name) && !isDirLink(absolute)) continue;
        let target: string;
        try {
          target = realpathSync(absolute);
        } catch {
          skipped.push({ path: rel, reason: "broken symbolic link" });
          continue;
        }
        const inside = target === realRoot || target.startsWith(realRoot + sep);
        skipped.push({
          path: rel,
          reason: inside
            ? "symbolic link (not followed; its target is processed at its own path)"
            : "symbolic link leading outside the project (not followed)",
        });
        continue;
      }
      if (entry.isDirectory()) {
        if (NEVER_WALKED.has(entry.name)) continue;
        if (isIgnored(absolute, true)) continue;
        if (excluded?.(rel) || excluded?.(`${rel}/`)) {
          skipped.push({ path: rel, reason: "excluded by the user" });
          continue;
        }
        walk(absolute, rules);
        continue;
      }
      if (!entry.isFile() || !isSourceFile(entry.name) || DECLARATION_FILE.test(entry.name)) continue;
      if (isIgnored(absolute, false)) continue;
      if (excluded?.(rel) || options.exclude?.includes(rel)) {
        skipped.push({ path: rel, reason: "excluded by the user" });
        continue;
      }
      files.push({ path: rel, absolute });
    }
  };
  walk(root, []);
  return { files, skipped };
}

function isDirLink(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return lstatSync(path).isSymbolicLink();
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Result of {@link readSourceFile}: the text, or why the file is not processed. */
export type ReadResult = { ok: true; source: string; bytes: Buffer } | { ok: false; reason: string };

/**
 * Reads a source file for transforming, refusing files it would be unsafe or pointless to edit:
 * larger than {@link MAX_FILE_BYTES}, binary (a NUL byte), not valid UTF-8 (re-encoding would change
 * bytes), or minified (`.min.js`, a line over 5,000 characters, or long average lines).
 * The BOM, if any, stays in `source` as U+FEFF.
 */
export function readSourceFile(absolute: string): ReadResult {
  let bytes: Buffer;
  try {
    const size = statSync(absolute).size;
    if (size > MAX_FILE_BYTES) return { ok: false, reason: `larger than 1 MiB (${size} bytes)` };
    bytes = readFileSync(absolute);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${(error as Error).message}` };
  }
  if (bytes.includes(0)) return { ok: false, reason: "binary file (contains a NUL byte)" };
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: "not valid UTF-8" };
  }
  const minified = minifiedReason(absolute, source);
  if (minified) return { ok: false, reason: minified };
  return { ok: true, source, bytes };
}

function minifiedReason(path: string, source: string): string | undefined {
  if (/\.min\.[cm]?js$/.test(path)) return "minified (.min.js)";
  if (source.length < 2_000) return undefined;
  let lines = 0;
  let longest = 0;
  let at = 0;
  while (at <= source.length) {
    const next = source.indexOf("\n", at);
    const end = next === -1 ? source.length : next;
    longest = Math.max(longest, end - at);
    lines++;
    if (next === -1) break;
    at = next + 1;
  }
  if (longest > 5_000) return `minified (a line of ${longest} characters)`;
  if (source.length / lines > 300) return "minified (average line longer than 300 characters)";
  return undefined;
}
