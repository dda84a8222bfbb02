/**
 * Decide on what runs, run what was decided: a governed call copies its arguments once, derives the
 * intent from the copy and hands the same copy to the original. Without it, an argument could say
 * one thing to the SDK and another to Node: a `Buffer` path changed while the decision is awaited, an
 * options getter that answers `shell: false` to the SDK and `true` to Node, a `toString` or URL
 * getter that names one host for the decision and another for the request.
 *
 * The copy reads every getter exactly once and calls every `toString` exactly once. What the copy
 * leaves out (non-enumerable own options) is absent from the call too, so it can only take effect
 * away, never add one.
 */

/** Which argument positions hold what, for one primitive. */
export interface ArgShape {
  /** Positions that are fs paths (string, Buffer, Uint8Array, URL). */
  paths?: readonly number[];
  /** Positions that are option bags; with extra keys read even when inherited or non-enumerable. */
  options?: readonly number[];
  /** Option keys whose values are arrays (copied, elements made strings once). */
  arrayKeys?: readonly string[];
  /** Positions that are argument lists (copied, elements made strings once). */
  lists?: readonly number[];
  /** Positions that are a command, URL or host text: made a string once. */
  strings?: readonly number[];
  /** Keys read from an option bag even when not own enumerable (what Node reads from it). */
  keys?: readonly string[];
}

const urlHref = Object.getOwnPropertyDescriptor(URL.prototype, "href")!.get!;

/** The real `href` of a genuine URL (its own getter cannot be overridden by a subclass), else undefined. */
export function genuineHref(value: unknown): string | undefined {
  if (!(value instanceof URL)) return undefined;
  try {
    return urlHref.call(value) as string;
  } catch {
    return undefined;
  }
}

/**
 * A path argument frozen: a copy of a Buffer / Uint8Array, a fresh URL for a URL (from its real
 * `href`), and for a URL look-alike (Node 20 treats any object with `href` and `protocol` as a URL)
 * a fresh URL from its `href`, read once. Strings and fds are immutable already.
 */
export function snapshotPath(value: unknown): unknown {
  if (typeof value === "string" || typeof value === "number" || value === null || value === undefined) return value;
  if (ArrayBuffer.isView(value)) {
    const view = value as ArrayBufferView;
    return Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }
  const href = genuineHref(value);
  if (href !== undefined) return new URL(href);
  if (typeof value === "object") {
    const like = value as { href?: unknown; protocol?: unknown };
    const text = like.href;
    if (typeof text === "string" && text !== "") {
      try {
        return new URL(text);
      } catch {
        return text;
      }
    }
  }
  return value;
}

/**
 * The global `Request` class once it exists. Node defines `Request` as a lazy getter that loads
 * undici (tens of milliseconds): until something read it, no Request can exist, so it is not read here.
 */
export function loadedRequest(): typeof Request | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "Request");
  if (descriptor === undefined) return undefined;
  return "value" in descriptor ? (descriptor.value as typeof Request) : undefined;
}

function isRequest(value: unknown): value is Request {
  const RequestClass = loadedRequest();
  return RequestClass !== undefined && value instanceof RequestClass;
}

function isPlainBag(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof URL) &&
    !isRequest(value)
  );
}

function stringList(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return Array.from(list, (item: unknown) => (item !== null && typeof item === "object" ? String(item) : item));
}

/** An option bag copied: every enumerable key (own or inherited) and each of `keys` read once. */
export function snapshotOptions(
  value: unknown,
  keys: readonly string[] = [],
  arrayKeys: readonly string[] = [],
): unknown {
  if (!isPlainBag(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = value[key];
  for (const key of keys) if (!(key in copy) && key in value) copy[key] = value[key];
  for (const key of arrayKeys) if (key in copy) copy[key] = stringList(copy[key]);
  return copy;
}

/** Copies `args` by `shape`: the one snapshot both the decision and the call use. */
export function snapshotArgs(args: unknown[], shape: ArgShape): unknown[] {
  const copy = args.slice();
  for (const at of shape.paths ?? []) if (at < copy.length) copy[at] = snapshotPath(copy[at]);
  for (const at of shape.strings ?? [])
    if (at < copy.length && copy[at] !== null && typeof copy[at] === "object" && !(copy[at] instanceof URL))
      copy[at] = String(copy[at]);
  for (const at of shape.lists ?? []) if (at < copy.length) copy[at] = stringList(copy[at]);
  for (const at of shape.options ?? [])
    if (at < copy.length) copy[at] = snapshotOptions(copy[at], shape.keys, shape.arrayKeys);
  return copy;
}

/** `child_process` options Node reads (what decides the program run and how). */
export const PROCESS_OPTION_KEYS = [
  "shell",
  "execPath",
  "execArgv",
  "argv0",
  "cwd",
  "env",
  "file",
  "windowsVerbatimArguments",
  "detached",
  "uid",
  "gid",
  "stdio",
  "serialization",
] as const;

/** `http.request` options that decide where a request goes. */
export const HTTP_OPTION_KEYS = [
  "protocol",
  "host",
  "hostname",
  "port",
  "defaultPort",
  "path",
  "method",
  "agent",
  "lookup",
  "socketPath",
  "createConnection",
  "localAddress",
  "family",
  "setHost",
  "headers",
] as const;

/** `fetch` init members undici reads. */
export const FETCH_INIT_KEYS = [
  "method",
  "headers",
  "body",
  "redirect",
  "signal",
  "duplex",
  "credentials",
  "mode",
  "referrer",
  "referrerPolicy",
  "integrity",
  "keepalive",
  "cache",
  "window",
  "dispatcher",
] as const;

/**
 * `fetch(input, init)` frozen: a Request stays (its URL and method are internal slots, read through
 * the prototype's own getters below), any other input becomes its string once (what WebIDL's
 * USVString conversion does), and the init is copied.
 */
export function snapshotFetchArgs(args: unknown[]): unknown[] {
  const input = args[0];
  const init = args[1];
  if (typeof input === "string" && (init === undefined || init === null)) return args;
  const copy = args.slice();
  if (typeof input !== "string" && !isRequest(input)) {
    const href = genuineHref(input);
    copy[0] = href ?? String(input);
  }
  if (init !== undefined && init !== null) copy[1] = snapshotOptions(init, FETCH_INIT_KEYS);
  return copy;
}

/** A Request's real URL, method and redirect mode (its internal slots, whatever a subclass overrides). */
export function requestSlots(request: Request): { url: string; method: string; redirect: string } {
  const proto = loadedRequest()?.prototype;
  const slot = (name: string): string => {
    const getter = proto === undefined ? undefined : Object.getOwnPropertyDescriptor(proto, name)?.get;
    return String(getter ? getter.call(request) : (request as unknown as Record<string, unknown>)[name]);
  };
  return { url: slot("url"), method: slot("method"), redirect: slot("redirect") };
}
