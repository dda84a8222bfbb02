import type { z } from "zod";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** Validates a command's options with its one schema; a failure is a user error naming the flag. */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, raw: unknown): z.output<Schema> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const flag =
    issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "options";
  throw new GovernorInitError(ErrorCodes.INVALID_INPUT, `Invalid ${flag}: ${issue.message}`, {
    suggestion: "Run the command with --help to see the accepted values.",
  });
}
