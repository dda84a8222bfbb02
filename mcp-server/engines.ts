/**
 * Lazy loaders for the engines the MCP server fronts.
 *
 * Each engine is imported on the first tool call that needs it, never at start-up, so spawn →
 * `initialize` stays as fast as a minimal server. A missing engine becomes a
 * {@link GovernorInitError} the tool reports, not a crash.
 */
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** The docs engine (`docs-corpus/src/index.ts`). */
export type DocsEngine = typeof import("../docs-corpus/src/index.js");

/** The codemods engine (`codemods/index.ts`). */
export type CodemodsEngine = typeof import("../codemods/index.js");

/** Intent inference for `build_intent` (`codemods/intent-scopes/infer-intent.ts`). */
export type IntentInferenceEngine = typeof import("../codemods/intent-scopes/infer-intent.js");

const DOCS_ENGINE = "../docs-corpus/src/index.js";
const CODEMODS_ENGINE = "../codemods/index.js";
const INFER_INTENT = "../codemods/intent-scopes/infer-intent.js";

// Literal specifiers, so bundlers and the compiler see every engine the server can load.
const importers: Record<string, () => Promise<unknown>> = {
  [DOCS_ENGINE]: () => import("../docs-corpus/src/index.js"),
  [CODEMODS_ENGINE]: () => import("../codemods/index.js"),
  [INFER_INTENT]: () => import("../codemods/intent-scopes/infer-intent.js"),
};

const cache = new Map<string, Promise<unknown>>();

async function load<T>(specifier: string, label: string, required: string[]): Promise<T> {
  let pending = cache.get(specifier);
  if (!pending) {
    pending = importers[specifier]!();
    cache.set(specifier, pending);
    // A failed import is not cached: the engine may be installed or built later in the same session.
    pending.catch(() => cache.delete(specifier));
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await pending) as Record<string, unknown>;
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.INTERNAL, `The ${label} could not be loaded.`, {
      cause: error,
      suggestion: "Reinstall governor-init (npx -y governor-init@latest mcp); if it persists, report it.",
    });
  }
  for (const name of required) {
    if (typeof mod[name] !== "function") {
      throw new GovernorInitError(ErrorCodes.INTERNAL, `The ${label} has no ${name}() export.`, {
        suggestion: "This build of governor-init is inconsistent; reinstall it or report the problem.",
      });
    }
  }
  return mod as T;
}

/** The docs engine, loaded on first use. */
export function loadDocsEngine(): Promise<DocsEngine> {
  return load<DocsEngine>(DOCS_ENGINE, "docs engine", ["search", "getDoc", "listDocs", "getRecipe"]);
}

/** The codemods engine, loaded on first use (it pulls in the parsers, so only tools that edit code pay). */
export function loadCodemodsEngine(): Promise<CodemodsEngine> {
  return load<CodemodsEngine>(CODEMODS_ENGINE, "codemods engine", ["detect", "plan", "apply", "check"]);
}

/** Intent inference, loaded on first use. */
export function loadIntentInference(): Promise<IntentInferenceEngine> {
  return load<IntentInferenceEngine>(INFER_INTENT, "intent inference engine", ["inferIntent"]);
}
