/**
 * `@governor/sdk/register`: turns governance on from the environment alone.
 *
 *     node --import @governor/sdk/register app.mjs      # ESM
 *     node --require @governor/sdk/register app.js      # CommonJS
 *     NODE_OPTIONS="--import @governor/sdk/register" npm start
 *
 * Invalid configuration stops the process with an error naming the variable (a governor that
 * cannot start must not let the program run ungoverned).
 */
import { enable } from "./index";

/** The SDK's own decision worker must stay ungoverned: it is how decisions are fetched. */
function isDecisionWorker(): boolean {
  // The variable alone is not trusted (it would be a switch to turn governance off): only inside the
  // worker thread the SDK started, with its marker in workerData. Checked in that order so normal
  // start-up never loads worker_threads.
  if (process.env.GOVERNOR_SYNC_WORKER !== "1") return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMainThread, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  return !isMainThread && (workerData as { governorSyncWorker?: boolean } | null)?.governorSyncWorker === true;
}

if (!isDecisionWorker()) enable();
