/**
 * Parsing and surgical text edits, shared by every transform.
 *
 * Transforms find nodes with Babel's parser and splice the ORIGINAL text at the nodes' offsets.
 * Nothing is reprinted, so every byte outside an edited span (quotes, semicolons, comments, blank
 * lines, CRLF, BOM, shebang, directives) stays exactly as it was.
 */
import { parse, type ParserPlugin } from "@babel/parser";
import type { File } from "@babel/types";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";

/** A replacement of `source.slice(start, end)` by `text`. An insertion has `start === end`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const TS_EXTENSIONS = /\.(?:[cm]?ts)$/i;
const TSX_EXTENSIONS = /\.tsx$/i;

/** The Babel plugins for a file, chosen by extension (`.ts` has no JSX: `<T>x` is a cast there). */
function pluginsFor(path: string): ParserPlugin[] {
  const common: ParserPlugin[] = ["decorators-legacy", "classProperties", "topLevelAwait", "importAttributes"];
  if (TSX_EXTENSIONS.test(path)) return ["typescript", "jsx", ...common];
  if (TS_EXTENSIONS.test(path)) return ["typescript", ...common];
  return ["jsx", ...common];
}

/**
 * Replaces a leading BOM and shebang line with spaces of the same length. Babel rejects a shebang
 * after a BOM; masking instead of slicing keeps every offset aligned with the original text.
 */
function maskPrologue(source: string): string {
  let masked = source;
  let at = 0;
  if (masked.charCodeAt(0) === 0xfeff) {
    masked = " " + masked.slice(1);
    at = 1;
  }
  if (masked.startsWith("#!", at)) {
    const lineEnd = masked.indexOf("\n", at);
    const end = lineEnd === -1 ? masked.length : lineEnd;
    masked = masked.slice(0, at) + " ".repeat(end - at) + masked.slice(end);
  }
  return masked;
}

/** Offset just past a leading BOM and shebang line (and its line break): where a file's code begins. */
export function codeStart(source: string): number {
  let at = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (source.startsWith("#!", at)) {
    const lineEnd = source.indexOf("\n", at);
    at = lineEnd === -1 ? source.length : lineEnd + 1;
  }
  return at;
}

/**
 * Parses a JS/TS file. Node offsets (`start`, `end`) index into `source` as given, BOM and shebang
 * included (both are masked, so the AST has no `interpreter` node: use {@link codeStart}).
 * Throws a PARSE_ERROR {@link GovernorInitError} with the parser's message and position.
 */
export function parseSource(source: string, path: string): File {
  try {
    return parse(maskPrologue(source), {
      sourceType: "unambiguous",
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: false,
      allowUndeclaredExports: true,
      errorRecovery: false,
      plugins: pluginsFor(path),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `${path} does not parse: ${message}`, {
      cause: error,
      suggestion: "The file was skipped and left untouched. Fix the syntax error, or integrate this file by hand.",
      details: { path },
    });
  }
}

/**
 * Applies non-overlapping edits to `source`. Insertions at the same offset keep their given order.
 * Throws INTERNAL on overlapping edits: that is a transform bug, and writing would corrupt the file.
 */
export function applyTextEdits(source: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return source;
  let out = "";
  let cursor = 0;
  for (const edit of inApplyOrder(edits)) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > source.length) {
      throw new GovernorInitError(ErrorCodes.INTERNAL, `overlapping or out-of-range edit at offset ${edit.start}`, {
        suggestion: "This is a bug in a governor-init transform; the file was left untouched. Please report it.",
      });
    }
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}

/** Edits in the order {@link applyTextEdits} splices them: by start, then end, then given order. */
function inApplyOrder(edits: readonly TextEdit[]): TextEdit[] {
  const ordered = edits.map((edit, index) => ({ edit, index }));
  ordered.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index);
  return ordered.map(({ edit }) => edit);
}

/**
 * Maps offsets between a text and the text {@link applyTextEdits} makes of it with `edits`, both ways.
 * Used to keep positions (site ids, reported lines) anchored to the original file when several
 * transforms run on it one after another.
 */
export interface OffsetMap {
  /**
   * Where an offset of the text before the edits is after them. Text inserted AT the offset goes
   * before it (the character at the offset follows the insertion); an offset inside a replaced span
   * maps to the start of its replacement.
   */
  toAfter(offset: number): number;
  /**
   * Where an offset of the text after the edits was before them. An offset inside inserted text maps
   * to the offset the text was inserted at.
   */
  toBefore(offset: number): number;
}

/** The {@link OffsetMap} of a set of edits (the same non-overlapping edits given to {@link applyTextEdits}). */
export function offsetMap(edits: readonly TextEdit[]): OffsetMap {
  const ordered = inApplyOrder(edits);
  return {
    toAfter(offset) {
      let shift = 0;
      for (const edit of ordered) {
        if (edit.end <= offset) shift += edit.text.length - (edit.end - edit.start);
        else if (edit.start <= offset) return edit.start + shift;
        else break;
      }
      return offset + shift;
    },
    toBefore(offset) {
      let shift = 0;
      for (const edit of ordered) {
        const start = edit.start + shift;
        if (offset < start) break;
        if (offset < start + edit.text.length) return edit.start;
        shift += edit.text.length - (edit.end - edit.start);
      }
      return offset - shift;
    },
  };
}

/**
 * One edit that turns `before` into `after`: the span between their common prefix and common suffix.
 * For a transform that does not report its edits: positions inside the changed span collapse to its
 * start, positions outside it map exactly.
 */
export function editBetween(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  return [{ start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) }];
}

/** Offset of a 1-based line and 1-based column (UTF-16 code units, as site ids use), clamped to the text. */
export function offsetOf(source: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const lf = source.indexOf("\n", at);
    if (lf === -1) return source.length;
    at = lf + 1;
  }
  return Math.min(at + Math.max(0, column - 1), source.length);
}

/** 1-based line and 1-based column of an offset (the inverse of {@link offsetOf}). */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  const lineStart = at === 0 ? 0 : source.lastIndexOf("\n", at - 1) + 1;
  return { line: lineAt(source, at), column: at - lineStart + 1 };
}

/** 1-based line number of an offset. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** The file's line ending: CRLF when its first line break is CRLF, else LF. */
export function lineEnding(source: string): "\r\n" | "\n" {
  const lf = source.indexOf("\n");
  return lf > 0 && source[lf - 1] === "\r" ? "\r\n" : "\n";
}
