/**
 * Finding agent tool handler sites in a file: where a tool's handler is defined, which framework
 * defines it, what the tool is called, and whether its handler already runs in an intent scope.
 *
 * A call is only recognised when its callee's binding really comes from the framework's module
 * (imports, `require` destructuring, namespaces and aliases are resolved with `@babel/traverse`),
 * so a local `tool()` or an unrelated library's `tool()` is left alone. One traverse per file.
 */
import traverseModule, { type NodePath, type Scope, type Visitor } from "@babel/traverse";
import type {
  CallExpression,
  Class,
  Expression,
  File,
  Function as BabelFunction,
  Node,
  ObjectExpression,
  ObjectMethod,
  ObjectProperty,
  OptionalCallExpression,
  Statement,
  SwitchCase,
} from "@babel/types";
import type { FrameworkId, ToolSite } from "../types.js";
import { sdkBindings } from "../shared/imports.js";
import { parseSource } from "../shared/source.js";
import { TODO_MARKER, TODO_TOOL_NAME } from "../../templates/snippets/scopes.js";
import { GOVERN_EDGE_MODULE, GOVERN_MODULE } from "../../templates/snippets/wrap.js";
import { inferIntent, type IntentInference, type SideEffect } from "./infer-intent.js";
import { primitiveCollector, type AnalyzedSite } from "../wrap-primitives/sites.js";

// @babel/traverse is CommonJS; under NodeNext its default export arrives wrapped.
type TraverseFunction = (typeof traverseModule)["default"];
const traverse: TraverseFunction =
  (traverseModule as unknown as { default?: TraverseFunction }).default ??
  (traverseModule as unknown as TraverseFunction);

/** The SDK module the inserted scopes come from in Node code (edge files use `@governor/sdk/edge`). */
export const SDK_MODULE = GOVERN_MODULE;

/**
 * The SDK's names bound in the file, from either entry: both export the same `governTool` and
 * `governor`, so a scope from either counts as applied (a second run is a no-op, `check` sees it).
 * Where both entries bind a name, the Node entry's binding is the one used.
 */
function sdkNamesOf(ast: File): Map<string, string> {
  const names = sdkBindings(ast, SDK_MODULE);
  for (const [name, local] of sdkBindings(ast, GOVERN_EDGE_MODULE)) if (!names.has(name)) names.set(name, local);
  return names;
}

/** Modules each framework's tool helpers come from. */
const OPENAI_MODULES = new Set([
  "@openai/agents",
  "@openai/agents/realtime",
  "@openai/agents-realtime",
  "@openai/agents-core",
]);
const VERCEL_MODULES = new Set(["ai"]);
const LANGCHAIN_MODULES = new Set(["@langchain/core/tools", "langchain/tools"]);
const MASTRA_MODULES = new Set(["@mastra/core/tools", "@mastra/core"]);
const MCP_SERVER_MODULES = new Set(["@modelcontextprotocol/sdk/server/mcp.js", "@modelcontextprotocol/sdk/server/mcp"]);
const MCP_TYPES_MODULES = new Set(["@modelcontextprotocol/sdk/types.js", "@modelcontextprotocol/sdk/types"]);

/** Text that must appear in a file for any framework pattern to be there (see `mightApply`). */
export const FRAMEWORK_MODULE_TEXT =
  /@openai\/agents|["']ai["']|@langchain\/core\/tools|langchain\/tools|@mastra\/core|@modelcontextprotocol\/sdk/;
/** Whether a file could hold a plain function-schema tool: JSON-schema `properties` and a handler key. */
export function mightHoldPlainTool(source: string): boolean {
  // indexOf first: most files have no `properties` at all, and this stays linear on large ones.
  return source.includes("properties") && /\b(?:handler|execute|run)\b/.test(source);
}

/**
 * How a site's handler is put in a scope:
 * - `wrap-expression`: `governTool({ … }, <expression>)` around the handler expression;
 * - `method`: an object method `execute(args) { … }` becomes `execute: governTool({ … }, function (args) { … })`;
 * - `body`: the function's body becomes `return governor.withIntent({ … }, async () => { … })`;
 * - `case`: a `case "name":` branch of a dispatching switch gets the same `withIntent` form.
 */
export type HandlerPlan =
  | { kind: "wrap-expression"; node: Expression }
  | { kind: "method"; node: ObjectMethod }
  | { kind: "body"; fn: BabelFunction; toolExpression?: string }
  | { kind: "case"; node: SwitchCase };

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

interface ImportOrigin {
  module: string;
  /** The exported name, `default`, or `*` for a namespace / whole-module `require`. */
  imported: string;
}

function isRequireOf(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "CallExpression") return undefined;
  if (node.callee.type !== "Identifier" || node.callee.name !== "require") return undefined;
  const arg = node.arguments[0];
  return arg?.type === "StringLiteral" ? arg.value : undefined;
}

function keyName(node: Node): string | undefined {
  if (node.type === "Identifier") return node.name;
  if (node.type === "StringLiteral") return node.value;
  return undefined;
}

/** Where a local name comes from: an import, or a `require` (whole, destructured or `.member`). */
function importOrigin(scope: Scope, name: string): ImportOrigin | undefined {
  const binding = scope.getBinding(name);
  if (!binding) return undefined;
  const node = binding.path.node;
  const parent = binding.path.parent;
  if (node.type === "ImportSpecifier" && parent.type === "ImportDeclaration") {
    return { module: parent.source.value, imported: keyName(node.imported) ?? name };
  }
  if (node.type === "ImportDefaultSpecifier" && parent.type === "ImportDeclaration")
    return { module: parent.source.value, imported: "default" };
  if (node.type === "ImportNamespaceSpecifier" && parent.type === "ImportDeclaration")
    return { module: parent.source.value, imported: "*" };
  if (node.type === "VariableDeclarator") {
    let init = node.init;
    if (init?.type === "AwaitExpression") init = init.argument;
    const whole = isRequireOf(init);
    if (whole !== undefined) {
      if (node.id.type === "Identifier") return { module: whole, imported: "*" };
      if (node.id.type === "ObjectPattern") {
        for (const prop of node.id.properties) {
          if (prop.type === "ObjectProperty" && prop.value.type === "Identifier" && prop.value.name === name) {
            const key = keyName(prop.key);
            return key ? { module: whole, imported: key } : undefined;
          }
        }
      }
      return undefined;
    }
    // const tool = require("ai").tool
    if (init?.type === "MemberExpression" && !init.computed && init.property.type === "Identifier") {
      const module = isRequireOf(init.object);
      if (module !== undefined) return { module, imported: init.property.name };
    }
  }
  return undefined;
}

