/**
 * Site ids: `<path>:<line>:<column>:<kind>` (1-based, in the file as it is on disk). `detect` reports
 * them, edits carry them, and users turn sites off with them (`--exclude`, the wizard's review).
 */
import type { EditKind } from "../types.js";

const SITE_ID = /^(.*):(\d+):(\d+):([a-z-]+)$/;

/** The id of the site at `position` in `path`. */
export function siteId(path: string, position: { line: number; column: number }, kind: EditKind): string {
  return `${path}:${position.line}:${position.column}:${kind}`;
}

/** A site id's parts, or undefined when `id` is not one. */
export function parseSiteId(id: string): { path: string; line: number; column: number; kind: EditKind } | undefined {
  const match = SITE_ID.exec(id);
  if (!match) return undefined;
  return { path: match[1]!, line: Number(match[2]), column: Number(match[3]), kind: match[4] as EditKind };
}

/** Splits `--exclude` values into site ids and files (project-relative paths or globs). */
export function splitExclude(values: readonly string[] | undefined): { files: string[]; sites: string[] } {
  const sites: string[] = [];
  const files: string[] = [];
  for (const value of values ?? []) (parseSiteId(value) ? sites : files).push(value);
  return { files, sites };
}
