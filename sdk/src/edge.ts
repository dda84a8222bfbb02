/**
 * `@governor/sdk/edge`: the SDK for edge runtimes (Vercel Edge Functions, Next.js middleware and
 * `runtime = "edge"` routes, Cloudflare Workers), where runtime patching cannot reach and Node's
 * builtins do not exist. It loads no Node builtin.
 *
 * - `govern(fetch)(url)` decides each call before it runs; `governTool`, `withIntent`, `withActor`
 *   work as on Node.
 * - Configuration: the `GOVERNOR_*` variables from `process.env` where the runtime has one, or
 *   {@link configure} (Cloudflare bindings, secrets read at request time).
 * - Decisions are asked with the runtime's `fetch`, captured when this module loads. There is no
 *   synchronous path: every governed call returns a promise. Fail closed as on Node.
 * - Scopes (`withIntent`, `withActor`, `governTool`) need AsyncLocalStorage: the global one (Vercel
 *   Edge) or `node:async_hooks` through `process.getBuiltinModule` (Cloudflare with nodejs_compat).
 *   Without it they throw `GovernorError` (code `GOVERNOR_NO_ASYNC_CONTEXT`) before deciding or
 *   running anything; `govern(fetch)` needs no scope storage.
 * - No audit log file (`GOVERNOR_AUDIT_LOG`): there is no file system.
 *
 * @example
 * // app/api/charge/route.ts
 * import { govern } from "@governor/sdk/edge";
 * export const runtime = "edge";
 * export async function POST(request: Request) {
 *   return govern(fetch)("https://api.stripe.com/v1/charges", { method: "POST", body: await request.text() });
 * }
 */
import { resolveConfig } from "./config";
import { warn, warnBypass } from "./engine";
import { createGovern, globalFetchSpec, type GovernPlatform } from "./govern-core";
import { getState, unwrap } from "./state";
import type { GovernorOptions, PrimitiveKind } from "./types";

export * from "./types";
export { GovernorError, GovernorDeniedError, GovernorUnavailableError } from "./errors";
export { governTool } from "./tool";
export { withActor, withIntent } from "./scope";
import { governorScopes } from "./scope";

// Captures the runtime's fetch now, before application code can wrap it: decision requests use it.
getState();

const KINDS_HELP =
  'On edge runtimes govern() understands the global fetch, any fetch-like function with kind "fetch" (govern(myFetch, "fetch")), axios instances, pg/mysql2-style clients (objects with query), and undici (kind "undici"). http, child_process and fs do not exist here; on Node import govern from "@governor/sdk".';

const fetchSpec = globalFetchSpec(false);

const edgePlatform: GovernPlatform = {
  builtinSpec: (real) => (real === unwrap(globalThis.fetch) ? fetchSpec : undefined),
  isModule: () => false,
  kindSpec: () => undefined,
  help: KINDS_HELP,
};

const governOnEdge = createGovern(edgePlatform);

/**
 * Call-site governance on edge runtimes: returns `target` wrapped so each call is decided by the
 * policy service before it runs (a `DENY` rejects with `GovernorDeniedError` and nothing is sent).
 * The wrapper is cached per target, so calling `govern(fetch)` on every call is cheap.
 *
 * @param target The global `fetch`, a fetch-like function (pass `"fetch"`), an axios instance, a
 *   pg / mysql2-style client, or undici's `request` (pass `"undici"`).
 * @param kind Which kind of primitive `target` is, when it cannot be told from the target itself.
 * @throws TypeError when the kind cannot be told or does not exist on edge runtimes (http, child_process, fs).
 * @example
 * import { govern } from "@governor/sdk/edge";
 * const response = await govern(fetch)("https://api.openai.com/v1/models");
 * const governedFetch = govern(env.API.fetch.bind(env.API), "fetch"); // an injected fetch
 */
export function govern<T>(target: T, kind?: PrimitiveKind): T {
  return governOnEdge(target, kind);
}

/** What {@link configure} accepts: every option of the Node entry's `enable()` that exists on edge. */
export type EdgeOptions = Omit<GovernorOptions, "enabled" | "primitives" | "auditLog">;

/**
 * Sets the configuration explicitly; anything not given falls back to `process.env` (when the
 * runtime has one), then to the defaults. Call it again to replace it (the decision cache is
 * cleared). Without it, the configuration is read from `process.env` on first use.
 *
 * @throws GovernorError (code `GOVERNOR_CONFIG`) naming the option when a value is invalid.
 * @example
 * // Cloudflare Worker
 * import { configure, govern } from "@governor/sdk/edge";
 * export default {
 *   async fetch(request: Request, env: { GOVERNOR_ENFORCE_URL: string; GOVERNOR_API_KEY: string }) {
 *     configure({ enforceUrl: env.GOVERNOR_ENFORCE_URL, apiKey: env.GOVERNOR_API_KEY });
 *     return govern(fetch)("https://api.example.com/orders");
 *   },
 * };
 */
export function configure(options: EdgeOptions = {}): void {
  const { config, warnings } = resolveConfig(options);
  for (const message of warnings) warn(message);
  const state = getState();
  // The same options again (configure() per request): keep the cache of ALLOWs.
  if (state.config !== undefined && sameConfig(state.config, config)) return;
  state.config = { ...config, auditLog: undefined };
  state.cache.clear();
  if (config.devBypass) warnBypass(true);
  else if (config.enforceUrl === undefined) {
    warn(
      "no enforceUrl (GOVERNOR_ENFORCE_URL): every governed side effect will be denied (fail closed) until it is set.",
    );
  }
}

function sameConfig(a: object, b: object): boolean {
  const plain = (value: object) => JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? String(v) : v));
  return plain({ ...a, auditLog: undefined }) === plain({ ...b, auditLog: undefined });
}

/**
 * The edge entry's `governor` object: the same scopes, decisions and audit trail as on Node, plus
 * {@link configure} (edge runtimes have nothing to enable or patch), so code written as
 * `governor.withIntent(…)` runs on both.
 *
 * @example
 * import { governor } from "@governor/sdk/edge";
 * await governor.withIntent({ action: "write", resource: { type: "external_api", name: "crm" } }, syncContact);
 */
export const governor = {
  ...governorScopes,
  /** See {@link configure}. */
  configure,
};