/** The origin of a callee / constructor / superclass expression: `tool`, `agents.tool`, `ai.tool`. */
function originOf(scope: Scope, expression: Node | null | undefined): ImportOrigin | undefined {
  if (!expression) return undefined;
  if (expression.type === "Identifier") return importOrigin(scope, expression.name);
  if (
    expression.type === "MemberExpression" &&
    !expression.computed &&
    expression.property.type === "Identifier" &&
    expression.object.type === "Identifier"
  ) {
    const ns = importOrigin(scope, expression.object.name);
    if (ns && (ns.imported === "*" || ns.imported === "default"))
      return { module: ns.module, imported: expression.property.name };
  }
  return undefined;
}

function isFrom(origin: ImportOrigin | undefined, modules: Set<string>, ...names: string[]): boolean {
  return origin !== undefined && modules.has(origin.module) && names.includes(origin.imported);
}

function property(object: ObjectExpression, name: string): ObjectProperty | ObjectMethod | undefined {
  for (const prop of object.properties) {
    if (
      (prop.type === "ObjectProperty" || prop.type === "ObjectMethod") &&
      !prop.computed &&
      keyName(prop.key) === name
    )
      return prop;
  }
  return undefined;
}

function staticString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "StringLiteral") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0)
    return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join("");
  return undefined;
}

function propertyString(object: ObjectExpression, name: string): string | undefined {
  const prop = property(object, name);
  return prop?.type === "ObjectProperty" ? staticString(prop.value) : undefined;
}

/**
 * Reads a parameter schema statically: a JSON schema literal, a zod `z.object({ … })` (or a raw
 * zod shape), `jsonSchema({ … })`, or a `const` in the same file holding one of those.
 */
function schemaOf(node: Node | null | undefined, scope: Scope, source: string, depth = 0): unknown {
  if (!node || depth > 4) return undefined;
  switch (node.type) {
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
      return schemaOf(node.expression, scope, source, depth + 1);
    case "Identifier": {
      const binding = scope.getBinding(node.name);
      const decl = binding?.path.node;
      return decl?.type === "VariableDeclarator"
        ? schemaOf(decl.init, binding!.path.scope, source, depth + 1)
        : undefined;
    }
    case "CallExpression": {
      const callee = node.callee;
      // z.object({...}), jsonSchema({...}), and chains such as z.object({...}).strict().describe("…")
      if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
        if (callee.property.name === "object" && node.arguments[0]?.type === "ObjectExpression") {
          return schemaOf(node.arguments[0], scope, source, depth + 1);
        }
        return schemaOf(callee.object, scope, source, depth + 1);
      }
      if (callee.type === "Identifier" && node.arguments[0]?.type === "ObjectExpression")
        return schemaOf(node.arguments[0], scope, source, depth + 1);
      return undefined;
    }
    case "ObjectExpression": {
      const type = propertyString(node, "type");
      const properties = property(node, "properties");
      if (type === "object" && properties?.type === "ObjectProperty" && properties.value.type === "ObjectExpression") {
        const shape: Record<string, unknown> = {};
        for (const prop of properties.value.properties) {
          if (prop.type !== "ObjectProperty" || prop.computed) continue;
          const key = keyName(prop.key);
          if (!key) continue;
          const propType = prop.value.type === "ObjectExpression" ? propertyString(prop.value, "type") : undefined;
          shape[key] = propType ? { type: propType } : {};
        }
        return { type: "object", properties: shape };
      }
      // A raw zod shape: { city: z.string(), ids: z.array(z.string()) }
      const shape: Record<string, unknown> = {};
      for (const prop of node.properties) {
        if (prop.type !== "ObjectProperty" || prop.computed) continue;
        const key = keyName(prop.key);
        if (!key) continue;
        const text = source.slice(prop.value.start ?? 0, prop.value.end ?? 0);
        shape[key] = /\bz\s*\.\s*array\s*\(|\.array\s*\(\s*\)/.test(text) ? { type: "array" } : {};
      }
      return shape;
    }
    default:
      return undefined;
  }
}

function isFunctionNode(node: Node): node is BabelFunction {
  return (
    node.type === "ArrowFunctionExpression" ||
    node.type === "FunctionExpression" ||
    node.type === "FunctionDeclaration" ||
    node.type === "ObjectMethod" ||
    node.type === "ClassMethod"
  );
}

/** Whether an expression can stand as a handler to wrap: a function, or a reference / call yielding one. */
function isHandlerExpression(node: Node): node is Expression {
  return [
    "ArrowFunctionExpression",
    "FunctionExpression",
    "Identifier",
    "MemberExpression",
    "CallExpression",
    "TSAsExpression",
    "TSSatisfiesExpression",
    "TSNonNullExpression",
  ].includes(node.type);
}

/** Whether an expression is a function literal, or a name bound to a function declaration, a `const` function, or an import. */
function isKnownFunction(node: Node, scope: Scope): boolean {
  if (node.type === "ArrowFunctionExpression" || node.type === "FunctionExpression") return true;
  if (node.type !== "Identifier") return false;
  const binding = scope.getBinding(node.name);
  if (!binding) return false;
  const declared = binding.path.node;
  if (binding.kind === "module" || declared.type === "FunctionDeclaration") return true;
  return (
    declared.type === "VariableDeclarator" &&
    (declared.init?.type === "ArrowFunctionExpression" || declared.init?.type === "FunctionExpression")
  );
}

