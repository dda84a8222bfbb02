/**
 * Configuring the SDK's decision engine for the proxy process.
 */
import { governor, type FailMode } from "@governor/sdk";
import { ErrorCodes, GovernorInitError } from "../core/errors.js";

/** Diagnostics on stderr (stdout may carry the protocol). */
export function stderrLog(line: string): void {
  process.stderr.write(`[governor-proxy] ${line}\n`);
}

/**
 * Configures the SDK's decision engine for the proxy, from `GOVERNOR_*` and the options. No
 * primitive of the proxy's own process is patched: the proxy decides tool calls, not its own I/O.
 *
 * @throws GovernorInitError `INVALID_INPUT` when a `GOVERNOR_*` variable is invalid.
 */
export function configureGovernor(options: { failMode?: FailMode; log?: (line: string) => void }): void {
  const log = options.log ?? stderrLog;
  try {
    governor.enable({ primitives: [], ...(options.failMode === undefined ? {} : { failMode: options.failMode }) });
  } catch (error) {
    throw new GovernorInitError(ErrorCodes.INVALID_INPUT, (error as Error).message, {
      suggestion: (error as { hint?: string }).hint ?? "Fix the GOVERNOR_* variable named above.",
      cause: error,
    });
  }
  const failOpen =
    options.failMode === "open" ||
    (options.failMode === undefined && process.env.GOVERNOR_FAIL_MODE?.trim() === "open");
  if (failOpen) {
    log(
      "WARNING: fail mode is OPEN: when the policy service cannot be reached, is too slow or answers garbage, " +
        "tool calls run WITHOUT a decision. Use this only while evaluating; the default (closed) refuses them.",
    );
  }
}
