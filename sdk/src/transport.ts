/**
 * Getting an answer from the policy service asynchronously, with the original `fetch`: the one
 * transport every runtime has. The synchronous one (Node only) is in `transport-sync.ts`.
 */
import { getState } from "./state";

/** One request to the enforce endpoint. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** What came back: a status and body text, or why nothing came back. */
export type TransportResult =
  | { ok: true; status: number; text: string }
  | { ok: false; kind: "timeout" | "network"; message: string; code?: string };

function describeFailure(error: unknown): TransportResult {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") {
    return { ok: false, kind: "timeout", message: "timed out" };
  }
  const code = err?.cause?.code ?? err?.code;
  const message = err?.cause?.message ?? err?.message ?? String(error);
  return code === undefined ? { ok: false, kind: "network", message } : { ok: false, kind: "network", message, code };
}

let afterSend: (() => void) | undefined;

/** Runs `hook` after each request is handed to `fetch` (Node governs undici's dispatcher once the first one created it). */
export function afterEachSend(hook: (() => void) | undefined): void {
  afterSend = hook;
}

/** Asks with the `fetch` saved before any patching: the one call the SDK never governs. */
export async function sendAsync(request: TransportRequest): Promise<TransportResult> {
  const originalFetch = getState().originals.fetch;
  try {
    const sent = originalFetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    afterSend?.();
    const response = await sent;
    const text = await response.text();
    return { ok: true, status: response.status, text };
  } catch (error) {
    return describeFailure(error);
  }
}
