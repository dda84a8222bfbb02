/**
 * The intent event of one MCP `tools/call`: what the policy service decides on before the call may
 * reach the server behind the proxy.
 *
 * Read, in this order of authority: an override from the proxy's config file; the tool's
 * annotations (`readOnlyHint` → read; `destructiveHint` → delete where the name names no other verb;
 * `openWorldHint` → an external API where nothing else names the resource); the tool's name,
 * description and input schema, through the same deterministic inference the intent-scopes codemod
 * uses (its words come from the canonical vocabulary the enforce mock canonicalizes against); the
 * server's own name; and the call's arguments (the path, URL, table or command that names the
 * resource, personal-data argument names, lists that make a call bulk).
 */
import { createHash } from "node:crypto";
import type { IntentEvent } from "@governor/sdk";
import { inferIntent, isPiiParameter } from "../codemods/intent-scopes/infer-intent.js";
import { RESOURCE_TYPES } from "../enforce-mock/vocabulary.js";
import type { IntentOverride } from "./overrides.js";

/** What the proxy knows of a tool: the entry of `tools/list` (name, description, schema, annotations). */
export interface ToolDescription {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
    [key: string]: unknown;
  };
}

/**
 * The resource type of a tool the proxy cannot place anywhere else: not a canonical term, so it
 * reaches the policy service as written and a policy can name it (`resource_type: mcp_server`).
 */
export const UNKNOWN_RESOURCE_TYPE = "mcp_server";
/** The action of a tool whose name, description and annotations name no verb: calling it runs it. */
export const UNKNOWN_ACTION = "execute";

/** Arguments longer than this (as JSON) are sent as a preview plus their SHA-256. */
const MAX_ARGUMENT_CHARS = 4096;
/** Argument names that name the resource of a call, whatever the tool's resource type. */
const NAME_ARGUMENTS = ["path", "file", "filename", "file_path", "filePath", "url", "uri", "table", "command"];
const CANONICAL_RESOURCE_TYPES = new Set(RESOURCE_TYPES.map((entry) => entry.canonical));

/** The arguments as they go into the intent: JSON up to 4 KB, else a preview and the full text's SHA-256. */
function argumentsContext(args: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(args) ?? "{}";
  if (text.length <= MAX_ARGUMENT_CHARS) return { arguments: args };
  return {
    arguments: { truncated: true, preview: text.slice(0, MAX_ARGUMENT_CHARS) },
    arguments_sha256: createHash("sha256").update(text).digest("hex"),
  };
}

/** The resource a server's own name stands for (`postgres` → database, `github` → external_api "github"). */
function resourceOfServer(server: string): { type: string; name?: string } | undefined {
  const { intent } = inferIntent({ name: server });
  const type = intent.resource.type;
  if (!CANONICAL_RESOURCE_TYPES.has(type)) return undefined;
  return intent.resource.name === undefined ? { type } : { type, name: intent.resource.name };
}

/**
 * Builds the intent event of one call of `tool` on the MCP server named `server`.
 *
 * @example
 * toolCallIntent("filesystem", { name: "write_file", inputSchema: { type: "object", properties: { path: {}, content: {} } } }, { path: "/tmp/a", content: "x" })
 * // → { action: "write", resource: { type: "filesystem", name: "/tmp/a" }, context: { mcp_server: "filesystem", tool: "write_file", arguments: {…} } }
 */
