/**
 * jscodeshift entry for the wrap-primitives transform, so it runs alone:
 *   npx jscodeshift -t dist/codemods/wrap-primitives/jscodeshift.js src/
 * Options: `--moduleSystem=cjs|esm` (default: `.cjs`/`.cts` and files using `require` without `import`
 * are CommonJS) and `--excludedSites=<id>,<id>` (site ids as a plan reports them, with the path as
 * given to jscodeshift) and `--runtime=edge` for edge code (imports `@governor/sdk/edge`; default node).
 * Returns the source unchanged when there is nothing to do; warnings go to stderr.
 */
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { guessModuleSystem } from "../shared/imports.js";
import { wrapPrimitives } from "./transform.js";

/** jscodeshift transform signature: `(file, api, options) => string`. */
export default function transform(
  file: { path: string; source: string },
  _api: unknown,
  options: { moduleSystem?: "esm" | "cjs"; excludedSites?: string; runtime?: string } = {},
): string {
  const moduleSystem = options.moduleSystem ?? guessModuleSystem(file.path, file.source);
  const excludedSites = new Set(
    (options.excludedSites ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== ""),
  );
  if (options.runtime !== undefined && options.runtime !== "edge" && options.runtime !== "node") {
    throw new GovernorInitError(
      ErrorCodes.INVALID_INPUT,
      `--runtime must be "edge" or "node"; got "${options.runtime}"`,
      {
        suggestion: "Pass --runtime=edge for edge code (Next.js edge routes, middleware, Workers), or leave it out.",
      },
    );
  }
  const output = wrapPrimitives.run({
    path: file.path,
    source: file.source,
    moduleSystem,
    excludedSites,
    runtime: options.runtime ?? "node",
  });
  for (const warning of output.warnings ?? [])
    process.stderr.write(`${file.path}:${warning.line}: ${warning.message}\n`);
  return output.source;
}

/** Babel parser settings: jscodeshift must not try to parse before the transform does its own parse. */
export const parser = "tsx";