function containsNode(root: Node, test: (node: Node) => boolean, enterFunctions: boolean): boolean {
  let found = false;
  const visit = (node: Node, top: boolean): void => {
    if (found) return;
    if (test(node)) {
      found = true;
      return;
    }
    if (!top && !enterFunctions && isFunctionNode(node) && node.type !== "ArrowFunctionExpression") return;
    for (const key of Object.keys(node) as (keyof Node)[]) {
      if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
      const value = node[key] as unknown;
      if (Array.isArray(value)) {
        for (const child of value)
          if (child && typeof child === "object" && typeof (child as Node).type === "string")
            visit(child as Node, false);
      } else if (value && typeof value === "object" && typeof (value as Node).type === "string") {
        visit(value as Node, false);
      }
    }
  };
  visit(root, true);
  return found;
}

/** The name a tool defined by an expression is known by: its property key or variable name. */
function contextualName(path: NodePath, fileBase: string): string | undefined {
  const parent = path.parentPath;
  if (!parent) return undefined;
  const node = parent.node;
  if (node.type === "ObjectProperty" && node.value === path.node && !node.computed) return keyName(node.key);
  if (node.type === "VariableDeclarator" && node.id.type === "Identifier") {
    // `const weatherTool = tool({...})` used as `tools: { weather: weatherTool }`: the key is what the model sees.
    const binding = parent.scope.getBinding(node.id.name);
    for (const ref of binding?.referencePaths ?? []) {
      const holder = ref.parent;
      if (holder.type === "ObjectProperty" && holder.value === ref.node && !holder.computed && !holder.shorthand) {
        const key = keyName(holder.key);
        if (key) return key;
      }
    }
    return node.id.name;
  }
  if (node.type === "ExportDefaultDeclaration") return fileBase;
  if (node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression") return contextualName(parent, fileBase);
  return undefined;
}

interface SiteDraft {
  framework: FrameworkId;
  pattern: string;
  at: Node;
  toolName?: string;
  description?: string;
  parameters?: unknown;
  handler?: HandlerPlan;
  problem?: string;
  /** The scope the site was found in, to resolve a handler passed by name. */
  scope?: Scope;
}

/** Why a plain tool's synchronous handler is not wrapped (a warning, and `check` lists it as unscoped). */
export const SYNC_HANDLER_PROBLEM =
  "synchronous handler left alone: governTool would make it async; make it async or scope it with governor.withIntent";

/**
 * Whether a handler visibly returns a promise: it is `async`, its return type says `Promise` /
 * `PromiseLike`, or it returns a `fetch(…)` call or a `new Promise(…)`. Anything else counts as
 * synchronous: wrapping it would turn its `number` into a `Promise<number>` for the caller.
 */
function returnsPromise(fn: BabelFunction, source: string): boolean {
  if (fn.async) return true;
  if (fn.generator) return false;
  const annotation = fn.returnType ? source.slice(fn.returnType.start ?? 0, fn.returnType.end ?? 0) : "";
  if (/\bPromise(?:Like)?\s*</.test(annotation)) return true;
  const isAsyncValue = (node: Node | null | undefined): boolean => {
    if (!node) return false;
    if (node.type === "NewExpression") return node.callee.type === "Identifier" && node.callee.name === "Promise";
    if (node.type !== "CallExpression") return false;
    const callee = node.callee;
    if (callee.type === "Identifier") return callee.name === "fetch";
    // fetch(u).then(…), Promise.resolve(…), Promise.all(…)
    if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
      if (callee.object.type === "Identifier" && callee.object.name === "Promise") return true;
      if (["then", "catch", "finally"].includes(callee.property.name)) return isAsyncValue(callee.object);
    }
    return false;
  };
  if (fn.body.type !== "BlockStatement") return isAsyncValue(fn.body);
  return containsNode(fn.body, (n) => n.type === "ReturnStatement" && isAsyncValue(n.argument), false);
}

/**
 * A plain function-schema tool's handler is called by the project's own loop, which may use its
 * result as it is: a synchronous handler is left alone (framework handlers are awaited by the framework).
 */
function plainHandler(
  plan: Pick<SiteDraft, "handler" | "problem">,
  scope: Scope,
  source: string,
): Pick<SiteDraft, "handler" | "problem"> {
  const handler = plan.handler;
  if (!handler) return plan;
  let fn: Node | undefined;
  if (handler.kind === "method") fn = handler.node;
  else if (handler.kind === "wrap-expression") {
    fn = handler.node;
    if (fn.type === "Identifier") {
      const declared = scope.getBinding(fn.name)?.path.node;
      fn =
        declared?.type === "FunctionDeclaration"
          ? declared
          : declared?.type === "VariableDeclarator" && declared.init && isFunctionNode(declared.init)
            ? declared.init
            : undefined;
    }
  }
  // A handler whose code is not in sight (imported) is synchronous unless it visibly is not.
  if (fn !== undefined && isFunctionNode(fn) && returnsPromise(fn, source)) return plan;
  return { problem: SYNC_HANDLER_PROBLEM };
}

/** The plan for a handler property (`execute`, `func`, `handler`, `run`) of a tool's definition object. */
function handlerOfProperty(prop: ObjectProperty | ObjectMethod | undefined): Pick<SiteDraft, "handler" | "problem"> {
  if (!prop) return { problem: "no handler property" };
  if (prop.type === "ObjectMethod") {
    if (prop.kind !== "method") return { problem: "the handler is a getter or setter" };
    if (prop.generator) return { problem: "the handler is a generator method" };
    if (prop.computed) return { problem: "the handler's key is computed" };
    if (containsNode(prop.body, (n) => n.type === "Super", false)) return { problem: "the handler method uses super" };
    return { handler: { kind: "method", node: prop } };
  }
  if (isHandlerExpression(prop.value)) return { handler: { kind: "wrap-expression", node: prop.value } };
  return { problem: `the handler is a ${prop.value.type}` };
}