export function toolCallIntent(
  server: string,
  tool: ToolDescription,
  args: Record<string, unknown> = {},
  override?: IntentOverride,
): IntentEvent {
  const fixed = toolIntentOf(server, tool);
  const resource = { ...fixed.resource };
  // The argument that names what this call acts on: the inferred one, else any well-known name.
  const nameFrom = fixed.nameFrom ?? NAME_ARGUMENTS.find((key) => typeof args[key] === "string");
  const argumentName = nameFrom === undefined ? undefined : args[nameFrom];
  if (typeof argumentName === "string" && argumentName !== "") resource.name = argumentName;
  resource.name ??= server;

  const data: NonNullable<IntentEvent["data"]> = { ...fixed.data };
  for (const key in args) {
    if (piiArgument(key)) data.pii = true;
    const value = args[key];
    if (Array.isArray(value) && value.length > 1) data.volume = "bulk";
  }
  const intent: IntentEvent = {
    action: fixed.action,
    resource,
    context: { mcp_server: server, tool: tool.name, ...argumentsContext(args) },
  };
  if (fixed.risk !== undefined) intent.risk = { ...fixed.risk };
  if (Object.keys(data).length > 0) intent.data = data;
  return override === undefined ? intent : applyOverride(intent, override, args);
}

/** What a tool's intent is before any argument is seen: the same for every call of it. */
interface ToolIntent {
  action: string;
  resource: { type: string; name?: string };
  nameFrom: string | undefined;
  data: NonNullable<IntentEvent["data"]>;
  risk: Record<string, unknown> | undefined;
}

// Inference reads the name, description and schema word by word: done once per tool description
// (the proxy keeps the objects tools/list returned), not on every call.
const toolIntents = new WeakMap<ToolDescription, { server: string; intent: ToolIntent }>();

function toolIntentOf(server: string, tool: ToolDescription): ToolIntent {
  const memo = toolIntents.get(tool);
  if (memo !== undefined && memo.server === server) return memo.intent;
  const inferred = inferIntent({ name: tool.name, description: tool.description, parameters: tool.inputSchema });
  const hints = tool.annotations ?? {};
  const known = (value: string) => !value.includes("TODO(governor)");

  let action = known(inferred.intent.action) ? inferred.intent.action : undefined;
  if (hints.readOnlyHint === true) action = "read";
  else if (hints.destructiveHint === true && (action === undefined || action === "delete")) action = "delete";
  action ??= UNKNOWN_ACTION;

  let resource: { type: string; name?: string } | undefined = known(inferred.intent.resource.type)
    ? { ...inferred.intent.resource }
    : undefined;
  resource ??= resourceOfServer(server);
  if (resource === undefined && hints.openWorldHint === true) resource = { type: "external_api" };
  resource ??= { type: UNKNOWN_RESOURCE_TYPE };

  const risk: Record<string, unknown> = {};
  for (const [hint, key] of [
    ["destructiveHint", "destructive"],
    ["openWorldHint", "open_world"],
  ] as const) {
    if (typeof hints[hint] === "boolean") risk[key] = hints[hint];
  }
  const intent: ToolIntent = {
    action,
    resource,
    nameFrom: inferred.intent.resourceNameFrom,
    data: { ...inferred.intent.data },
    risk: Object.keys(risk).length > 0 ? risk : undefined,
  };
  toolIntents.set(tool, { server, intent });
  return intent;
}

const piiArguments = new Map<string, boolean>();

/** {@link isPiiParameter}, remembered per argument name (a bounded set: argument names repeat). */
function piiArgument(name: string): boolean {
  let pii = piiArguments.get(name);
  if (pii === undefined) {
    pii = isPiiParameter(name);
    if (piiArguments.size < 10_000) piiArguments.set(name, pii);
  }
  return pii;
}

/** The intent with an override's fields in place of the inferred ones. */
function applyOverride(intent: IntentEvent, override: IntentOverride, args: Record<string, unknown>): IntentEvent {
  const result: IntentEvent = { ...intent, resource: { ...intent.resource } };
  if (override.action !== undefined) result.action = override.action;
  if (override.resource?.type !== undefined) result.resource.type = override.resource.type;
  if (override.resource?.name !== undefined) result.resource.name = override.resource.name;
  const from = override.resource?.nameFrom;
  if (from !== undefined && typeof args[from] === "string" && args[from] !== "") result.resource.name = args[from];
  if (override.data !== undefined) result.data = { ...intent.data, ...override.data };
  return result;
}
