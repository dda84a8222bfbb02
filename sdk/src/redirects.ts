/**
 * A governed `fetch` that follows redirects itself, so every hop is decided before it is sent.
 * Left to itself, `fetch` follows 301/302/303/307/308 to hosts nobody decided (307/308 even keep
 * the method and body), so the governed call asks for `redirect: "manual"` and re-issues each hop
 * through the governed single-hop call, as the Fetch standard's "HTTP-redirect fetch" would.
 * Runtime-neutral: only web globals (the edge entry's `govern(fetch)` uses it too).
 */
import { makeGoverned, type PrimitiveSpec } from "./governed";
import { requestSlots, snapshotFetchArgs } from "./snapshot";
import { getState, GOVERNED, ORIGINAL } from "./state";

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type FetchInit = RequestInit & { duplex?: string };

/** The Fetch standard's limit: a 21st redirect is a network error. */
export const MAX_REDIRECTS = 20;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Shared by every call without an init (the benchmark's hot path allocates nothing more). */
const MANUAL: FetchInit = Object.freeze({ redirect: "manual" }) as FetchInit;
/** Headers describing a body: dropped with the body when a redirect turns the request into a GET. */
const BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type", "content-length"];
/** Credentials that never follow a redirect to another origin. */
const CROSS_ORIGIN_DROPPED = ["authorization", "proxy-authorization", "cookie"];

/** Thrown (as a rejection) when a redirect cannot be followed safely; nothing further was sent. */
function redirectError(message: string): TypeError {
  return new TypeError(`fetch failed: ${message}`);
}

function isReplayable(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    (typeof Blob !== "undefined" && body instanceof Blob) ||
    (typeof FormData !== "undefined" && body instanceof FormData)
  );
}

/** The request a hop re-issues: URL, and an init carrying everything the caller gave. */
interface Hop {
  url: URL;
  init: FetchInit;
  /** Whether the body can be sent again (a stream cannot). */
  replayable: boolean;
}

async function firstHop(input: unknown, init: FetchInit | undefined, spare: Request | undefined): Promise<Hop> {
  if (typeof Request !== "undefined" && input instanceof Request) {
    const slots = requestSlots(input);
    const hopInit: FetchInit = {
      method: slots.method,
      headers: new Headers(input.headers),
      signal: input.signal,
      ...init,
      redirect: "manual",
    };
    if (init?.body === undefined && spare !== undefined) hopInit.body = await spare.arrayBuffer();
    return { url: new URL(slots.url), init: hopInit, replayable: isReplayable(hopInit.body) };
  }
  const href = input instanceof URL ? input.href : String(input);
  return { url: new URL(href), init: { ...init, redirect: "manual" }, replayable: isReplayable(init?.body) };
}

