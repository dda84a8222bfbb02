/**
 * The SDK's error classes. Customers install the SDK alone, so it carries its own small family
 * rather than governor-init's `GovernorInitError`.
 */
import type { IntentEvent } from "./types";

/** Base class of every error the SDK throws. `hint` says what to do about it. */
export class GovernorError extends Error {
  /** A stable machine-readable code, for example `GOVERNOR_DENIED`. */
  readonly code: string;
  /** What to do about it, in one or two sentences. */
  readonly hint?: string;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GovernorError";
    this.code = code;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}

/**
 * The policy service answered `DENY`: the side effect (or scope body) did not run.
 *
 * @example
 * try { await governor.withIntent(intent, run) } catch (error) {
 *   if (error instanceof GovernorDeniedError) return { denied: error.reason, requestId: error.requestId };
 *   throw error;
 * }
 */
export class GovernorDeniedError extends GovernorError {
  /** Always `"DENY"`. */
  readonly decision = "DENY" as const;
  /** The policy service's `metadata.request_id`: quote it when asking for an exception. */
  readonly requestId: string | undefined;
  /** A short human reason (the policy's, when it gives one). */
  readonly reason: string;
  /** Safe things to try next. */
  readonly nextSteps: string[];
  /** The intent event that was denied, exactly as sent. */
  readonly intent: IntentEvent;

  constructor(init: { intent: IntentEvent; requestId?: string; reason?: string; nextSteps?: string[] }) {
    const reason = init.reason ?? "The policy does not allow this action.";
    const target = describeIntent(init.intent);
    const steps = init.nextSteps ?? defaultNextSteps(init.intent, init.requestId);
    super(
      "GOVERNOR_DENIED",
      `Governor denied ${target}: ${reason}${init.requestId ? ` (request ${init.requestId})` : ""}`,
      {
        hint: steps[0],
      },
    );
    this.name = "GovernorDeniedError";
    this.requestId = init.requestId;
    this.reason = reason;
    this.nextSteps = steps;
    this.intent = init.intent;
  }
}

/**
 * No decision could be had (no enforce URL configured, the policy service timed out, refused the
 * connection, answered non-2xx or a malformed body, or a decision token failed verification).
 * In the default `closed` fail mode the side effect did not run.
 */
export class GovernorUnavailableError extends GovernorError {
  /** The intent that could not be decided, when there was one. */
  readonly intent: IntentEvent | undefined;

  constructor(message: string, init: { hint: string; cause?: unknown; intent?: IntentEvent; code?: string }) {
    super(init.code ?? "GOVERNOR_UNAVAILABLE", message, { hint: init.hint, cause: init.cause });
    this.name = "GovernorUnavailableError";
    this.intent = init.intent;
  }
}

/** `write filesystem "/tmp/x"`: how messages name an intent. */
export function describeIntent(intent: IntentEvent): string {
  const name = intent.resource?.name ? ` "${intent.resource.name}"` : "";
  return `${intent.action} on ${intent.resource?.type ?? "?"}${name}`;
}

function defaultNextSteps(intent: IntentEvent, requestId: string | undefined): string[] {
  const ref = requestId ? ` and quote request id ${requestId}` : "";
  return [
    `Do not retry the same action unchanged; it will be denied again.`,
    `If ${describeIntent(intent)} should be allowed, ask your Governor administrator to review the policy${ref}.`,
    `Locally, check the policy file the enforce mock was started with (governor-init mock --policy FILE).`,
  ];
}
