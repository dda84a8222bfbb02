/**
 * Types of the codemods engine: what detect, plan, apply, undo and check exchange, and the
 * contract every transform implements.
 *
 * Anything exported here is public API of the engine (the CLI, the wizard and the MCP server use it).
 */
import type { FrameworkId } from "../templates/frameworks.js";
import type { ModeId } from "../templates/modes.js";
import type { TextEdit } from "./shared/source.js";

/** The kinds of edit a plan reports. */
export type EditKind = "enable" | "preload" | "wrap-primitive" | "intent-scope";

/** One edit a transform made, as reported in a plan. */
export interface EditRecord {
  kind: EditKind;
  /** 1-based line in the ORIGINAL file where the edit starts. */
  line: number;
  /** One short sentence for humans: `wrap fetch(...) with govern()`, `governTool around get_weather`. */
  description: string;
  /** Stable id of the site (`<path>:<line>:<column>:<kind>`), so a user can toggle it off. */
  siteId?: string;
}

/** The module system a file is evaluated under. */
export type ModuleSystem = "esm" | "cjs";

/**
 * Where a file runs. `edge`: Next.js `runtime = "edge"` files and middleware, Vercel edge functions,
 * Cloudflare Workers — no Node builtins, so inserted code imports `@governor/sdk/edge`.
 */
export type Runtime = "node" | "edge";

/** What a transform is given for one file. */
export interface TransformInput {
  /** Path relative to the project root, POSIX separators. */
  path: string;
  /** The file's exact bytes, decoded as UTF-8 (a BOM, if any, is kept as U+FEFF at index 0). */
  source: string;
  /** How the file is evaluated; decides `import` vs `require` for inserted code. */
  moduleSystem: ModuleSystem;
  /** Site ids the user turned off; the transform leaves those sites alone. */
  excludedSites?: ReadonlySet<string>;
  /** Where the file runs; `node` when absent (detect marks edge files, the engine sets `edge`). */
  runtime?: Runtime;
}

/** What a transform returns. `source === input.source` and `edits.length === 0` when nothing changed. */
export interface TransformOutput {
  source: string;
  edits: EditRecord[];
  /** Sites the transform found but could not handle safely, with the reason (reported, not edited). */
  warnings?: { line: number; message: string }[];
  /**
   * The text edits that turned `input.source` into `source` (offsets into `input.source`). When several
   * transforms run on one file, the engine maps site ids and lines between the original text and the
   * intermediate ones with them; a transform that leaves it out gets a coarser mapping.
   */
  textEdits?: TextEdit[];
}

/** A source transform (enable, wrap-primitives, intent-scopes). Pure: text in, text out. */
export interface SourceTransform {
  readonly name: "enable" | "wrap-primitives" | "intent-scopes";
  /**
   * A cheap text pre-filter: false means the transform certainly has nothing to do in this file, so
   * the file is not parsed. It may return true for files where nothing ends up changing.
   */
  mightApply(source: string): boolean;
  /** Applies the transform. Throws a `GovernorInitError` (PARSE_ERROR) when the file does not parse. */
  run(input: TransformInput): TransformOutput;
}

/** A side-effecting primitive call site, as found in a file. */
export interface PrimitiveSite {
  /** `fetch`, `axios`, `http`, `undici`, `child_process`, `fs`, `sql`. */
  kind: "fetch" | "axios" | "http" | "undici" | "child_process" | "fs" | "sql";
  /** The callee as written, e.g. `fetch`, `cp.exec`, `fs.writeFileSync`, `pool.query`. */
  callee: string;
  line: number;
  column: number;
  /** Already routed through `govern(...)`. */
  wrapped: boolean;
  /** Lexically inside a `governor.withIntent(...)` scope or a `governTool(...)`-wrapped handler. */
  inScope: boolean;
}

/** An agent tool handler site, as found in a file. */
export interface ToolSite {
  framework: FrameworkId;
  /** How it was recognised: `tool({ execute })`, `server.registerTool`, `DynamicStructuredTool`, … */
  pattern: string;
  /** The tool's name when it can be read statically. */
  toolName?: string;
  line: number;
  column: number;
  /** Already wrapped with `governTool(...)`. */
  wrapped: boolean;
  /** The inserted intent has a `TODO(governor)` marker the user must resolve. */
  hasTodo: boolean;
}

export type { FrameworkId, ModeId, TextEdit };
