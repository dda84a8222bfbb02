/**
 * The transforms and site finders the engine drives, loaded lazily (they pull in Babel traverse) and
 * looked up by what they are, not by export name, so each transform directory stays free to organise
 * its files. A missing part is reported, never silently treated as "nothing to do".
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
  /** Parts that could not be loaded, by module, with the reason. */
  missing: string[];
}

type AnyModule = Record<string, unknown>;

async function load(specifiers: string[], missing: string[]): Promise<AnyModule[]> {
  const modules: AnyModule[] = [];
  for (const specifier of specifiers) {
    try {
      modules.push((await import(/* @vite-ignore */ specifier)) as AnyModule);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (
        code !== "ERR_MODULE_NOT_FOUND" &&
        !/Cannot find module|Failed to load url|does not exist/i.test(String(error))
      ) {
        missing.push(`${specifier}: ${(error as Error).message}`);
      }
    }
  }
  return modules;
}

function findTransform(modules: AnyModule[], name: SourceTransform["name"]): SourceTransform | undefined {
  for (const mod of modules) {
    for (const value of Object.values(mod)) {
      const candidate = value as Partial<SourceTransform> | null;
      if (
        candidate &&
        typeof candidate === "object" &&
        candidate.name === name &&
        typeof candidate.run === "function"
      ) {
        return candidate as SourceTransform;
      }
    }
  }
  return undefined;
}

function findFunction<T>(modules: AnyModule[], name: string): T | undefined {
  for (const mod of modules) if (typeof mod[name] === "function") return mod[name] as T;
  return undefined;
}

let cached: Promise<EngineParts> | undefined;

/** Loads the transforms and site finders once per process. */
export function loadEngineParts(): Promise<EngineParts> {
  cached ??= (async () => {
    const missing: string[] = [];
    const base = new URL("../", import.meta.url);
    const at = (path: string) => new URL(path, base).href;
    const wrapModules = await load(
      [at("wrap-primitives/index.js"), at("wrap-primitives/transform.js"), at("wrap-primitives/sites.js")],
      missing,
    );
    const scopeModules = await load(
      [at("intent-scopes/index.js"), at("intent-scopes/transform.js"), at("intent-scopes/sites.js")],
      missing,
    );
    const parts: EngineParts = {
      enable: enableTransform,
      wrap: findTransform(wrapModules, "wrap-primitives"),
      scopes: findTransform(scopeModules, "intent-scopes"),
      findPrimitiveSites: findFunction(wrapModules, "findPrimitiveSites"),
      mightHoldPrimitiveSite: findFunction(wrapModules, "mightHoldPrimitiveSite"),
      findToolSites: findFunction(scopeModules, "findToolSites"),
      missing,
    };
    if (!parts.wrap) missing.push("wrap-primitives transform");
    if (!parts.scopes) missing.push("intent-scopes transform");
    if (!parts.findPrimitiveSites) missing.push("findPrimitiveSites");
    if (!parts.findToolSites) missing.push("findToolSites");
    return parts;
  })();
  return cached;
}
