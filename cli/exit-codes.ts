/** Exit codes of `governor-init`, documented in `governor-init --help` and the CLI reference. */
export const ExitCode = {
  /** Done, and nothing to report. */
  OK: 0,
  /**
   * The command ran, and its gate failed: `check` found ungoverned side effects or files it could not
   * analyse, `validate` found problems, `undo` left a file alone because it changed since apply.
   */
  GATE_FAILED: 1,
  /** A problem the user can fix: bad input, a dirty tree, no terminal for the wizard. The message says what to do. */
  USER_ERROR: 2,
  /**
   * `apply` (and the wizard) wrote the integration, but adding `@governor/sdk` (or governor-init for the
   * test mock) to the project failed: the rewritten imports do not resolve until the printed fix is run.
   */
  INSTALL_FAILED: 3,
  /** A bug in governor-init (EX_SOFTWARE). */
  INTERNAL_ERROR: 70,
} as const;