function endsInExit(statements: Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (last.type === "ReturnStatement" || last.type === "ThrowStatement") return true;
  if (last.type === "BlockStatement") return endsInExit(last.body);
  return false;
}

/** Whether a `break` in these statements would leave the switch they are in (so a scope would change its meaning). */
function breaksOutOf(statements: Statement[]): boolean {
  const loopsAndSwitches = new Set([
    "ForStatement",
    "ForInStatement",
    "ForOfStatement",
    "WhileStatement",
    "DoWhileStatement",
    "SwitchStatement",
  ]);
  const visit = (node: Node, nested: boolean): boolean => {
    if (node.type === "BreakStatement") return node.label !== null || !nested;
    if (node.type === "ContinueStatement") return node.label !== null || !nested;
    if (isFunctionNode(node)) return false;
    const inner = nested || loopsAndSwitches.has(node.type);
    for (const key of Object.keys(node) as (keyof Node)[]) {
      if (key === "loc" || key.endsWith("Comments")) continue;
      const value = node[key] as unknown;
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (
          child &&
          typeof child === "object" &&
          typeof (child as Node).type === "string" &&
          visit(child as Node, inner)
        )
          return true;
      }
    }
    return false;
  };
  return statements.some((s) => visit(s, false));
}

/**
 * The tool-name expression of a low-level MCP `CallToolRequestSchema` handler: `request.params.name`
 * for a first parameter named `request`. Undefined when the parameter is destructured or absent.
 */
function requestToolExpression(fn: BabelFunction): string | undefined {
  const first = fn.params[0];
  if (first?.type === "Identifier") return `${first.name}.params.name`;
  return undefined;
}

/** Whether a switch's discriminant is the dispatched tool name (`request.params.name`, or a local copy of it). */
function isToolNameDiscriminant(node: Node, scope: Scope, source: string): boolean {
  const text = source.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, "");
  if (/\.params\.name$/.test(text)) return true;
  if (node.type !== "Identifier") return false;
  const decl = scope.getBinding(node.name)?.path.node;
  if (decl?.type !== "VariableDeclarator" || !decl.init) return false;
  const init = source.slice(decl.init.start ?? 0, decl.init.end ?? 0).replace(/\s+/g, "");
  if (decl.id.type === "Identifier") return /\.params\.name$/.test(init);
  if (decl.id.type === "ObjectPattern" && /\.params$/.test(init)) {
    return decl.id.properties.some(
      (p) =>
        p.type === "ObjectProperty" &&
        keyName(p.key) === "name" &&
        p.value.type === "Identifier" &&
        p.value.name === node.name,
    );
  }
  return false;
}

/** Drafts for a low-level `setRequestHandler(CallToolRequestSchema, handler)`: one per dispatched tool. */
function lowLevelDrafts(handlerPath: NodePath, source: string): SiteDraft[] {
  const fn = handlerPath.node as BabelFunction;
  const base = { framework: "mcp" as FrameworkId, pattern: "setRequestHandler(CallToolRequestSchema)" };
  if (fn.body.type !== "BlockStatement") {
    return [{ ...base, at: fn, problem: "the handler has an expression body; give it a block body to scope it" }];
  }
  const switchStatement = fn.body.body.find(
    (s): s is Extract<Statement, { type: "SwitchStatement" }> =>
      s.type === "SwitchStatement" && isToolNameDiscriminant(s.discriminant, handlerPath.scope, source),
  );
  if (switchStatement) {
    const drafts: SiteDraft[] = [];
    let pendingNames: string[] = [];
    for (const switchCase of switchStatement.cases) {
      const name = switchCase.test ? staticString(switchCase.test) : undefined;
      if (switchCase.consequent.length === 0) {
        if (name) pendingNames.push(name);
        continue;
      }
      const grouped = pendingNames;
      pendingNames = [];
      if (!switchCase.test) continue; // `default:` is the unknown-tool branch
      const draft: SiteDraft = {
        ...base,
        pattern: "setRequestHandler(CallToolRequestSchema) switch case",
        at: switchCase,
        toolName: name,
      };
      if (!name) draft.problem = "the case label is not a string literal";
      else if (grouped.length > 0)
        draft.problem = `the case is shared with ${grouped.map((g) => JSON.stringify(g)).join(", ")}; scope each tool by hand`;
      else if (!endsInExit(switchCase.consequent)) draft.problem = "the case does not end in return or throw";
      else if (breaksOutOf(switchCase.consequent)) draft.problem = "the case breaks out of the switch";
      else draft.handler = { kind: "case", node: switchCase };
      drafts.push(draft);
    }
    if (drafts.some((d) => d.handler)) return drafts;
  }
  const toolExpression = requestToolExpression(fn);
  if (!toolExpression)
    return [
      { ...base, at: fn, problem: "the handler's request parameter is destructured; name it to scope the handler" },
    ];
  if (fn.body.body.length === 0) return [];
  return [{ ...base, at: fn, handler: { kind: "body", fn, toolExpression } }];
}

