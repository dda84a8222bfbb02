/**
 * Finding agent tool handler sites in a file: where a tool's handler is defined, which framework
 * defines it, what the tool is called, and whether its handler already runs in an intent scope.
 *
 * Which calls, classes and objects define tools is data: the framework rows in
 * `templates/frameworks.ts`, read by the generic matcher in `match-frameworks.ts`. A call is only
 * recognised when its callee's binding really comes from the framework's module (imports, `require`
 * destructuring, namespaces and aliases are resolved with `@babel/traverse`), so a local `tool()` or an
 * unrelated library's `tool()` is left alone. One traverse per file.
 */
import traverseModule, { type NodePath, type Scope, type Visitor } from "@babel/traverse";
import type { CallExpression, File, Node, OptionalCallExpression } from "@babel/types";
import type { ToolSite } from "../types.js";
import { parseSource } from "../shared/source.js";
import { TODO_TOOL_NAME } from "../../templates/snippets/scopes.js";
import { GOVERN_MODULE } from "../../templates/snippets/wrap.js";
import { inferIntent, type IntentInference, type SideEffect } from "./infer-intent.js";
import { primitiveCollector } from "../wrap-primitives/sites.js";
import { existingScope, handlerSpan, hasTodoIn, sdkNamesOf } from "./applied.js";
import type { HandlerPlan, SiteDraft } from "./handlers.js";
import { frameworkVisitor, type MatchContext } from "./match-frameworks.js";
import { sideEffectOf } from "./side-effects.js";

export type { HandlerPlan } from "./handlers.js";
export { SYNC_HANDLER_PROBLEM } from "./handlers.js";
export { FRAMEWORK_MODULE_TEXT, mightHoldPlainTool } from "./match-frameworks.js";

// @babel/traverse is CommonJS; under NodeNext its default export arrives wrapped.
type TraverseFunction = (typeof traverseModule)["default"];
const traverse: TraverseFunction =
  (traverseModule as unknown as { default?: TraverseFunction }).default ??
  (traverseModule as unknown as TraverseFunction);

/** The SDK module the inserted scopes come from in Node code (edge files use `@governor/sdk/edge`). */
export const SDK_MODULE = GOVERN_MODULE;

/** A tool site with what the transform needs to edit it. */
export interface ToolSiteDetail extends ToolSite {
  /** Offset of the node the site is reported at. */
  start: number;
  description?: string;
  /** The tool's parameters as read statically (a JSON schema or a shape of names). */
  parameters?: unknown;
  /** The intent inferred from name, description and parameters. */
  inference: IntentInference;
  /** How to wrap the handler; absent when the site cannot be wrapped safely (see `problem`). */
  handler?: HandlerPlan;
  /** Why the site cannot be wrapped. */
  problem?: string;
}

/** What {@link analyzeToolSites} found in a file. */
export interface ToolSiteAnalysis {
  sites: ToolSiteDetail[];
  /** Local names of the SDK's exports already imported (`governTool` → its local alias). */
  sdkNames: Map<string, string>;
  /** Top-level names the file already declares, so an inserted import must not reuse them. */
  topLevelNames: Set<string>;
}

/**
 * Finds every tool handler site in a parsed file, with the plan to scope each. One traverse.
 * `path` is the file's project-relative path (for site ids and a default export's tool name).
 */
export function analyzeToolSites(ast: File, source: string, path: string): ToolSiteAnalysis {
  const drafts: SiteDraft[] = [];
  const fileBase = (path.split("/").pop() ?? path).replace(/\.[^.]+$/, "");
  const sdkNames = sdkNamesOf(ast);
  const ctx: MatchContext = { source, fileBase, sdkNames, drafts };
  const topLevelNames = new Set<string>();
  // The primitive finder rides along in the same pass: each handler's side effects decide its intent.
  const primitives = primitiveCollector(ast, source);
  const callScopes = new Map<Node, Scope>();
  const rememberScope = (callPath: NodePath<CallExpression> | NodePath<OptionalCallExpression>): void => {
    callScopes.set(callPath.node, callPath.scope);
  };
  const fileVisitor: Visitor = {
    OptionalCallExpression: rememberScope,
    CallExpression: rememberScope,
    Program(programPath) {
      for (const name of Object.keys(programPath.scope.bindings)) topLevelNames.add(name);
    },
  };
  traverse(ast, traverse.visitors.merge([fileVisitor, frameworkVisitor(ctx), primitives.visitor]));
  const primitiveSites = primitives.finish().sites;

  const sites = drafts.map((draft): ToolSiteDetail => {
    const span = draft.handler ? handlerSpan(draft) : undefined;
    // A dispatcher of unnamed tools runs every tool's side effects: none of them is this scope's intent.
    const effects =
      span && !(draft.handler?.kind === "body" && draft.toolName === undefined)
        ? primitiveSites
            .filter((site) => site.offset >= span[0] && site.offset < span[1])
            .map((site) => sideEffectOf(site, callScopes.get(site.call)))
            .filter((effect): effect is SideEffect => effect !== undefined)
        : [];
    const inference = inferIntent(
      { name: draft.toolName, description: draft.description, parameters: draft.parameters },
      effects,
    );
    const existing = draft.handler ? existingScope(draft.handler, sdkNames) : { wrapped: false };
    const loc = draft.at.loc!.start;
    const site: ToolSiteDetail = {
      framework: draft.framework,
      pattern: draft.pattern,
      line: loc.line,
      column: loc.column + 1,
      wrapped: existing.wrapped,
      // For an unwrapped site: whether the scope the codemod would insert carries a TODO.
      hasTodo: existing.wrapped
        ? hasTodoIn(source, existing.spec)
        : !inference.confident || draft.toolName === undefined,
      start: draft.at.start ?? 0,
      inference,
    };
    if (draft.toolName !== undefined) site.toolName = draft.toolName;
    if (draft.description !== undefined) site.description = draft.description;
    if (draft.parameters !== undefined) site.parameters = draft.parameters;
    if (draft.handler) site.handler = draft.handler;
    if (draft.problem) site.problem = draft.problem;
    return site;
  });
  sites.sort((a, b) => a.start - b.start);
  return { sites, sdkNames, topLevelNames };
}

/** The name `governTool`'s spec gets for a site: its static name, or a TODO placeholder. */
export function specToolName(site: Pick<ToolSite, "toolName">): string {
  return site.toolName ?? TODO_TOOL_NAME;
}

/**
 * Finds the agent tool handler sites of one file (`path` relative to the project root): the tools of
 * every framework row in `templates/frameworks.ts` (OpenAI Agents, Vercel AI SDK, LangChain, Mastra,
 * MCP servers high- and low-level, …) and plain function-schema objects. Only callees whose binding
 * comes from the framework's module count.
 * Throws a PARSE_ERROR `GovernorInitError` when the file does not parse.
 */
export function findToolSites(source: string, path: string): ToolSite[] {
  const { sites } = analyzeToolSites(parseSource(source, path), source, path);
  return sites.map(({ framework, pattern, toolName, line, column, wrapped, hasTodo }) => {
    const site: ToolSite = { framework, pattern, line, column, wrapped, hasTodo };
    if (toolName !== undefined) site.toolName = toolName;
    return site;
  });
}
