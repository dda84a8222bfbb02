/**
 * The JavaScript/TypeScript adapter. Its parts keep the paths they are published under (each runs
 * alone as `dist/codemods/<transform>/jscodeshift.js`):
 * - `codemods/enable/`: the entrypoint transform;
 * - `codemods/wrap-primitives/`: side-effect call sites and their `govern(...)` wrapping;
 * - `codemods/intent-scopes/`: tool sites (the generic matcher over the framework rows in
 *   `templates/frameworks.ts`) and their `governTool(...)` scopes;
 * - `codemods/shared/`: Babel parsing with exact offsets, text splices, SDK imports;
 * - `codemods/preload/`: the `package.json` scripts transform of preload mode.
 * wrap-primitives and intent-scopes pull in `@babel/traverse`, so they load on the first detect, plan
 * or check, keeping module loading off the CLI's `--help` path.
 */
import type { LanguageAdapter, LoadedAdapter } from "../../engine/adapter.js";
import { enableTransform } from "../../enable/index.js";
import { JS_EXTENSIONS } from "./extensions.js";

type Parts = Omit<LanguageAdapter, "id" | "extensions" | "enable">;

/** Loads the JS adapter's parts; a part that fails to load is listed in `missing`, never silently dropped. */
export async function loadJsAdapter(): Promise<LoadedAdapter> {
  const missing: string[] = [];
  let wrapParts: Parts = {};
  let scopeParts: Parts = {};
  try {
    const wrap = await import("../../wrap-primitives/index.js");
    wrapParts = {
      wrap: wrap.wrapPrimitives,
      findPrimitiveSites: wrap.findPrimitiveSites,
      mightHoldPrimitiveSite: wrap.mightHoldPrimitiveSite,
    };
  } catch (error) {
    missing.push(`wrap-primitives: ${(error as Error).message}`);
  }
  try {
    const scopes = await import("../../intent-scopes/index.js");
    scopeParts = { scopes: scopes.intentScopes, findToolSites: scopes.findToolSites };
  } catch (error) {
    missing.push(`intent-scopes: ${(error as Error).message}`);
  }
  return { id: "js", extensions: JS_EXTENSIONS, enable: enableTransform, ...wrapParts, ...scopeParts, missing };
}
