/**
 * The transforms and site finders the engine drives. wrap-primitives and intent-scopes pull in
 * `@babel/traverse`, so they are imported lazily, on the first detect/plan/check, keeping module
 * loading off the CLI's `--help` path. Literal specifiers keep them type-checked and bundler-visible.
 */
import type { PrimitiveSite, SourceTransform, ToolSite } from "../types.js";
import { enableTransform } from "../enable/index.js";

/** The pieces of the codemods engine, resolved. */
export interface EngineParts {
  enable: SourceTransform;
  wrap?: SourceTransform;
  scopes?: SourceTransform;
  findPrimitiveSites?: (source: string, path: string) => PrimitiveSite[];
  mightHoldPrimitiveSite?: (source: string) => boolean;
  findToolSites?: (source: string, path: string) => ToolSite[];
  /** Parts that could not be loaded, with the reason (reported as warnings, never silently ignored). */
  missing: string[];
}

let cached: Promise<EngineParts> | undefined;

/** Loads the transforms and site finders once per process. */
export function loadEngineParts(): Promise<EngineParts> {
  cached ??= (async () => {
    const missing: string[] = [];
    const parts: EngineParts = { enable: enableTransform, missing };
    try {
      const wrap = await import("../wrap-primitives/index.js");
      parts.wrap = wrap.wrapPrimitives;
      parts.findPrimitiveSites = wrap.findPrimitiveSites;
      parts.mightHoldPrimitiveSite = wrap.mightHoldPrimitiveSite;
    } catch (error) {
      missing.push(`wrap-primitives: ${(error as Error).message}`);
    }
    try {
      const scopes = await import("../intent-scopes/index.js");
      parts.scopes = scopes.intentScopes;
      parts.findToolSites = scopes.findToolSites;
    } catch (error) {
      missing.push(`intent-scopes: ${(error as Error).message}`);
    }
    return parts;
  })();
  return cached;
}
