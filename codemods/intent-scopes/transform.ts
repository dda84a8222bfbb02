/**
 * The `intent-scopes` transform: puts every agent tool handler in an intent scope, so each tool
 * call asks the policy service once, with the tool's intent, before any of its side effects run.
 *
 * Edits are the smallest that work, spliced into the original text:
 * - a handler expression gets `governTool({ … }, ` before it and `)` after it;
 * - an object method `async execute(args) { … }` becomes `execute: governTool({ … }, async function (args) { … })`
 *   (a `function`, not an arrow, so `this` still comes from the caller: `governTool` passes it on);
 * - a LangChain `_call` method keeps its shape; its body is wrapped in
 *   `return governor.withIntent({ …, context: { tool: "name" } }, async () => { … });` (an arrow: `this` is the tool);
 * - a low-level MCP `CallToolRequestSchema` handler that dispatches with `switch (request.params.name)`
 *   gets one such scope per `case "tool_name":` branch (each with that tool's own inferred intent);
 *   any other dispatch gets one scope around the handler's body whose `context.tool` is
 *   `request.params.name` at run time and whose action and resource are TODO placeholders to fill in.
 *
 * Edge files (`input.runtime === "edge"`) import from `@governor/sdk/edge`, which loads no Node builtin;
 * its `governTool` and `governor` are the Node entry's, scoping through AsyncLocalStorage where the
 * runtime has it. A scope imported from either entry counts as already applied.
 *
 * The spec text comes from `templates/snippets/scopes.ts`, shared with the wizard's copy-paste fallback.
 * Where the intent cannot be inferred, the inserted spec holds `TODO(governor): …` strings: the code
 * still type-checks, the policy service fails closed on them, and `check` reports them.
 */
import { siteId } from "../shared/site-id.js";
import type { File, Node } from "@babel/types";
import type { EditRecord, SourceTransform, TransformInput, TransformOutput } from "../types.js";
import { ensureSdkImport } from "../shared/imports.js";
import { applyTextEdits, lineEnding, parseSource, type TextEdit } from "../shared/source.js";
import {
  GOVERN_TOOL_CLOSE,
  WITH_INTENT_CLOSE,
  governToolOpen,
  withIntentOpen,
  type Quote,
  type ScopeSpec,
} from "../../templates/snippets/scopes.js";
import { sdkModuleFor } from "../../templates/snippets/wrap.js";
import {
  FRAMEWORK_MODULE_TEXT,
  mightHoldPlainTool,
  analyzeToolSites,
  specToolName,
  type ToolSiteDetail,
} from "./sites.js";

/** The quote style of the file's first import or require, so inserted strings match it. */
function fileQuote(ast: File, source: string): Quote {
  for (const statement of ast.program.body) {
    let literal: Node | undefined;
    if (statement.type === "ImportDeclaration") literal = statement.source;
    else if (statement.type === "VariableDeclaration") {
      const init = statement.declarations[0]?.init;
      if (init?.type === "CallExpression" && init.callee.type === "Identifier" && init.callee.name === "require")
        literal = init.arguments[0];
    }
    if (literal?.type === "StringLiteral") return source[literal.start ?? 0] === "'" ? "'" : '"';
  }
  return '"';
}

/** The whitespace that starts the line `offset` is on. */
function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart, offset))![0];
}

function specOf(site: ToolSiteDetail): ScopeSpec {
  const spec: ScopeSpec = {
    tool: specToolName(site),
    action: site.inference.intent.action,
    resource: site.inference.intent.resource,
  };
  if (site.inference.intent.data) spec.data = site.inference.intent.data;
  if (site.inference.intent.resourceNameFrom) spec.resourceNameFrom = site.inference.intent.resourceNameFrom;
  return spec;
}

/** Wraps `statements[first..last]` (a body or a case) in `return governor.withIntent(…, async () => { … });`. */
function scopeStatements(source: string, eol: string, first: Node, last: Node, open: string): TextEdit[] {
  const indent = indentAt(source, first.start!);
  return [
    { start: first.start!, end: first.start!, text: `${open}${eol}${indent}` },
    { start: last.end!, end: last.end!, text: `${eol}${indent}${WITH_INTENT_CLOSE}` },
  ];
}

