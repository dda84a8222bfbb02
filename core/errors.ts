/**
 * The one error family of governor-init's engines and front ends.
 *
 * Every engine throws {@link GovernorInitError}; each surface formats it its own way
 * (the CLI prints message and suggestion, the MCP server returns an `isError` result,
 * `--json` reports carry `code`). Errors a user can fix carry a `suggestion`; anything
 * else that escapes is treated as our bug and reported as such.
 */

/** Stable machine-readable codes. Add new codes here; never reuse one for a different meaning. */
export const ErrorCodes = {
  /** Input failed validation (bad flag, bad tool argument, bad config file). */
  INVALID_INPUT: "INVALID_INPUT",
  /** A path does not exist or is not the kind expected. */
  NOT_FOUND: "NOT_FOUND",
  /** A path escapes the allowed roots (`..`, an absolute path elsewhere, a symlink out). */
  PATH_OUTSIDE_ROOT: "PATH_OUTSIDE_ROOT",
  /** The git work tree has uncommitted changes and the user did not allow it. */
  DIRTY_WORKTREE: "DIRTY_WORKTREE",
  /** A file could not be parsed. */
  PARSE_ERROR: "PARSE_ERROR",
  /** A file changed since the manifest recorded it; it is left alone. */
  FILE_CHANGED: "FILE_CHANGED",
  /** No manifest of a previous apply exists. */
  NO_MANIFEST: "NO_MANIFEST",
  /** An interactive prompt was needed but there is no terminal. */
  NO_TTY: "NO_TTY",
  /** A policy file is invalid. */
  INVALID_POLICY: "INVALID_POLICY",
  /** A network service (mock, enforce endpoint) could not be reached or started. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  /** A coding agent's config file is not in a shape we can edit safely. */
  UNSUPPORTED_CONFIG: "UNSUPPORTED_CONFIG",
  /** Something we did not expect: a bug in governor-init. */
  INTERNAL: "INTERNAL",
} as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Options for {@link GovernorInitError}. */
export interface GovernorInitErrorOptions {
  /** What the user can do about it, as one or two short imperative sentences. */
  suggestion?: string;
  /** The underlying error, kept for `--verbose` output and debugging. */
  cause?: unknown;
  /** Extra structured detail for JSON reports (a file path, a field name). */
  details?: Record<string, unknown>;
}

/** An error with a stable `code`, a human message and, where the user can fix it, a suggestion. */
export class GovernorInitError extends Error {
  readonly code: ErrorCode;
  readonly suggestion?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GovernorInitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GovernorInitError";
    this.code = code;
    this.suggestion = options.suggestion;
    this.details = options.details;
  }

  /** True when the user can fix this; false for {@link ErrorCodes.INTERNAL}. */
  get userFixable(): boolean {
    return this.code !== ErrorCodes.INTERNAL;
  }

  /** A plain object for JSON reports and MCP structured content. */
  toJSON(): { code: ErrorCode; message: string; suggestion?: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, suggestion: this.suggestion, details: this.details };
  }
}

/** Turns anything thrown into a {@link GovernorInitError}; unknown errors become `INTERNAL`. */
export function toGovernorInitError(error: unknown): GovernorInitError {
  if (error instanceof GovernorInitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GovernorInitError(ErrorCodes.INTERNAL, message, {
    cause: error,
    suggestion: "This looks like a bug in governor-init. Please report it with the command you ran and this message.",
  });
}
