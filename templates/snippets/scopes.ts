/**
 * The code the intent-scopes codemod inserts around agent tool handlers, as text. The wizard
 * prints the same text as a copy-paste fallback where a file cannot be edited safely, so what a
 * user pastes and what the codemod writes never drift apart.
 *
 * Two forms, both from `@governor/sdk` (`@governor/sdk/edge` in edge files):
 * - `governTool(spec, handler)` around a tool's handler function (a static spec per tool);
 * - `return governor.withIntent(intent, async () => { … })` inside a handler's body, where the
 *   handler is a method that must keep its shape (LangChain `_call`) or dispatches several tools
 *   (a low-level MCP `CallToolRequestSchema` handler), with the tool's name in `context.tool`.
 */

import { sdkModuleFor, type SnippetRuntime } from "./wrap.js";

/** The marker every placeholder carries; `check` reports each occurrence. */
export const TODO_MARKER = "TODO(governor)";
/** Placeholder action when no verb could be read. A string, so the code still type-checks. */
export const TODO_ACTION = `${TODO_MARKER}: choose an action (read, write, delete, execute)`;
/** Placeholder resource type when no noun could be read. A string, so the code still type-checks. */
export const TODO_RESOURCE_TYPE = `${TODO_MARKER}: choose a resource type (database, external_api, filesystem, process)`;
/** Placeholder tool name when a tool's name cannot be read statically. */
export const TODO_TOOL_NAME = `${TODO_MARKER}: name this tool`;

/** The static part of a tool's intent: the fields of the SDK's `ToolIntentSpec` the codemod fills in. */
export interface ScopeSpec {
  tool: string;
  action: string;
  resource: { type: string; name?: string };
  data?: { pii?: boolean; volume?: string };
  /** A top-level argument whose string value becomes `resource.name` for the call (`governTool` only). */
  resourceNameFrom?: string;
}

/** The quote character string literals are written with. */
export type Quote = '"' | "'";

/** A string literal in the given quote style. */
export function stringLiteral(value: string, quote: Quote = '"'): string {
  const json = JSON.stringify(value);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function resourceText(resource: ScopeSpec["resource"], quote: Quote): string {
  const name = resource.name !== undefined ? `, name: ${stringLiteral(resource.name, quote)}` : "";
  return `{ type: ${stringLiteral(resource.type, quote)}${name} }`;
}

function dataText(data: ScopeSpec["data"]): string {
  if (!data) return "";
  const fields: string[] = [];
  if (data.pii !== undefined) fields.push(`pii: ${data.pii}`);
  if (data.volume !== undefined) fields.push(`volume: ${JSON.stringify(data.volume)}`);
  return fields.length > 0 ? `, data: { ${fields.join(", ")} }` : "";
}

/**
 * The `ToolIntentSpec` object literal for `governTool`, on one line:
 * `{ tool: "get_weather", action: "read", resource: { type: "external_api", name: "weather" } }`.
 */
export function renderToolSpec(spec: ScopeSpec, quote: Quote = '"'): string {
  const data = dataText(spec.data).replace(/"/g, quote);
  const nameFrom =
    spec.resourceNameFrom !== undefined ? `, resourceNameFrom: ${stringLiteral(spec.resourceNameFrom, quote)}` : "";
  return `{ tool: ${stringLiteral(spec.tool, quote)}, action: ${stringLiteral(spec.action, quote)}, resource: ${resourceText(spec.resource, quote)}${data}${nameFrom} }`;
}

/**
 * The `IntentEvent` object literal for `governor.withIntent`, with the tool's name in
 * `context.tool`. `toolExpression`, when given, is code evaluated at run time instead of the
 * literal name (a low-level MCP handler's `request.params.name`).
 */
export function renderScopeIntent(spec: ScopeSpec, quote: Quote = '"', toolExpression?: string): string {
  const data = dataText(spec.data).replace(/"/g, quote);
  const tool = toolExpression ?? stringLiteral(spec.tool, quote);
  return `{ action: ${stringLiteral(spec.action, quote)}, resource: ${resourceText(spec.resource, quote)}${data}, context: { tool: ${tool} } }`;
}

/** What goes before a handler expression: `governTool({ … }, `. The matching close is {@link GOVERN_TOOL_CLOSE}. */
export function governToolOpen(spec: ScopeSpec, quote: Quote = '"', callee = "governTool"): string {
  return `${callee}(${renderToolSpec(spec, quote)}, `;
}

/** What goes after a handler expression wrapped by {@link governToolOpen}. */
export const GOVERN_TOOL_CLOSE = ")";

/** The first line of a scope inside a handler's body: `return governor.withIntent({ … }, async () => {`. */
export function withIntentOpen(
  spec: ScopeSpec,
  quote: Quote = '"',
  toolExpression?: string,
  callee = "governor.withIntent",
): string {
  return `return ${callee}(${renderScopeIntent(spec, quote, toolExpression)}, async () => {`;
}

/** The last line of a scope opened by {@link withIntentOpen}. */
export const WITH_INTENT_CLOSE = "});";

/**
 * A copy-paste snippet for one tool, for the wizard's fallback and the docs: the import and the
 * wrapped handler, with a placeholder body. An edge file imports from `@governor/sdk/edge`.
 */
export function toolScopeSnippet(
  spec: ScopeSpec,
  moduleSystem: "esm" | "cjs" = "esm",
  runtime?: SnippetRuntime,
): string {
  const module = sdkModuleFor(runtime);
  const importLine =
    moduleSystem === "esm" ? `import { governTool } from "${module}";` : `const { governTool } = require("${module}");`;
  return [
    importLine,
    "",
    `// Wrap the tool's handler (execute / func / handler) so each call runs in an intent scope:`,
    `execute: ${governToolOpen(spec)}async (input) => {`,
    `  // …the handler's original body…`,
    `})`,
  ].join("\n");
}