/** Whether `receiver` is an `McpServer` (constructed from, or typed as, the MCP SDK's class). */
function isMcpServer(receiver: Node, scope: Scope): boolean {
  if (receiver.type !== "Identifier") return false;
  const binding = scope.getBinding(receiver.name);
  if (!binding) return false;
  const node = binding.path.node;
  const typeOf = (id: Node): Node | undefined => {
    const annotation = (id as { typeAnnotation?: Node | null }).typeAnnotation;
    return annotation?.type === "TSTypeAnnotation" ? annotation.typeAnnotation : undefined;
  };
  const isMcpType = (type: Node | undefined): boolean =>
    type?.type === "TSTypeReference" &&
    isFrom(originOf(binding.path.scope, type.typeName), MCP_SERVER_MODULES, "McpServer");
  if (node.type === "VariableDeclarator") {
    if (isMcpType(typeOf(node.id))) return true;
    let init = node.init;
    while (init && (init.type === "TSAsExpression" || init.type === "TSNonNullExpression")) init = init.expression;
    return (
      init?.type === "NewExpression" &&
      isFrom(originOf(binding.path.scope, init.callee), MCP_SERVER_MODULES, "McpServer")
    );
  }
  return isMcpType(typeOf(binding.identifier));
}

function hasTodoIn(source: string, node: Node | undefined): boolean {
  return node !== undefined && source.slice(node.start ?? 0, node.end ?? 0).includes(TODO_MARKER);
}

/** Whether `node` is a call of the SDK's `governTool` (by its imported name, or `sdk.governTool`). */
function isGovernToolCall(node: Node, sdkNames: Map<string, string>): boolean {
  if (node.type !== "CallExpression") return false;
  const callee = node.callee;
  const local = sdkNames.get("governTool");
  return (
    (callee.type === "Identifier" && local !== undefined && callee.name === local) ||
    (callee.type === "MemberExpression" &&
      !callee.computed &&
      callee.property.type === "Identifier" &&
      callee.property.name === "governTool")
  );
}

/**
 * Whether the plan's handler is already scoped: wrapped in `governTool(...)`, or its body (or case)
 * starts with `return governor.withIntent(...)`. Returns the spec / intent argument when it is.
 */
function existingScope(plan: HandlerPlan, sdkNames: Map<string, string>): { wrapped: boolean; spec?: Node } {
  const governTool = sdkNames.get("governTool") ?? "governTool";
  const withIntent = sdkNames.get("withIntent") ?? "withIntent";
  const isScopeCall = (node: Node | null | undefined, names: "tool" | "intent"): node is CallExpression => {
    if (node?.type !== "CallExpression") return false;
    const callee = node.callee;
    if (names === "tool") {
      return (
        (callee.type === "Identifier" && callee.name === governTool) ||
        (callee.type === "MemberExpression" &&
          callee.property.type === "Identifier" &&
          callee.property.name === "governTool")
      );
    }
    return (
      (callee.type === "Identifier" && callee.name === withIntent) ||
      (callee.type === "MemberExpression" &&
        callee.property.type === "Identifier" &&
        callee.property.name === "withIntent")
    );
  };
  const firstReturn = (statements: Statement[]): Node | undefined => {
    const first = statements[0];
    return first?.type === "ReturnStatement" ? (first.argument ?? undefined) : undefined;
  };
  let call: Node | undefined;
  if (plan.kind === "wrap-expression") {
    const handler = plan.node;
    if (isScopeCall(handler, "tool")) call = handler;
    else if (handler.type === "ArrowFunctionExpression" || handler.type === "FunctionExpression") {
      // A handler the user already scoped by hand: `async (x) => governor.withIntent(…)`.
      const candidate = handler.body.type === "BlockStatement" ? firstReturn(handler.body.body) : handler.body;
      call = isScopeCall(candidate, "intent") ? candidate : undefined;
    }
  } else if (plan.kind === "method") {
    const candidate = firstReturn(plan.node.body.body);
    call = isScopeCall(candidate, "intent") ? candidate : undefined;
  }
  if (plan.kind === "body") {
    const candidate = plan.fn.body.type === "BlockStatement" ? firstReturn(plan.fn.body.body) : undefined;
    call = isScopeCall(candidate, "intent") ? candidate : undefined;
  } else if (plan.kind === "case") {
    const candidate = firstReturn(plan.node.consequent);
    call = isScopeCall(candidate, "intent") ? candidate : undefined;
  }
  if (!call || call.type !== "CallExpression") return { wrapped: false };
  return { wrapped: true, spec: call.arguments[0] };
}

/** The source range of a site's handler code: the function itself for a handler passed by name. */
function handlerSpan(draft: SiteDraft): [number, number] | undefined {
  const plan = draft.handler!;
  let node: Node;
  switch (plan.kind) {
    case "wrap-expression":
      node = plan.node;
      if (node.type === "Identifier" && draft.scope) {
        const declared = draft.scope.getBinding(node.name)?.path.node;
        if (declared?.type === "FunctionDeclaration") node = declared;
        else if (declared?.type === "VariableDeclarator" && declared.init && isFunctionNode(declared.init))
          node = declared.init;
      }
      break;
    case "method":
      node = plan.node;
      break;
    case "body":
      node = plan.fn;
      break;
    case "case":
      node = plan.node;
      break;
  }
  return node.start != null && node.end != null ? [node.start, node.end] : undefined;
}

/**
 * The literal text of a string, a template literal's literal head, or a `const` holding one: what a
 * URL / program / SQL argument reads as. `whole` is false when only the head is literal.
 */
function literalValue(
  node: Node | null | undefined,
  scope: Scope | undefined,
  depth = 0,
): { text: string; whole: boolean } | undefined {
  if (!node || depth > 3) return undefined;
  if (node.type === "StringLiteral") return { text: node.value, whole: true };
  if (node.type === "TemplateLiteral") {
    const head = node.quasis[0]!.value.cooked ?? node.quasis[0]!.value.raw;
    // `${BASE}/path` with `const BASE = "https://host"`: the constant is the head.
    if (head === "" && node.expressions[0]) {
      const base = literalValue(node.expressions[0], scope, depth + 1);
      if (base?.whole) {
        const rest = node.quasis[1]!.value.cooked ?? node.quasis[1]!.value.raw;
        return { text: base.text + rest, whole: node.expressions.length === 1 };
      }
    }
    return { text: head, whole: node.expressions.length === 0 };
  }
  if (node.type === "Identifier" && scope) {
    const binding = scope.getBinding(node.name);
    const declared = binding?.path.node;
    if (binding?.constant && declared?.type === "VariableDeclarator" && declared.id.type === "Identifier")
      return literalValue(declared.init, binding.path.scope, depth + 1);
  }
  return undefined;
}

