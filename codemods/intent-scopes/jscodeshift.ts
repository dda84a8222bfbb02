/**
 * jscodeshift entry for the intent-scopes transform, so it runs alone:
 *   npx jscodeshift -t dist/codemods/intent-scopes/jscodeshift.js src/tools.ts
 * Options: `--moduleSystem=cjs|esm` (default: `.cjs`/`.cts` and files using `require` without `import`
 * are CommonJS) and `--runtime=edge` for edge code (imports `@governor/sdk/edge`; default node). Returns the source unchanged when there is nothing to do. Sites the transform cannot
 * scope, and intents left as `TODO(governor)`, are printed to stderr.
 */
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { guessModuleSystem } from "../shared/imports.js";
import { intentScopes } from "./transform.js";

/** jscodeshift transform signature: `(file, api, options) => string`. */
export default function transform(
  file: { path: string; source: string },
  _api: unknown,
  options: { moduleSystem?: "esm" | "cjs"; runtime?: string } = {},
): string {
  if (options.runtime !== undefined && options.runtime !== "edge" && options.runtime !== "node") {
    throw new GovernorInitError(
      ErrorCodes.INVALID_INPUT,
      `--runtime must be "edge" or "node"; got "${options.runtime}"`,
      {
        suggestion: "Pass --runtime=edge for edge code (Next.js edge routes, middleware, Workers), or leave it out.",
      },
    );
  }
  if (!intentScopes.mightApply(file.source)) return file.source;
  const moduleSystem = options.moduleSystem ?? guessModuleSystem(file.path, file.source);
  const result = intentScopes.run({
    path: file.path,
    source: file.source,
    moduleSystem,
    runtime: options.runtime ?? "node",
  });
  for (const warning of result.warnings ?? [])
    process.stderr.write(`${file.path}:${warning.line}: ${warning.message}\n`);
  return result.source;
}

/** Babel parser settings: jscodeshift must not try to parse before the transform does its own parse. */
export const parser = "tsx";
