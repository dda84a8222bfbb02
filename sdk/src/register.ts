/**
 * `@governor/sdk/register`: turns governance on from the environment alone.
 *
 *     node --import @governor/sdk/register app.mjs      # ESM
 *     node --require @governor/sdk/register app.js      # CommonJS
 *     NODE_OPTIONS="--import @governor/sdk/register" npm start
 *
 * Invalid configuration stops the process with an error naming the variable (a governor that
 * cannot start must not let the program run ungoverned).
 *
 * In a worker started by a governed thread, the configuration is the one that thread handed over
 * (see `./worker-preload`): the worker's own `GOVERNOR_*` variables cannot turn governance off.
 */
import { enable } from "./index";
import { enableFrom } from "./lifecycle";
import { inheritedConfig } from "./worker-preload";

const inherited = inheritedConfig();
if (inherited !== undefined) {
  const env = { ...inherited.env };
  delete env.GOVERNOR_ENABLED; // on in the parent, so on here
  enableFrom({ ...inherited.options, enabled: true }, env);
} else enable();