/** The whole literal text of an argument, when all of it is literal. */
function literalText(node: Node | null | undefined, scope: Scope | undefined): string | undefined {
  const value = literalValue(node, scope);
  return value?.whole ? value.text : undefined;
}

/** The literal host of a URL argument: `"https://docs.example.com/x"`, `` `https://h/${p}` ``, `new URL("https://h")`. */
function urlHost(node: Node | null | undefined, scope: Scope | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "NewExpression" && node.callee.type === "Identifier" && node.callee.name === "URL")
    return urlHost(node.arguments[0], scope);
  if (node.type === "ObjectExpression") {
    const url = property(node, "url") ?? property(node, "hostname") ?? property(node, "host");
    if (url?.type !== "ObjectProperty") return undefined;
    if (keyName(url.key) === "url") return urlHost(url.value, scope);
    return literalText(url.value, scope)?.split(":")[0]?.toLowerCase() || undefined;
  }
  const value = literalValue(node, scope);
  if (value === undefined) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([/?#])?/i.exec(value.text);
  if (!match) return undefined;
  // `https://api.${region}.example.com`: the host goes on past the literal head.
  if (match[2] === undefined && !value.whole) return undefined;
  const host = match[1]!
    .replace(/^[^@]*@/, "")
    .replace(/:\d*$/, "")
    .toLowerCase();
  return host === "" ? undefined : host;
}

/** The literal `method` of a request options object: `GET` when it has none, undefined when it is computed. */
function methodOf(options: Node | null | undefined, scope: Scope | undefined): string | undefined {
  if (!options) return "GET";
  if (options.type !== "ObjectExpression") return undefined;
  if (options.properties.some((p) => p.type === "SpreadElement")) return undefined;
  const method = property(options, "method");
  if (!method) return "GET";
  if (method.type !== "ObjectProperty") return undefined;
  return literalText(method.value, scope)?.toUpperCase();
}

/** The primitive function a callee stands for: `cp.exec` → `exec`; a promisified or renamed alias → the original. */
function operationOf(site: AnalyzedSite, scope: Scope | undefined): string {
  const callee = site.call.callee;
  const last = site.callee.split(/\??\./).pop()!;
  if (callee.type !== "Identifier" || !scope) return last;
  const binding = scope.getBinding(callee.name);
  const declared = binding?.path.node;
  if (declared?.type === "ImportSpecifier") return keyName(declared.imported) ?? last;
  if (declared?.type === "VariableDeclarator") {
    if (declared.id.type === "ObjectPattern") {
      for (const prop of declared.id.properties)
        if (prop.type === "ObjectProperty" && prop.value.type === "Identifier" && prop.value.name === callee.name)
          return keyName(prop.key) ?? last;
    }
    // const run = promisify(execFile)
    const init = declared.init;
    if (init?.type === "CallExpression" && init.arguments[0] && init.arguments[0].type !== "SpreadElement") {
      const target = init.arguments[0];
      if (target.type === "Identifier") {
        const inner = binding!.path.scope.getBinding(target.name)?.path.node;
        if (inner?.type === "ImportSpecifier") return keyName(inner.imported) ?? target.name;
        return target.name;
      }
      if (target.type === "MemberExpression" && !target.computed && target.property.type === "Identifier")
        return target.property.name;
    }
  }
  return last;
}

/** What one primitive call in a handler does, read from its arguments. Undefined for an instance's creation. */
function sideEffectOf(site: AnalyzedSite, scope: Scope | undefined): SideEffect | undefined {
  // `promisify(exec)`, `axios.create()`: these make a primitive, they do not call one.
  if (site.callee.includes("(") || (site.kind === "axios" && site.callee.endsWith(".create"))) return undefined;
  const args = site.call.arguments;
  const operation = operationOf(site, scope);
  const effect: SideEffect = { kind: site.kind, operation };
  switch (site.kind) {
    case "fetch":
    case "undici":
    case "http":
    case "axios": {
      const host = urlHost(args[0], scope);
      if (host) effect.host = host;
      let method: string | undefined;
      if (site.kind === "axios") {
        const verb = operation.toUpperCase();
        if (["GET", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"].includes(verb)) method = verb;
        else if (/^(post|put|patch)Form$/.test(operation)) method = operation.slice(0, -4).toUpperCase();
        else if (args[0]?.type === "ObjectExpression") method = methodOf(args[0], scope);
        else method = methodOf(args[1], scope);
      } else if (site.kind === "http") {
        if (operation === "get") method = "GET";
        else {
          const options = args.find((a) => a.type === "ObjectExpression");
          method = options ? methodOf(options, scope) : args.length === 0 ? undefined : "GET";
          if (
            !options &&
            args.some((a) => a.type !== "StringLiteral" && a.type !== "TemplateLiteral" && !isFunctionNode(a))
          )
            method = undefined;
        }
      } else {
        method = methodOf(args[1], scope);
      }
      if (method) effect.method = method;
      return effect;
    }
    case "child_process": {
      if (operation === "exec" || operation === "execSync") {
        effect.program = "sh";
        return effect;
      }
      if (operation === "fork") {
        effect.program = "node";
        return effect;
      }
      const options = args.find((a) => a.type === "ObjectExpression");
      if (options?.type === "ObjectExpression") {
        const shell = property(options, "shell");
        if (shell?.type === "ObjectProperty" && !(shell.value.type === "BooleanLiteral" && !shell.value.value)) {
          effect.program = "sh";
          return effect;
        }
      }
      const program = literalText(args[0], scope);
      if (program && !/\s/.test(program.trim())) effect.program = program.trim().split(/[\\/]/).pop()!;
      return effect;
    }
    case "sql": {
      const first = args[0];
      let text: string | undefined;
      if (first?.type === "ObjectExpression") {
        const sql = property(first, "text") ?? property(first, "sql");
        text = sql?.type === "ObjectProperty" ? literalValue(sql.value, scope)?.text : undefined;
      } else text = literalValue(first, scope)?.text;
      if (text !== undefined) effect.sql = text;
      return effect;
    }
    default:
      return effect;
  }
}

/**
 * Finds every tool handler site in a parsed file, with the plan to scope each. One traverse.
 * `path` is the file's project-relative path (for site ids and a default export's tool name).
 */
export function analyzeToolSites(ast: File, source: string, path: string): ToolSiteAnalysis {
  const drafts: SiteDraft[] = [];
  const claimedObjects = new Set<Node>();
  const fileBase = (path.split("/").pop() ?? path).replace(/\.[^.]+$/, "");

  const fromObject = (
    base: Pick<SiteDraft, "framework" | "pattern">,
    at: Node,
    object: ObjectExpression,
    scope: Scope,
    names: { name: string[]; schema: string[]; handler: string },
    fallbackName?: string,
  ): SiteDraft => {
    claimedObjects.add(object);
    const toolName = names.name.map((n) => propertyString(object, n)).find((n) => n !== undefined) ?? fallbackName;
    const schemaProp = names.schema.map((n) => property(object, n)).find((p) => p !== undefined);
    return {
      ...base,
      at,
      scope,
      toolName,
      description: propertyString(object, "description"),
      parameters: schemaProp?.type === "ObjectProperty" ? schemaOf(schemaProp.value, scope, source) : undefined,
      ...handlerOfProperty(property(object, names.handler)),
    };
  };

  const sdkNames = sdkNamesOf(ast);
  const topLevelNames = new Set<string>();
  // The primitive finder rides along in the same pass: each handler's side effects decide its intent.
  const primitives = primitiveCollector(ast, source);
  const callScopes = new Map<Node, Scope>();
  const rememberScope = (callPath: NodePath<CallExpression> | NodePath<OptionalCallExpression>): void => {
    callScopes.set(callPath.node, callPath.scope);
  };
  const toolVisitor: Visitor = {
    OptionalCallExpression: rememberScope,
    Program(programPath) {
      for (const name of Object.keys(programPath.scope.bindings)) topLevelNames.add(name);
    },

    CallExpression(callPath) {
      rememberScope(callPath);
      const node = callPath.node;
      const scope = callPath.scope;
      const callee = node.callee;
      const args = node.arguments;

      // MCP high-level server: server.tool(...), server.registerTool(...)
      if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier") {
        const method = callee.property.name;
        if ((method === "tool" || method === "registerTool") && isMcpServer(callee.object, scope)) {
          const name = staticString(args[0]);
          const handler = args[args.length - 1];
          const draft: SiteDraft = {
            framework: "mcp",
            pattern: `server.${method}(…)`,
            at: node,
            scope,
            toolName: name,
          };
          if (method === "tool") {
            draft.description = args.length > 2 ? staticString(args[1]) : undefined;
            const schema = args.slice(1, -1).find((a) => a.type === "ObjectExpression");
            draft.parameters = schema ? schemaOf(schema, scope, source) : undefined;
          } else if (args[1]?.type === "ObjectExpression") {
            draft.description = propertyString(args[1], "description") ?? propertyString(args[1], "title");
            const schema = property(args[1], "inputSchema");
            draft.parameters = schema?.type === "ObjectProperty" ? schemaOf(schema.value, scope, source) : undefined;
            claimedObjects.add(args[1]);
          }
          if (args.length >= 2 && handler && isHandlerExpression(handler))
            draft.handler = { kind: "wrap-expression", node: handler };
          else draft.problem = "no handler argument";
          drafts.push(draft);
          return;
        }
        if (
          method === "setRequestHandler" &&
          isFrom(originOf(scope, args[0]), MCP_TYPES_MODULES, "CallToolRequestSchema")
        ) {
          const handlerPath = callPath.get("arguments.1") as NodePath;
          if (handlerPath.node && (handlerPath.isArrowFunctionExpression() || handlerPath.isFunctionExpression())) {
            drafts.push(...lowLevelDrafts(handlerPath, source));
          }
          return;
        }
      }

      const origin = originOf(scope, callee);
      if (!origin) return;
      const first = args[0];
      if (isFrom(origin, OPENAI_MODULES, "tool") && first?.type === "ObjectExpression") {
        drafts.push(
          fromObject(
            { framework: "openai-agents", pattern: "tool({ execute })" },
            node,
            first,
            scope,
            { name: ["name"], schema: ["parameters"], handler: "execute" },
            contextualName(callPath, fileBase),
          ),
        );
      } else if (isFrom(origin, VERCEL_MODULES, "tool", "dynamicTool") && first?.type === "ObjectExpression") {
        if (!property(first, "execute")) return; // a client-side tool: nothing runs here
        drafts.push(
          fromObject(
            { framework: "vercel-ai", pattern: `${origin.imported}({ execute })` },
            node,
            first,
            scope,
            { name: [], schema: ["inputSchema", "parameters"], handler: "execute" },
            contextualName(callPath, fileBase),
          ),
        );
      } else if (isFrom(origin, VERCEL_MODULES, "streamText", "generateText") && first?.type === "ObjectExpression") {
        const tools = property(first, "tools");
        if (tools?.type !== "ObjectProperty" || tools.value.type !== "ObjectExpression") return;
        for (const entry of tools.value.properties) {
          if (
            entry.type !== "ObjectProperty" ||
            entry.value.type !== "ObjectExpression" ||
            !property(entry.value, "execute")
          )
            continue;
          drafts.push(
            fromObject(
              { framework: "vercel-ai", pattern: `${origin.imported}({ tools: { name: { execute } } })` },
              entry,
              entry.value,
              scope,
              { name: [], schema: ["inputSchema", "parameters"], handler: "execute" },
              entry.computed ? undefined : keyName(entry.key),
            ),
          );
        }
      } else if (isFrom(origin, LANGCHAIN_MODULES, "tool") && first) {
        const config = args[1]?.type === "ObjectExpression" ? args[1] : undefined;
        if (config) claimedObjects.add(config);
        const schemaProp = config ? property(config, "schema") : undefined;
        drafts.push({
          framework: "langchain",
          pattern: "tool(fn, { name })",
          at: node,
          scope,
          toolName: (config && propertyString(config, "name")) ?? contextualName(callPath, fileBase),
          description: config && propertyString(config, "description"),
          parameters: schemaProp?.type === "ObjectProperty" ? schemaOf(schemaProp.value, scope, source) : undefined,
          ...(isHandlerExpression(first)
            ? { handler: { kind: "wrap-expression", node: first } }
            : { problem: "the handler is not a function" }),
        });
      } else if (isFrom(origin, MASTRA_MODULES, "createTool") && first?.type === "ObjectExpression") {
        drafts.push(
          fromObject(
            { framework: "mastra", pattern: "createTool({ execute })" },
            node,
            first,
            scope,
            { name: ["id"], schema: ["inputSchema"], handler: "execute" },
            contextualName(callPath, fileBase),
          ),
        );
      }
    },

    NewExpression(newPath) {
      const node = newPath.node;
      const origin = originOf(newPath.scope, node.callee);
      const first = node.arguments[0];
      if (
        !isFrom(origin, LANGCHAIN_MODULES, "DynamicStructuredTool", "DynamicTool") ||
        first?.type !== "ObjectExpression"
      )
        return;
      drafts.push(
        fromObject(
          { framework: "langchain", pattern: `new ${origin!.imported}({ func })` },
          node,
          first,
          newPath.scope,
          { name: ["name"], schema: ["schema"], handler: "func" },
          contextualName(newPath, fileBase),
        ),
      );
    },

    Class(classPath) {
      const node = classPath.node as Class;
      if (!isFrom(originOf(classPath.scope, node.superClass), LANGCHAIN_MODULES, "StructuredTool", "Tool")) return;
      let toolName: string | undefined;
      let description: string | undefined;
      let parameters: unknown;
      let call: Node | undefined;
      for (const member of node.body.body) {
        if (member.type === "ClassProperty" && !member.static && !member.computed) {
          const key = keyName(member.key);
          if (key === "name") toolName = staticString(member.value);
          else if (key === "description") description = staticString(member.value);
          else if (key === "schema") parameters = schemaOf(member.value, classPath.scope, source);
        } else if (
          member.type === "ClassMethod" &&
          member.kind === "method" &&
          !member.static &&
          !member.computed &&
          keyName(member.key) === "_call"
        ) {
          call = member;
        }
      }
      if (!call || call.type !== "ClassMethod") return;
      const draft: SiteDraft = {
        framework: "langchain",
        pattern: "class extends StructuredTool { _call }",
        at: call,
        toolName: toolName ?? node.id?.name,
        description,
        parameters,
      };
      const returnType =
        call.returnType?.type === "TSTypeAnnotation"
          ? source.slice(call.returnType.start ?? 0, call.returnType.end ?? 0)
          : "";
      if (call.generator) draft.problem = "_call is a generator";
      else if (call.body.body.length === 0) return;
      else if (!call.async && returnType !== "" && !/Promise/.test(returnType))
        draft.problem = "_call is synchronous; a scope makes it return a Promise";
      else draft.handler = { kind: "body", fn: call };
      drafts.push(draft);
    },

    ObjectExpression(objectPath) {
      const node = objectPath.node;
      if (claimedObjects.has(node)) return;
      const handlerProp = ["handler", "execute", "run"].map((n) => property(node, n)).find((p) => p !== undefined);
      if (!handlerProp) return;
      // Already wrapped by governTool (ours, or written by hand): a tool, in a scope.
      const governed = handlerProp.type === "ObjectProperty" && isGovernToolCall(handlerProp.value, sdkNames);
      // Without a framework vouching for it, `run: x` must visibly be a function: governTool throws on anything else.
      if (handlerProp.type === "ObjectProperty" && !governed && !isKnownFunction(handlerProp.value, objectPath.scope))
        return;
      // `{ name, parameters, handler }` or the OpenAI chat format `{ type: "function", function: { name, parameters }, handler }`
      const nested = property(node, "function");
      const definition =
        nested?.type === "ObjectProperty" && nested.value.type === "ObjectExpression" ? nested.value : node;
      const name = propertyString(definition, "name");
      const parametersProp = property(definition, "parameters");
      if (
        name === undefined ||
        parametersProp?.type !== "ObjectProperty" ||
        parametersProp.value.type !== "ObjectExpression"
      )
        return;
      if (propertyString(parametersProp.value, "type") !== "object" || !property(parametersProp.value, "properties"))
        return;
      drafts.push({
        framework: "plain",
        pattern: `{ name, parameters, ${keyName(handlerProp.key)} }`,
        at: node,
        scope: objectPath.scope,
        toolName: name,
        description: propertyString(definition, "description"),
        parameters: schemaOf(parametersProp.value, objectPath.scope, source),
        ...(governed
          ? handlerOfProperty(handlerProp)
          : plainHandler(handlerOfProperty(handlerProp), objectPath.scope, source)),
      });
    },
  };
  traverse(ast, traverse.visitors.merge([toolVisitor, primitives.visitor]));
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
 * Finds the agent tool handler sites of one file (`path` relative to the project root): OpenAI
 * Agents / Vercel AI SDK / LangChain / Mastra tools, MCP server tools (high- and low-level), and
 * plain function-schema objects. Only callees whose binding comes from the framework's module count.
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
