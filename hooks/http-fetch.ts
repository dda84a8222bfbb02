/**
 * A minimal `fetch` over `node:http` / `node:https`, installed as `globalThis.fetch` in the hook
 * process before the SDK loads, so the SDK's enforce client (which captures the global `fetch` as
 * its transport) sends its one request without loading undici. Node's first `fetch` in a process
 * costs several times a first `http.request` (see bench/hook-cold-start.ts); the hook runs for every
 * action an agent takes. It implements only what the SDK's transport uses: a method, headers, a
 * string body, an abort signal (a timeout rejects with the signal's reason, a `TimeoutError`, as
 * `fetch` does), and a response's `status` and `text()`. Redirects are not followed: a 3xx is a
 * non-2xx answer, so the SDK treats it as no decision (fail closed).
 */
import type { IncomingMessage } from "node:http";

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The subset of `Response` the SDK reads. */
interface MinimalResponse {
  status: number;
  ok: boolean;
  text(): Promise<string>;
}

/** `fetch(url, init)` for the SDK's enforce request. */
export async function httpFetch(input: string | URL, init: FetchInit = {}): Promise<MinimalResponse> {
  const url = new URL(String(input));
  const mod = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TypeError(`unsupported protocol ${url.protocol}`);
  const signal = init.signal;
  if (signal?.aborted) throw signal.reason;
  return new Promise<MinimalResponse>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers["content-length"] = Buffer.byteLength(init.body);
    const request = mod.request(
      url,
      { method: init.method ?? "GET", headers, agent: false },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: async () => text });
        });
      },
    );
    const onAbort = (): void => {
      request.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(new TypeError("fetch failed", { cause: error }));
    });
    request.on("close", () => signal?.removeEventListener("abort", onAbort));
    request.end(init.body);
  });
}
