/**
 * The seam between the engine and one kind of input. The engine (detect, plan, apply, undo, check,
 * the manifest, position mapping between transforms, reports and diffs) drives adapters through this
 * interface; everything that knows a language's syntax lives behind it, in `codemods/adapters/<id>/`.
 *
 * What an adapter provides, in the engine's words:
 * - **claims**: the file extensions it reads (`extensions`);
 * - **parse**: each transform and finder parses the file's exact text (offsets are UTF-16 indexes
 *   into it) or throws a `GovernorInitError` with code `PARSE_ERROR` and the reason; the engine
 *   reports the file as skipped and never half-writes it;
 * - **find sites**: side-effect calls (`findPrimitiveSites`), tool handlers (`findToolSites`), and
 *   entrypoints (the `enable` transform applies to the files detect marks as entrypoints);
 * - **produce edits**: each {@link SourceTransform} returns the new text plus the splices
 *   (`textEdits`, offsets into its input) that made it, following the language's insertion rules
 *   (where an import goes, how a handler is wrapped); the engine composes transforms on one file
 *   and maps site ids and lines back to the original through those splices;
 * - **recognise its own output**: running a transform on its own output changes nothing (`check`
 *   and re-runs count an already-governed site as governed, not as a site to edit).
 *
 * Anything exported here is public API of the engine.
 */
import type { PrimitiveSite, SourceTransform, ToolSite } from "../types.js";

/** One kind of input the codemods can read and edit: a language, or a workflow format. */
export interface LanguageAdapter {
  /** Stable id, also the adapter's folder under `codemods/adapters/`: `js`, later `python`, `n8n`. */
  readonly id: string;
  /** File extensions (with the dot) the adapter claims. */
  readonly extensions: readonly string[];
  /** Makes an entrypoint enable the SDK (an import or a call at the top of the module). */
  readonly enable: SourceTransform;
  /** Routes each side-effecting call through the SDK (`govern(...)` in JS). */
  readonly wrap?: SourceTransform;
  /** Puts each tool handler in an intent scope (`governTool(...)` in JS). */
  readonly scopes?: SourceTransform;
  /** The side-effect call sites of one file. Throws PARSE_ERROR when the file does not parse. */
  readonly findPrimitiveSites?: (source: string, path: string) => PrimitiveSite[];
  /** A cheap text pre-filter: false means `findPrimitiveSites` would certainly find nothing. */
  readonly mightHoldPrimitiveSite?: (source: string) => boolean;
  /** The tool handler sites of one file. Throws PARSE_ERROR when the file does not parse. */
  readonly findToolSites?: (source: string, path: string) => ToolSite[];
}

/** An adapter as loaded: the parts that could not be loaded are listed with the reason (reported as warnings). */
export interface LoadedAdapter extends LanguageAdapter {
  missing: string[];
}

/** How the engine finds an adapter without loading it (loading pulls in its parser). */
export interface AdapterEntry {
  readonly id: string;
  readonly extensions: readonly string[];
  load(): Promise<LoadedAdapter>;
}
