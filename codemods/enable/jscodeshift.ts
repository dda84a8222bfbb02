/**
 * jscodeshift entry for the enable transform, so it runs alone:
 *   npx jscodeshift -t dist/codemods/enable/jscodeshift.js src/server.ts
 * Options: `--moduleSystem=cjs|esm` (default: `.cjs`/`.cts` and files using `require` without `import`
 * are CommonJS). Returns the source unchanged when there is nothing to do.
 */
import { enableTransform } from "./index.js";
import { guessModuleSystem } from "../shared/imports.js";

/** jscodeshift transform signature: `(file, api, options) => string`. */
export default function transform(
  file: { path: string; source: string },
  _api: unknown,
  options: { moduleSystem?: "esm" | "cjs" } = {},
): string {
  const moduleSystem = options.moduleSystem ?? guessModuleSystem(file.path, file.source);
  return enableTransform.run({ path: file.path, source: file.source, moduleSystem }).source;
}

/** Babel parser settings: jscodeshift must not try to parse before the transform does its own parse. */
export const parser = "tsx";
