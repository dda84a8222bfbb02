/**
 * `@governor/sdk/register`: turns governance on from the environment alone.
 *
 *     node --import @governor/sdk/register app.mjs      # ESM
 *     node --require @governor/sdk/register app.js      # CommonJS
 *     NODE_OPTIONS="--import @governor/sdk/register" npm start
 *
 * Invalid configuration stops the process with an error naming the variable (a governor that
 * cannot start must not let the program run ungoverned), and so does a failed start-up self-test
 * (a route the SDK claims to govern found open in this process).
 *
 * In a worker started by a governed thread, the configuration is the one that thread handed over
 * (see `./worker-preload`): the worker's own `GOVERNOR_*` variables cannot turn governance off.
 * With `GOVERNOR_STRICT=1` the process is re-run under Node's permission model (see `./strict`).
 */
import { useSyncTransport } from "./engine";
import { GovernorError } from "./errors";
import { enable } from "./index";
import { enableFrom } from "./lifecycle";
import { selfTest } from "./selftest";
import { getState } from "./state";
import { inheritedConfig } from "./worker-preload";

const inherited = inheritedConfig();
// Strict mode's code is loaded only when asked for (the preload is on every start-up path).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const strictMode = process.env.GOVERNOR_STRICT ? (require("./strict") as typeof import("./strict")) : undefined;
const strict = inherited === undefined && strictMode !== undefined && strictMode.strictRequested();
if (strict && strictMode!.permissionModel() === undefined) strictMode!.launchStrict();
const channel = strict ? strictMode!.channelTransport() : undefined;
if (channel !== undefined) useSyncTransport(channel);

if (inherited !== undefined) {
  const env = { ...inherited.env };
  delete env.GOVERNOR_ENABLED; // on in the parent, so on here
  enableFrom({ ...inherited.options, enabled: true }, env);
} else enable();

const started = process.hrtime.bigint(); // not performance.now(): its global loads perf_hooks
const problems = selfTest(strict);
// Kept for the start-up benchmark (bench/sdk-startup.ts): what the self-test cost this process.
getState().selfTestMs = Number(process.hrtime.bigint() - started) / 1e6;
if (problems.length > 0) {
  throw new GovernorError(
    "GOVERNOR_SELF_TEST",
    `Governor's start-up self-test failed, so the program does not start: ${problems.join("; ")}.`,
    {
      hint: "Something replaced a governed function before the SDK checked it, or this Node version opened a route the SDK does not cover; see the threat model in the SDK README.",
    },
  );
}
