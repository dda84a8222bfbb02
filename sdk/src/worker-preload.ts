/**
 * Workers started after `enable()` run in a fresh isolate, with none of the patches: `enable()`
 * replaces `worker_threads.Worker` so each new worker loads this package's `register` preload first
 * (before any preload the caller asked for) and is governed exactly as this thread is.
 *
 * What makes a worker governed is decided here, never by anything the caller controls: the preload
 * is always added (an `execArgv` that merely mentions it proves nothing), and the configuration in
 * force is handed over through `worker_threads` environment data set by this constructor just before
 * the worker starts. The worker's `register` enables from that hand-over and ignores the worker's own
 * `GOVERNOR_*` variables, so `env: { GOVERNOR_ENABLED: "0" }`, a changed `process.env` or
 * `SHARE_ENV` cannot switch governance off once it is on. No worker is exempt: the SDK's own decision
 * worker is started with the original class, not through this one.
 */
import { join } from "node:path";
import workerThreads from "node:worker_threads";
import { ORIGINAL, type PatchRecord } from "./state";
import type { GovernorOptions } from "./types";

type WorkerOptions = import("node:worker_threads").WorkerOptions;
type WorkerClass = typeof import("node:worker_threads").Worker;

/** The environment-data key the configuration is handed to a worker under. */
export const WORKER_CONFIG_KEY = "@governor/sdk.worker-config";

/** What a governed thread hands to the workers it starts. */
export interface WorkerHandOver {
  options: GovernorOptions;
  env: Record<string, string>;
}

/** The compiled `register` next to this file (the published package's `dist/register.js`). */
function registerPath(): string {
  return join(__dirname, "register.js");
}

/** The worker's options with the preload put first in its `execArgv` (inherited from this process when unset). */
export function withPreload(options: WorkerOptions | undefined): WorkerOptions {
  const execArgv = options?.execArgv ?? process.execArgv;
  return { ...options, execArgv: ["--require", registerPath(), ...execArgv] };
}

/** The `GOVERNOR_*` variables and `NODE_ENV` as they are now: what `enable()` resolved its configuration from. */
export function governorEnvSnapshot(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if ((key.startsWith("GOVERNOR_") || key === "NODE_ENV") && value !== undefined) out[key] = value;
  }
  return out;
}

/** Options that survive a structured clone (functions dropped). */
export function transferableOptions(options: GovernorOptions | undefined): GovernorOptions {
  if (options === undefined || options === null) return {};
  return JSON.parse(JSON.stringify(options)) as GovernorOptions;
}

/**
 * Replaces `worker_threads.Worker` with a constructor (a Proxy of the original class, so neither
 * its prototype chain nor `prototype.constructor` leads back to an ungoverned class) that preloads
 * the SDK and hands it the configuration; returns the patch record.
 */
export function patchWorker(handOver: WorkerHandOver): PatchRecord | undefined {
  const owner = workerThreads as unknown as Record<string, unknown>;
  const current = owner.Worker as WorkerClass | undefined;
  if (typeof current !== "function") return undefined;
  let original = current;
  while ((original as unknown as Record<symbol, unknown>)[ORIGINAL] !== undefined) {
    original = (original as unknown as Record<symbol, WorkerClass>)[ORIGINAL]!;
  }
  const Original = original;
  const setEnvironmentData = workerThreads.setEnvironmentData;
  const Worker: WorkerClass = new Proxy(Original, {
    construct(target, args: unknown[], newTarget): object {
      // Set just before the worker starts: whatever user code stored under the key is replaced.
      setEnvironmentData(WORKER_CONFIG_KEY, handOver as never);
      return Reflect.construct(
        target,
        [args[0], withPreload(args[1] as WorkerOptions | undefined), ...args.slice(2)],
        newTarget === Worker ? target : newTarget,
      ) as object;
    },
    get(target, key, receiver) {
      if (key === ORIGINAL) return Original;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const prototype = Original.prototype as { constructor: unknown };
  const constructorBefore = prototype.constructor;
  prototype.constructor = Worker;
  owner.Worker = Worker;
  return {
    target: owner,
    key: "Worker",
    original: current,
    replacement: Worker,
    undo: () => {
      prototype.constructor = constructorBefore;
    },
  };
}

/** In a worker started by a governed thread: the configuration it handed over, else undefined. */
export function inheritedConfig(): WorkerHandOver | undefined {
  if (workerThreads.isMainThread) return undefined;
  const data = workerThreads.getEnvironmentData(WORKER_CONFIG_KEY) as WorkerHandOver | undefined;
  return data !== null && typeof data === "object" && typeof data.env === "object" ? data : undefined;
}
