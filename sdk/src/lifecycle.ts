/**
 * Turning governance on from a given configuration source: `enable()` (this thread's environment)
 * and the register preload of a worker (the configuration its governed parent handed over).
 */
import { resolveConfig } from "./config";
import { warn, warnBypass } from "./engine";
import { installPatches } from "./primitives";
import { getState } from "./state";
import type { GovernorOptions } from "./types";
import { governorEnvSnapshot, transferableOptions } from "./worker-preload";

/**
 * `enable()` with the environment given: the register preload of a worker passes the configuration
 * its governed parent handed over (see `./worker-preload`), not the worker's own variables.
 */
export function enableFrom(options: GovernorOptions | undefined, env: NodeJS.ProcessEnv): void {
  const state = getState();
  if (state.enabled) return;
  const { config, warnings } = resolveConfig(options, env);
  for (const message of warnings) warn(message);
  if (!config.enabled) return;
  state.config = config;
  if (config.devBypass) warnBypass(true);
  else if (config.enforceUrl === undefined) {
    warn("GOVERNOR_ENFORCE_URL is not set: every governed side effect will be denied (fail closed) until it is.");
  }
  // Workers started from here on get exactly this configuration, whatever their own env says.
  installPatches(config.primitives, { options: transferableOptions(options), env: governorEnvSnapshot(env) });
  state.enabled = true;
}
