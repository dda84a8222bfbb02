/**
 * The adapter the engine drives, loaded once per process through the registry
 * (`codemods/adapters/index.ts`). Today every source file the walker lists is JavaScript/TypeScript,
 * so the engine's parts are the `js` adapter's; adapters for other inputs register beside it.
 */
import type { LoadedAdapter } from "./adapter.js";
import { ADAPTERS } from "../adapters/index.js";

/** The pieces of the codemods engine, resolved: the JS adapter's transforms and site finders. */
export type EngineParts = LoadedAdapter;

let cached: Promise<EngineParts> | undefined;

/** Loads the transforms and site finders once per process. */
export function loadEngineParts(): Promise<EngineParts> {
  cached ??= ADAPTERS.find((adapter) => adapter.id === "js")!.load();
  return cached;
}