function siteEdits(
  site: ToolSiteDetail,
  source: string,
  eol: string,
  quote: Quote,
  names: { governTool: string; governor: string },
): TextEdit[] {
  const plan = site.handler!;
  const spec = specOf(site);
  switch (plan.kind) {
    case "wrap-expression":
      return [
        { start: plan.node.start!, end: plan.node.start!, text: governToolOpen(spec, quote, names.governTool) },
        { start: plan.node.end!, end: plan.node.end!, text: GOVERN_TOOL_CLOSE },
      ];
    case "method": {
      const method = plan.node;
      const key = source.slice(method.key.start!, method.key.end!);
      return [
        {
          start: method.start!,
          end: method.key.end!,
          text: `${key}: ${governToolOpen(spec, quote, names.governTool)}${method.async ? "async " : ""}function `,
        },
        { start: method.end!, end: method.end!, text: GOVERN_TOOL_CLOSE },
      ];
    }
    case "body": {
      const body = plan.fn.body;
      if (body.type !== "BlockStatement" || body.body.length === 0) return [];
      const open = withIntentOpen(spec, quote, plan.toolExpression, `${names.governor}.withIntent`);
      return scopeStatements(source, eol, body.body[0]!, body.body[body.body.length - 1]!, open);
    }
    case "case": {
      const statements = plan.node.consequent;
      const open = withIntentOpen(spec, quote, undefined, `${names.governor}.withIntent`);
      const only = statements[0]!;
      if (statements.length === 1 && only.type === "BlockStatement") {
        // `case "x": { … }` → the block becomes the scope's body.
        return [
          { start: only.start!, end: only.start!, text: open.slice(0, -1) },
          { start: only.end!, end: only.end!, text: ");" },
        ];
      }
      return scopeStatements(source, eol, only, statements[statements.length - 1]!, open);
    }
  }
}

function describe(site: ToolSiteDetail): string {
  const name = site.toolName ?? "an unnamed tool";
  const todo = site.hasTodo ? " (TODO(governor): choose the intent)" : "";
  const how =
    site.handler?.kind === "body" || site.handler?.kind === "case"
      ? "governor.withIntent scope in"
      : "governTool around";
  if (site.handler?.kind === "body" && site.toolName === undefined)
    return `governor.withIntent scope around each dispatched MCP tool${todo}`;
  // Say where the intent came from when the body decided it: the reviewer checks it against the code.
  const basis = site.inference.fromBody ? ` (intent from its body: ${site.inference.fromBody})` : "";
  return `${how} ${name}${basis}${todo}`;
}

/**
 * Runs the transform on one file. Sites already scoped, sites in `excludedSites` and sites that
 * cannot be wrapped safely (reported as warnings) are left alone.
 */
function run(input: TransformInput): TransformOutput {
  const { source, path } = input;
  const ast = parseSource(source, path);
  const { sites, sdkNames, topLevelNames } = analyzeToolSites(ast, source, path);
  const eol = lineEnding(source);
  const quote = fileQuote(ast, source);
  const names = {
    governTool: sdkNames.get("governTool") ?? "governTool",
    governor: sdkNames.get("governor") ?? "governor",
  };
  const textEdits: TextEdit[] = [];
  const edits: EditRecord[] = [];
  const warnings: { line: number; message: string }[] = [];
  const needed = new Set<string>();

  for (const site of sites) {
    const id = siteId(path, site, "intent-scope");
    if (site.wrapped || input.excludedSites?.has(id)) continue;
    if (!site.handler) {
      warnings.push({
        line: site.line,
        message: `${site.pattern} ${site.toolName ?? ""}: not scoped, ${site.problem ?? "unsupported shape"}`.replace(
          "  ",
          " ",
        ),
      });
      continue;
    }
    const needs = site.handler.kind === "body" || site.handler.kind === "case" ? "governor" : "governTool";
    if (!sdkNames.has(needs) && topLevelNames.has(needs)) {
      // Importing the SDK's name would redeclare the file's own binding.
      warnings.push({
        line: site.line,
        message: `${site.toolName ?? site.pattern}: not scoped, the file already declares its own \`${needs}\``,
      });
      continue;
    }
    const siteText = siteEdits(site, source, eol, quote, names);
    if (siteText.length === 0) continue;
    textEdits.push(...siteText);
    needed.add(needs);
    edits.push({ kind: "intent-scope", line: site.line, description: describe(site), siteId: id });
    if (site.hasTodo)
      warnings.push({
        line: site.line,
        message: `${site.toolName ?? "tool"}: the intent could not be inferred; resolve the TODO(governor) marker`,
      });
  }
  if (textEdits.length === 0) return warnings.length > 0 ? { source, edits: [], warnings } : { source, edits: [] };

  // Edge files import from the edge entry: the Node entry would break their bundle. A name already
  // bound from either entry is used as it is, not imported a second time.
  textEdits.push(
    ...ensureSdkImport(ast, source, {
      module: sdkModuleFor(input.runtime),
      names: [...needed].filter((name) => !sdkNames.has(name)).sort(),
      moduleSystem: input.moduleSystem,
    }),
  );
  const output: TransformOutput = { source: applyTextEdits(source, textEdits), edits, textEdits };
  if (warnings.length > 0) output.warnings = warnings;
  return output;
}

/** Whether a file could hold a tool site: it names a framework module, or has a JSON-schema handler object. */
function mightApply(source: string): boolean {
  return FRAMEWORK_MODULE_TEXT.test(source) || mightHoldPlainTool(source);
}

/**
 * The `intent-scopes` source transform: wraps each agent tool handler (OpenAI Agents, Vercel AI SDK,
 * LangChain, Mastra, MCP servers, plain function-schema tools) in an intent scope from `@governor/sdk`
 * (`@governor/sdk/edge` in files that run on an edge runtime).
 */
export const intentScopes: SourceTransform = { name: "intent-scopes", mightApply, run };

export default intentScopes;
