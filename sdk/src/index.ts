/**
 * `@governor/sdk`: ask the policy service before every side effect, and obey.
 *
 * Anything exported here is public API: the codemods, the docs and customer code rely on these names.
 */
import { useSyncTransport } from "./engine";
import { enableFrom } from "./lifecycle";
import { removePatches } from "./primitives";
import { governorScopes } from "./scope";
import { getState } from "./state";
import { sendSync, stopSyncClient } from "./transport-sync";
import type { GovernorOptions } from "./types";

export * from "./types";
export { GovernorError, GovernorDeniedError, GovernorUnavailableError } from "./errors";
export { govern } from "./govern";
export { governTool } from "./tool";
export { withActor, withIntent } from "./scope";

// Node can block a thread on a decision (a worker thread does the request): calls that must return
// at once (spawn, execSync, http.request, every *Sync) decide on that path.
useSyncTransport(sendSync);

/**
 * Turns governance on: patches global `fetch`, `node:http` / `node:https` `request` and `get`,
 * `child_process` (`exec`, `execFile`, `spawn`, `fork` and the sync forms) and `fs` / `fs/promises`
 * writes, so each call is decided by the policy service before it runs. Options fall back to the
 * `GOVERNOR_*` environment variables. Idempotent: a second call (from this or another copy of the
 * SDK) changes nothing. `GOVERNOR_ENABLED=0` makes it a no-op.
 *
 * @throws GovernorError (code `GOVERNOR_CONFIG`) naming the variable when a value is invalid.
 * @example
 * import { governor } from "@governor/sdk";
 * governor.enable(); // GOVERNOR_ENFORCE_URL=http://127.0.0.1:4000 in the environment
 */
export function enable(options?: GovernorOptions): void {
  enableFrom(options, process.env);
}

/**
 * Turns governance off: puts back the exact original functions (ESM named imports included), stops
 * the decision worker and clears the decision cache. Scopes and `govern()` wrappers keep working,
 * reading configuration from the environment.
 */
export function disable(): void {
  const state = getState();
  if (!state.enabled) return;
  removePatches();
  state.enabled = false;
  state.config = undefined;
  state.cache.clear();
  stopSyncClient();
}

/**
 * The Governor SDK's entry point.
 *
 * @example
 * import { governor } from "@governor/sdk";
 * governor.enable();
 * await governor.withIntent({ action: "delete", resource: { type: "filesystem", name: "/data" } }, cleanup);
 */
export const governor = {
  /** See {@link enable}. */
  enable,
  /** See {@link disable}. */
  disable,
  /** Whether `enable()` has patched the primitives (in this process, by any copy of the SDK). */
  isEnabled(): boolean {
    return getState().enabled;
  },
  ...governorScopes,
};
