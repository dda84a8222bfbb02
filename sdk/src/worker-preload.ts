/**
 * Workers started after `enable()` run in a fresh isolate, with none of the patches: `enable()`
 * replaces `worker_threads.Worker` so each new worker loads this package's `register` preload first
 * (and so decides exactly as the main thread does), unless its `execArgv` already loads it.
 */
import { join } from "node:path";
import workerThreads from "node:worker_threads";
import { ORIGINAL, type PatchRecord } from "./state";

type WorkerOptions = import("node:worker_threads").WorkerOptions;

/** The compiled `register` next to this file (the published package's `dist/register.js`). */
function registerPath(): string {
  return join(__dirname, "register.js");
}

function loadsRegister(args: readonly string[], register: string): boolean {
  return args.some((arg) => arg === register || arg.includes("@governor/sdk/register"));
}

/** The worker's options with the preload added to its `execArgv` (inherited from this process when unset). */
export function withPreload(options: WorkerOptions | undefined): WorkerOptions | undefined {
  // The SDK's own decision worker must stay ungoverned: it is how decisions are fetched.
  if ((options?.workerData as { governorSyncWorker?: unknown } | undefined)?.governorSyncWorker === true)
    return options;
  const register = registerPath();
  const execArgv = options?.execArgv ?? process.execArgv;
  if (loadsRegister(execArgv, register)) return options;
  return { ...options, execArgv: [...execArgv, "--require", register] };
}

/** Replaces `worker_threads.Worker` with a subclass that preloads the SDK; returns the patch record. */
export function patchWorker(): PatchRecord | undefined {
  const owner = workerThreads as unknown as Record<string, unknown>;
  const current = owner.Worker as typeof import("node:worker_threads").Worker | undefined;
  if (typeof current !== "function") return undefined;
  let original = current;
  while ((original as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined) {
    original = (original as unknown as Record<symbol, typeof current>)[ORIGINAL]!;
  }
  const Original = original;
  class Worker extends Original {
    constructor(filename: string | URL, options?: WorkerOptions) {
      super(filename, withPreload(options));
    }
  }
  Object.defineProperty(Worker, ORIGINAL, { value: Original, configurable: true });
  owner.Worker = Worker;
  return { target: owner, key: "Worker", original: current, replacement: Worker };
}
