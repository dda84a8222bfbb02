/**
 * The integration modes, as data: the codemods, CLI flags, wizard menu, MCP schemas and docs all read this.
 */

/** One integration mode. */
export interface ModeInfo {
  readonly id: string;
  readonly name: string;
  /** One sentence for menus and tool descriptions. */
  readonly summary: string;
}

/** Every mode; `hybrid` is the default. */
export const MODES = [
  {
    id: "preload",
    name: "Zero-code preload",
    summary:
      "Add NODE_OPTIONS=--import @governor/sdk/register (or --require for CommonJS) to start/dev scripts; no source edits.",
  },
  {
    id: "enable",
    name: "One-liner enable",
    summary:
      "Import @governor/sdk/register first thing at every entrypoint, so fetch, http, child_process and fs writes are governed.",
  },
  {
    id: "wrap",
    name: "Wrap call sites",
    summary:
      "Route each side-effect call site through govern(...), for code runtime patching cannot reach (bundled, edge).",
  },
  {
    id: "scopes",
    name: "Explicit intent scopes",
    summary: "Wrap every agent tool handler with governTool(...), so each call runs in its own intent scope.",
  },
  {
    id: "hybrid",
    name: "Hybrid (recommended)",
    summary:
      "Enable at entrypoints, intent scopes around tool handlers, and call-site wrapping where patching cannot reach.",
  },
] as const satisfies readonly ModeInfo[];

/** A mode id from {@link MODES}. */
export type ModeId = (typeof MODES)[number]["id"];

/** All mode ids, for schemas and completions. */
export const MODE_IDS = MODES.map((m) => m.id) as [ModeId, ...ModeId[]];

/** The mode used when none is given. */
export const DEFAULT_MODE: ModeId = "hybrid";
