/**
 * Getting an answer from the policy service synchronously (Node only), for primitives that must
 * return at once like `spawn` or `http.request`: the calling thread blocks on a worker thread that
 * does the same `fetch` as the asynchronous transport.
 */
import type { MessagePort, Worker } from "node:worker_threads";
import { getState, unwrap } from "./state";
import type { TransportRequest, TransportResult } from "./transport";

// The worker's source is inline so it works from src (tests), dist, and bundles alike. It is started
// with the original Worker class, no execArgv and no NODE_OPTIONS, so no preload runs in it; should
// one run anyway, the worker still asks with the original fetch. Nothing marks it as special: there
// is no exemption for a user's worker to claim.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const flag = new Int32Array(workerData.shared);
const port = workerData.port;
let doFetch = globalThis.fetch;
while (doFetch && doFetch[Symbol.for("@governor/sdk.original")]) doFetch = doFetch[Symbol.for("@governor/sdk.original")];
function describe(error) {
  if (error && (error.name === "TimeoutError" || error.name === "AbortError")) return { ok: false, kind: "timeout", message: "timed out" };
  const cause = error && error.cause;
  const code = (cause && cause.code) || (error && error.code);
  const message = (cause && cause.message) || (error && error.message) || String(error);
  return code ? { ok: false, kind: "network", message, code } : { ok: false, kind: "network", message };
}
port.on("message", async (job) => {
  let result;
  try {
    const response = await doFetch(job.url, { method: "POST", headers: job.headers, body: job.body, signal: AbortSignal.timeout(job.timeoutMs) });
    result = { ok: true, status: response.status, text: await response.text() };
  } catch (error) {
    result = describe(error);
  }
  port.postMessage({ id: job.id, result });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

interface SyncClient {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  nextId: number;
  booted: boolean;
}

// Loaded on first synchronous decision, not at import (start-up time matters for the preload).
let workerThreads: typeof import("node:worker_threads") | undefined;
function threads(): typeof import("node:worker_threads") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (workerThreads ??= require("node:worker_threads") as typeof import("node:worker_threads"));
}

function startClient(): SyncClient {
  const { MessageChannel } = threads();
  // The original class: the patched one would preload the SDK into the worker that fetches decisions.
  const Worker = unwrap(threads().Worker);
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NODE_OPTIONS;
  const shared = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { shared, port: port2 },
    env,
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  port1.unref();
  const client: SyncClient = { worker, port: port1, flag: new Int32Array(shared), nextId: 1, booted: false };
  worker.on("error", () => {
    if (getState().syncClient === client) getState().syncClient = undefined;
  });
  worker.on("exit", () => {
    if (getState().syncClient === client) getState().syncClient = undefined;
  });
  return client;
}

/**
 * Asks synchronously: blocks this thread until the worker has the answer or the time is up.
 * The worker is started on first use, unref'd, and reused.
 */
export function sendSync(request: TransportRequest): TransportResult {
  const state = getState();
  let client = state.syncClient as SyncClient | undefined;
  if (client === undefined) {
    client = startClient();
    state.syncClient = client;
  }
  const id = client.nextId++;
  Atomics.store(client.flag, 0, 0);
  client.port.postMessage({ id, ...request });
  // The worker applies the timeout to the request itself; the extra margin covers its boot.
  const deadline = Date.now() + request.timeoutMs + (client.booted ? 1000 : 5000);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ok: false, kind: "timeout", message: "timed out waiting for the decision worker" };
    Atomics.wait(client.flag, 0, 0, remaining);
    Atomics.store(client.flag, 0, 0);
    const { receiveMessageOnPort } = threads();
    let message = receiveMessageOnPort(client.port);
    while (message !== undefined) {
      const data = message.message as { id: number; result: TransportResult };
      if (data.id === id) {
        client.booted = true;
        return data.result;
      }
      message = receiveMessageOnPort(client.port); // a late answer to an earlier, timed-out request
    }
  }
}

/** Stops the decision worker (tests, `disable()`). */
export function stopSyncClient(): void {
  const state = getState();
  const client = state.syncClient as SyncClient | undefined;
  state.syncClient = undefined;
  if (client !== undefined) {
    client.port.close();
    void client.worker.terminate();
  }
}
