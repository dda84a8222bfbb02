import type { z } from "zod";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** `--kebab-case` flag for a camelCase option key. */
function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Validates a command's options with its one schema. A failure is a user error that names the flag
 * and the value given: `--port must be a number (got "abc")`.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  raw: Record<string, unknown>,
  command = "the command",
): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  const subject = key === undefined ? "options" : flagName(key);
  const given = key !== undefined && raw[key] !== undefined ? ` (got ${JSON.stringify(raw[key])})` : "";
  throw new GovernorInitError(
    ErrorCodes.INVALID_INPUT,
    `${subject} ${issue.message.replace(/^Invalid input: /, "")}${given}`,
    {
      suggestion: `Run ${command} with --help to see the accepted values.`,
      details: key === undefined ? undefined : { flag: subject },
    },
  );
}
