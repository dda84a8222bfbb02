/**
 * Tool-handler wrapping (`governTool`): each call of an agent tool's handler runs in an intent scope.
 * Runtime-neutral: it is the same on Node and on edge runtimes.
 */
import { truncate } from "./intents";
import { sha256HexAsync } from "./protocol";
import { runWithIntent } from "./scope";
import { GOVERNED } from "./state";
import type { IntentEvent, ToolIntentSpec } from "./types";

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const MAX_ARGUMENT_CHARS = 4096;

/** The first argument as JSON-safe data, cut to about 4 KB so intents stay small. */
export function jsonSafeArgument(value: unknown): unknown {
  return argumentFromText(argumentText(value));
}

/** The argument's full JSON text (`String(value)` when it cannot be serialized), or undefined. */
function argumentText(value: unknown): { text: string; json: boolean } | undefined {
  if (value === undefined) return undefined;
  const seen = new WeakSet<object>();
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "function" || typeof v === "symbol") return undefined;
      if (typeof v === "object" && v !== null) {
        if (seen.has(v)) return "[Circular]";
        seen.add(v);
      }
      return v;
    });
  } catch {
    return { text: String(value), json: false };
  }
  return text === undefined ? undefined : { text, json: true };
}

function argumentFromText(found: { text: string; json: boolean } | undefined): unknown {
  if (found === undefined) return undefined;
  if (!found.json) return found.text;
  if (found.text.length <= MAX_ARGUMENT_CHARS) return JSON.parse(found.text) as unknown;
  return { truncated: true, preview: truncate(found.text, MAX_ARGUMENT_CHARS) };
}

/**
 * Wraps an agent tool's handler (`execute`) so each call runs inside `withIntent`, with the intent
 * built from `spec` plus the call's first argument. `this` and every argument are passed through
 * (LangChain calls `(input, runManager, config)`). The result always returns a Promise. Wrapping an
 * already-governed handler returns it unchanged.
 *
 * @example
 * const execute = governTool(
 *   { tool: "refund", action: "write", resource: { type: "external_api", name: "stripe" }, data: { pii: true } },
 *   async ({ chargeId }) => stripe.refunds.create({ charge: chargeId }),
 * );
 */
// The handler's parameters are inferred from `A` (not from a function type `F`), so an inline handler
// in `execute: governTool(spec, async ({ city }) => …)` is still contextually typed by the framework.
export function governTool<T, A extends unknown[], R>(
  spec: ToolIntentSpec,
  handler: (this: T, ...args: A) => R,
): (this: T, ...args: A) => Promise<Awaited<R>> {
  type Governed = (this: T, ...args: A) => Promise<Awaited<R>>;
  if (typeof handler !== "function") throw new TypeError("governTool: the handler must be a function.");
  if ((handler as unknown as Record<symbol, unknown>)[GOVERNED] === "tool") {
    return handler as unknown as Governed;
  }
  if (
    spec === null ||
    typeof spec !== "object" ||
    typeof spec.tool !== "string" ||
    typeof spec.action !== "string" ||
    typeof spec.resource?.type !== "string"
  ) {
    throw new TypeError("governTool: spec needs tool, action and resource.type strings.");
  }
  const governed = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const input = args[0];
    const resource = { ...spec.resource };
    if (spec.resourceNameFrom !== undefined && input !== null && typeof input === "object") {
      const name = (input as Record<string, unknown>)[spec.resourceNameFrom];
      if (typeof name === "string" && name !== "") resource.name = name;
    }
    const intent: IntentEvent = { action: spec.action, resource };
    if (spec.data !== undefined) intent.data = spec.data;
    if (spec.risk !== undefined) intent.risk = spec.risk;
    const found = argumentText(input);
    const argument = argumentFromText(found);
    intent.context = argument === undefined ? { tool: spec.tool } : { tool: spec.tool, arguments: argument };
    const run = (): Promise<unknown> =>
      runWithIntent(intent, () => (handler as unknown as AnyFunction).apply(this, args), "tool");
    if (found === undefined || !found.json || found.text.length <= MAX_ARGUMENT_CHARS) return run();
    // Cut to a preview: the full argument's SHA-256 keeps calls that differ after the cut apart (two cache keys).
    return sha256HexAsync(found.text).then((sha) => {
      intent.context!.arguments_sha256 = sha;
      return run();
    });
  };
  Object.defineProperty(governed, "name", { value: handler.name, configurable: true });
  Object.defineProperty(governed, "length", { value: handler.length, configurable: true });
  Object.defineProperty(governed, GOVERNED, { value: "tool" });
  return governed as unknown as Governed;
}