/** The next hop for a redirect response, per the Fetch standard's HTTP-redirect fetch. */
function nextHop(hop: Hop, response: Response): Hop | undefined {
  const location = response.headers.get("location");
  if (location === null) return undefined;
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw redirectError(`the redirect Location ${JSON.stringify(location)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw redirectError(`refusing to follow a redirect to ${url.protocol} (only http: and https:).`);
  }
  const method = (hop.init.method ?? "GET").toUpperCase();
  const status = response.status;
  const init: FetchInit = { ...hop.init, headers: new Headers(hop.init.headers) };
  const headers = init.headers as Headers;
  let replayable = hop.replayable;
  if (
    (status === 303 && method !== "GET" && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST")
  ) {
    init.method = "GET";
    delete init.body;
    delete init.duplex;
    for (const name of BODY_HEADERS) headers.delete(name);
    replayable = true;
  } else if (init.body !== undefined && init.body !== null && !replayable) {
    throw redirectError(
      `a ${status} redirect to ${url.origin}${url.pathname} would resend the request body, but the body is a stream that cannot be sent again; nothing was sent there. Pass the body as a string, bytes or Blob, or use redirect: "manual".`,
    );
  }
  if (url.origin !== hop.url.origin) for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
  return { url, init, replayable };
}

/** Lets the connection of a redirect response go back to the pool; its body is never read. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

async function follow(
  once: AnyFunction,
  thisArg: unknown,
  input: unknown,
  init: FetchInit | undefined,
  first: Response,
  spare: Request | undefined,
): Promise<Response> {
  let hop = await firstHop(input, init, spare);
  let response = first;
  for (let count = 1; ; count++) {
    const next = nextHop(hop, response);
    if (next === undefined) return response;
    discard(response);
    if (count > MAX_REDIRECTS) throw redirectError(`more than ${MAX_REDIRECTS} redirects.`);
    hop = next;
    // Through the governed single hop: decided (a cached ALLOW is fine) before anything is sent.
    response = (await once.call(thisArg, hop.url.href, hop.init)) as Response;
    if (!REDIRECT_STATUSES.has(response.status)) {
      // `redirected` is a getter on the prototype; the instance says what really happened.
      Object.defineProperty(response, "redirected", { value: true, configurable: true });
      return response;
    }
  }
}

/** The caller's redirect mode (`follow` unless the init or the Request says otherwise). */
function redirectMode(input: unknown, init: FetchInit | undefined): string {
  const mode = init?.redirect;
  if (mode !== undefined) return mode;
  return typeof Request !== "undefined" && input instanceof Request ? requestSlots(input).redirect : "follow";
}

/**
 * `makeGoverned` for a fetch: the same decision for the first request, and every redirect followed
 * by the SDK, each hop decided before it is sent (a DENY rejects with `GovernorDeniedError` and the
 * hop is never sent). `redirect: "manual"` and `"error"` keep their meaning.
 */
export function makeGovernedFetch<T extends (...args: never[]) => unknown>(original: T, spec: PrimitiveSpec): T {
  const once = makeGoverned(original, spec) as unknown as AnyFunction;
  const real = original as unknown as AnyFunction;
  const governed = function (this: unknown, ...givenArgs: unknown[]): unknown {
    // A stale patch after disable(): the fetch as it is, redirects and all.
    if (spec.onlyWhileEnabled && !getState().enabled) return real.apply(this, givenArgs);
    // One copy of the URL and init: what is decided (each hop too) is what is sent.
    const args = snapshotFetchArgs(givenArgs);
    const input = args[0];
    const init = args[1] as FetchInit | undefined;
    if (redirectMode(input, init) !== "follow") return once.apply(this, args);
    const manualInit = init === undefined || init === null ? MANUAL : { ...init, redirect: "manual" as const };
    // A Request's body is a stream the first hop consumes: a copy is kept for a 307/308 to resend.
    const spare =
      typeof Request !== "undefined" && input instanceof Request && input.body !== null && init?.body === undefined
        ? input.clone()
        : undefined;
    const sent = once.call(this, input, manualInit) as Promise<Response>;
    return sent.then((response) => {
      if (REDIRECT_STATUSES.has(response.status)) return follow(once, this, input, init, response, spare);
      if (spare !== undefined) void spare.body?.cancel().catch(() => {});
      return response;
    });
  };
  Object.defineProperty(governed, "name", { value: original.name, configurable: true });
  Object.defineProperty(governed, "length", { value: original.length, configurable: true });
  Object.defineProperty(governed, ORIGINAL, { value: original, configurable: true });
  Object.defineProperty(governed, GOVERNED, { value: spec.kind, configurable: true });
  return governed as unknown as T;
}

/** `makeGoverned`, or {@link makeGovernedFetch} for a spec that governs a fetch (the global one, a fetch-like function, undici's). */
export function makeGovernedCall<T extends (...args: never[]) => unknown>(original: T, spec: PrimitiveSpec): T {
  return spec.kind === "fetch" || spec.name === "undici.fetch"
    ? makeGovernedFetch(original, spec)
    : makeGoverned(original, spec);
}
