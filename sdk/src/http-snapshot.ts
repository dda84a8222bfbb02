/**
 * The snapshot of `http.request` / `https.request` arguments (see `./snapshot`), plus the one thing a
 * copy cannot freeze: a custom `lookup`. With one, the address connected to is whatever the function
 * answers, not the host decided, so each address it answers is decided as the host connected to
 * before the connection is made.
 */
import { decideAsync, judge } from "./engine";
import { httpIntent, httpRequestIntent } from "./intents";
import { genuineHref, HTTP_OPTION_KEYS, snapshotOptions } from "./snapshot";

type LookupCallback = (error: unknown, address?: unknown, family?: number) => void;
type Lookup = (hostname: string, options: unknown, callback: LookupCallback) => unknown;

function governLookup(lookup: Lookup, primitive: string, requestUrl: URL, method: string): Lookup {
  return function governedLookup(this: unknown, hostname, options, callback) {
    const done = (typeof options === "function" ? options : callback) as LookupCallback;
    const opts = typeof options === "function" ? {} : options;
    return lookup.call(this, hostname, opts, (error, address, family) => {
      if (error) return done(error, address, family);
      const list = Array.isArray(address)
        ? (address as Array<{ address?: unknown }>).map((entry) => String(entry?.address))
        : [String(address)];
      const checks = [...new Set(list)].map(async (ip) => {
        const url = new URL(requestUrl.href);
        url.hostname = ip.includes(":") ? `[${ip}]` : ip;
        const derived = httpIntent(primitive, method, url);
        derived.intent.context!.lookup = "custom";
        derived.intent.context!.lookup_host = String(hostname);
        return judge(await decideAsync(derived.intent), { source: "primitive", primitive, target: derived.target });
      });
      Promise.all(checks).then(
        (verdicts) => {
          const refused = verdicts.find((verdict) => !verdict.run);
          if (refused !== undefined && !refused.run) done(refused.error);
          else done(null, address, family);
        },
        (failure: unknown) => done(failure),
      );
    });
  };
}

/** `http.request(url?, options?, callback?)` copied once; a custom `lookup` is governed. */
export function httpSnapshot(primitive: string, protocol: string): (args: unknown[]) => unknown[] {
  return (args) => {
    const copy = args.slice();
    for (let at = 0; at < Math.min(2, copy.length); at++) {
      const value = copy[at];
      const href = genuineHref(value);
      if (href !== undefined) copy[at] = new URL(href);
      else if (value !== null && typeof value === "object") copy[at] = snapshotOptions(value, HTTP_OPTION_KEYS);
    }
    const bag = [copy[0], copy[1]].find(
      (value): value is Record<string, unknown> =>
        value !== null &&
        typeof value === "object" &&
        !(value instanceof URL) &&
        typeof (value as { lookup?: unknown }).lookup === "function",
    );
    if (bag !== undefined) {
      const derived = httpRequestIntent(primitive, protocol, copy);
      const context = derived.intent.context as { url: string; method: string };
      bag.lookup = governLookup(bag.lookup as Lookup, primitive, new URL(context.url), context.method);
    }
    return copy;
  };
}
