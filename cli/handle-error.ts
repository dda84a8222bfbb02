import { toGovernorInitError } from "../core/errors.js";
import { ExitCode } from "./exit-codes.js";

/** Prints any error the way the CLI shows errors (or as JSON with `--json`) and returns the exit code. */
export function handleError(error: unknown, options: { json?: boolean } = {}): number {
  const err = toGovernorInitError(error);
  if (options.json) {
    process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + "\n");
  } else {
    process.stderr.write(`error: ${err.message}\n`);
    if (err.suggestion) process.stderr.write(`  ${err.suggestion}\n`);
    if (!err.userFixable && process.env.GOVERNOR_INIT_DEBUG && err.cause instanceof Error) {
      process.stderr.write(`${err.cause.stack}\n`);
    }
  }
  return err.userFixable ? ExitCode.USER_ERROR : ExitCode.INTERNAL_ERROR;
}
