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
import { isMainThread, workerData } from "node:worker_threads";
import { enable } from "./index";

// The SDK's own decision worker must stay ungoverned (it is how decisions are fetched).
const isDecisionWorker =
  !isMainThread && (workerData as { governorSyncWorker?: boolean } | null)?.governorSyncWorker === true;
if (!isDecisionWorker) enable();
