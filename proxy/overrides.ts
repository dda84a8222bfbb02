/**
 * Per-server intent overrides: a small YAML or JSON file that says, for tools whose name matches a
 * glob, which action, resource and data the policy service should decide on, where the proxy's
 * inference would get it wrong. Validated with one schema; an invalid file is refused with the
 * field and the reason, never half-used.
 *
 * @example
 * # governor-proxy.yaml
 * overrides:
 *   - tool: "query*"
 *     server: postgres
 *     action: read
 *     resource: { type: database, name: analytics }
 *     data: { sensitivity: [confidential], pii: true }
 */
import { readFileSync } from "node:fs";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

const term = z.string().trim().min(1, "must not be empty");

/** One override: which tools it is for, and the intent fields it sets. */
export const intentOverrideSchema = z
  .object({
    /** A glob on the tool's name (`write_*`, `*`). */
    tool: term,
    /** A glob on the server's name; every server when absent. */
    server: term.optional(),
    action: term.optional(),
    resource: z
      .object({
        type: term.optional(),
        /** A fixed resource name. */
        name: term.optional(),
        /** The argument whose string value names the resource of each call. */
        nameFrom: term.optional(),
      })
      .strict()
      .optional(),
    data: z
      .object({
        sensitivity: z.array(term).optional(),
        pii: z.boolean().optional(),
        volume: term.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The override file. */
export const overridesFileSchema = z.object({ overrides: z.array(intentOverrideSchema) }).strict();

/** One validated override. */
export type IntentOverride = z.infer<typeof intentOverrideSchema>;

/** Finds the override for a tool of a server: the first whose globs match, in file order. */
export type OverrideLookup = (server: string, tool: string) => IntentOverride | undefined;

/** Validates an override document (already parsed). `source` names it in errors. */
export function parseOverrides(document: unknown, source = "the override file"): IntentOverride[] {
  const result = overridesFileSchema.safeParse(document);
  if (result.success) return result.data.overrides;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `${source}: ${where}: ${issue.message}`, {
    suggestion:
      "Each entry of `overrides` takes `tool` (a glob) and optionally `server`, `action`, `resource: { type, name, nameFrom }` and `data: { sensitivity, pii, volume }`.",
    details: { file: source, field: where },
  });
}

/** Reads and validates an override file (YAML or JSON). */
export function loadOverrides(file: string): IntentOverride[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `Cannot read the override file ${file}.`, {
      cause: error,
      suggestion: "Check the path given to --overrides.",
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new GovernorInitError(
      ErrorCodes.PARSE_ERROR,
      `${file} is not valid YAML or JSON: ${(error as Error).message}`,
      {
        cause: error,
        suggestion: "Fix the syntax; JSON is valid YAML too.",
      },
    );
  }
  return parseOverrides(document, file);
}

/** A lookup over validated overrides (globs compiled once). */
export function overrideLookup(overrides: readonly IntentOverride[]): OverrideLookup {
  const compiled = overrides.map((entry) => ({
    entry,
    tool: picomatch(entry.tool),
    server: entry.server === undefined ? () => true : picomatch(entry.server),
  }));
  return (server, tool) => compiled.find((c) => c.server(server) && c.tool(tool))?.entry;
}
