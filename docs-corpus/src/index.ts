/**
 * The docs engine's public API: search the Governor docs corpus, read a document or a section, and get
 * a framework's integration recipe as structured steps.
 *
 * Anything exported here is public API; the MCP server and the CLI's `docs search` call it.
 * The index (`dist/docs-index.json`, written by `build-index`) is loaded lazily, once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { createDocsEngine, type DocsEngine } from "./engine.js";
import type { DocContent, DocsIndex, DocSummary, Recipe, SearchOptions, SearchResult } from "./model.js";

export { createDocsEngine, estimateTokens, type DocsEngine, type RankingSignals } from "./engine.js";
export type {
  CodeBlock,
  DocContent,
  DocKind,
  DocsIndex,
  DocSection,
  DocSummary,
  Recipe,
  RecipeCode,
  RecipeStep,
  SearchOptions,
  SearchResult,
} from "./model.js";

// Compiled: dist/docs-corpus/src/index.js → dist/docs-index.json. From source (tsx, vitest):
// docs-corpus/src/index.ts → dist/docs-index.json at the repository root.
const INDEX_CANDIDATES = ["../../docs-index.json", "../../dist/docs-index.json"];

/** Where the shipped index is, or undefined when it has not been built. */
export function defaultIndexPath(): string | undefined {
  for (const candidate of INDEX_CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Reads and validates an index file. */
export function loadIndex(path: string): DocsIndex {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DocsIndex;
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `The docs index at ${path} could not be read.`, {
      cause: error,
      suggestion: "Rebuild it with npm run build.",
    });
  }
}

let engine: DocsEngine | undefined;

function defaultEngine(): DocsEngine {
  if (engine) return engine;
  const path = defaultIndexPath();
  if (!path) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, "The docs index (dist/docs-index.json) has not been built.", {
      suggestion: "Run npm run build, which writes it.",
    });
  }
  engine = createDocsEngine(loadIndex(path));
  return engine;
}

/**
 * Searches the docs: ranked sections, each whole, at most `limit` (default 5) and, with `maxTokens`,
 * within that budget (≈ characters / 4; sections that do not fit are passed over, never cut).
 * `framework` keeps that framework's recipes and the general guides.
 *
 * @throws GovernorInitError NOT_FOUND for an unknown framework id.
 */
export function search(query: string, options?: SearchOptions): SearchResult[] {
  return defaultEngine().search(query, options);
}

/**
 * A document by uri (`governor://docs/<slug>`), or one section of it (`governor://docs/<slug>#<anchor>`).
 *
 * @throws GovernorInitError NOT_FOUND for an unknown uri, with the valid ones in the suggestion.
 */
export function getDoc(uri: string): DocContent {
  return defaultEngine().getDoc(uri);
}

/** Every document: uri, slug, kind, title, description, frameworks and modes. */
export function listDocs(): DocSummary[] {
  return defaultEngine().listDocs();
}

/**
 * A framework's integration recipe as numbered steps with their code blocks and file names.
 * `mode` defaults to `hybrid`.
 *
 * @throws GovernorInitError NOT_FOUND for an unknown framework or a mode the recipe does not cover.
 */
export function getRecipe(framework: string, mode?: string): Recipe {
  return defaultEngine().getRecipe(framework, mode);
}
