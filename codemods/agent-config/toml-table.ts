import { parse as parseToml } from "smol-toml";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";

/** What to do with an existing table: keep it (no change), replace it, or report a conflict. */
export type ExistingDecision = "keep" | "replace" | "conflict";

/** Result of {@link upsertTomlTable}. */
export type TomlEdit = { kind: "unchanged" } | { kind: "conflict" } | { kind: "write"; content: string };

const HEADER = /^[ \t]*\[(?!\[)((?:[^\]"'#]|"(?:[^"\\]|\\.)*"|'[^']*')+)\][ \t]*(?:#.*)?$/;
const ARRAY_HEADER = /^[ \t]*\[\[/;

/** Splits a dotted TOML key (`a."b.c".d`) into its parts. */
function splitDottedKey(key: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < key.length && (match = re.exec(key))) {
    parts.push(match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : (match[2] ?? match[3]!));
    if (match[4] === "") break;
  }
  return parts;
}

function startsWith(pathParts: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((p, i) => pathParts[i] === p);
}

function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  throw new GovernorInitError(ErrorCodes.INTERNAL, `Cannot write ${typeof value} to TOML.`);
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function getPath(doc: unknown, keys: readonly string[]): unknown {
  let cursor = doc;
  for (const key of keys) cursor = (cursor as Record<string, unknown> | undefined)?.[key];
  return cursor;
}

function withoutPath(doc: Record<string, unknown>, keys: readonly string[]): unknown {
  const copy = structuredClone(doc);
  const chain: Array<Record<string, unknown>> = [copy];
  for (const key of keys.slice(0, -1)) {
    const next = chain[chain.length - 1]?.[key];
    if (typeof next !== "object" || next === null) return copy;
    chain.push(next as Record<string, unknown>);
  }
  delete chain[chain.length - 1]![keys[keys.length - 1]!];
  // An emptied parent table (`mcp_servers` holding only ours) is the same as no table at all.
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![keys[i - 1]!];
  }
  return copy;
}

function parseOrThrow(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.UNSUPPORTED_CONFIG, "The TOML config does not parse; left it alone.", {
      cause: error,
    });
  }
}

/**
 * Adds or replaces the table at `tablePath` (e.g. `[mcp_servers.governor]`) in a TOML document by
 * splicing text, so every byte outside that table — comments, ordering, other tables — survives.
 * smol-toml drops comments when it stringifies, so it is used only to parse and verify the result.
 */
export function upsertTomlTable(
  text: string,
  tablePath: readonly string[],
  values: Record<string, unknown>,
  onExisting: (existing: unknown) => ExistingDecision,
): TomlEdit {
  const before = parseOrThrow(text);
  const existing = getPath(before, tablePath);
  if (existing !== undefined) {
    const decision = onExisting(existing);
    if (decision === "keep") return { kind: "unchanged" };
    if (decision === "conflict") return { kind: "conflict" };
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const tableText =
    [
      `[${tablePath.map(tomlKey).join(".")}]`,
      ...Object.entries(values).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`),
    ].join(eol) + eol;

  const lines = text.split(/(?<=\n)/);
  let start = -1;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r?\n$/, "");
    const header = HEADER.exec(line);
    const isArrayHeader = ARRAY_HEADER.test(line);
    if (!header && !isArrayHeader) continue;
    const keys = header ? splitDottedKey(header[1]!) : [];
    const inside = header !== null && startsWith(keys, tablePath);
    if (start === -1 && inside && keys.length === tablePath.length) start = i;
    else if (start !== -1 && end === -1 && !inside) end = i;
    else if (inside && end !== -1) {
      throw new GovernorInitError(
        ErrorCodes.UNSUPPORTED_CONFIG,
        `[${tablePath.join(".")}] is split across the file; left it alone.`,
        { suggestion: "Move its sub-tables next to it, or edit the entry by hand." },
      );
    }
  }
  let after: string;
  if (start === -1) {
    if (existing !== undefined) {
      throw new GovernorInitError(
        ErrorCodes.UNSUPPORTED_CONFIG,
        `${tablePath.join(".")} is defined inline or with dotted keys; left it alone.`,
        { suggestion: `Remove it or rewrite it as a [${tablePath.join(".")}] table, then run again.` },
      );
    }
    const separator = text === "" ? "" : text.endsWith("\n") ? (text.endsWith(`${eol}${eol}`) ? "" : eol) : eol + eol;
    after = text + separator + tableText;
  } else {
    if (end === -1) end = lines.length;
    // Blank lines and comments right before the next header belong to that header, not to ours.
    let last = end;
    while (last > start + 1 && /^\s*(#[^\n]*)?\s*$/.test(lines[last - 1]!)) last--;
    const tail = lines.slice(last).join("");
    after = lines.slice(0, start).join("") + tableText + (tail !== "" && !tableText.endsWith("\n") ? eol : "") + tail;
  }

  const parsedAfter = parseOrThrow(after);
  const written = getPath(parsedAfter, tablePath);
  const othersSame =
    JSON.stringify(withoutPath(before, tablePath)) === JSON.stringify(withoutPath(parsedAfter, tablePath));
  if (JSON.stringify(written) !== JSON.stringify(values) || !othersSame) {
    throw new GovernorInitError(
      ErrorCodes.UNSUPPORTED_CONFIG,
      `Could not edit [${tablePath.join(".")}] safely; left the file alone.`,
      { suggestion: "Add the entry by hand (see the diff printed with --dry-run)." },
    );
  }
  return { kind: "write", content: after };
}
