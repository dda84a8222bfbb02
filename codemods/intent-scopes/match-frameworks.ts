/**
 * The generic tool-site matcher: it knows the shapes in which tools are registered
 * (`templates/tool-shapes.ts`) and nothing of any one framework. The framework rows
 * (`templates/frameworks.ts`, each row's `js` shapes) say which modules, names, keys and methods
 * make a tool; this module turns every call, `new`, class or object taking one of those shapes into
 * a site draft. Rows are tried in table order; the first row that fits a node wins.
 */
import type { NodePath, Scope, Visitor } from "@babel/traverse";
import type { CallExpression, Class, Node, ObjectExpression } from "@babel/types";
import {
  JS_TOOL_ROWS,
  type FrameworkId,
  type JsDefinitionCall,
  type JsHandlerThenConfigCall,
  type JsImport,
  type JsPlainTool,
  type JsServerMethod,
  type JsToolClass,
  type JsToolMapCall,
  type JsToolRow,
  type JsToolShape,
} from "../../templates/frameworks.js";
import { dispatchDrafts } from "./dispatch.js";
import { handlerOfProperty, plainHandler, type SiteDraft } from "./handlers.js";
import { isGovernToolCall } from "./applied.js";
import {
  contextualName,
  isHandlerExpression,
  isKnownFunction,
  keyName,
  matchesImport,
  originOf,
  property,
  propertyString,
  schemaOf,
  staticString,
  type ImportOrigin,
} from "./read-js.js";

/** A row whose shape is narrowed to `S`. */
type RowOf<S extends JsToolShape> = { framework: FrameworkId; shape: S };

function rowsOf<K extends JsToolShape["shape"]>(
  rows: readonly JsToolRow[],
  kind: K,
): RowOf<Extract<JsToolShape, { shape: K }>>[] {
  return rows.filter((row) => row.shape.shape === kind) as RowOf<Extract<JsToolShape, { shape: K }>>[];
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(callee|method|handler)\}/g, (whole, key: string) => values[key] ?? whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Every module a row's shapes name. */
function modulesOf(shape: JsToolShape): readonly string[] {
  switch (shape.shape) {
    case "definition-call":
    case "handler-then-config":
    case "tool-map-call":
      return shape.callee.modules;
    case "tool-class":
      return shape.superclass.modules;
    case "server-method":
      return shape.server.modules;
    case "request-dispatch":
      return shape.request.modules;
    case "plain-tool":
      return [];
  }
}

/**
 * Text that must appear in a file for a framework row to match: one of the rows' module specifiers
 * (a bare package name such as `ai` only inside quotes). The transform's cheap pre-filter.
 */
export function moduleTextPattern(rows: readonly JsToolRow[]): RegExp {
  const modules = [...new Set(rows.flatMap((row) => modulesOf(row.shape)))].sort();
  // A specifier that starts with another one adds nothing to the alternation.
  const kept = modules.filter((m) => !modules.some((other) => other !== m && m.startsWith(other)));
  const parts = kept.map((m) => (/^[\w-]+$/.test(m) ? `["']${escapeRegExp(m)}["']` : escapeRegExp(m)));
  return new RegExp(parts.join("|"));
}

/** Text that must appear in a file for any framework row to match (see {@link moduleTextPattern}). */
export const FRAMEWORK_MODULE_TEXT = moduleTextPattern(JS_TOOL_ROWS);

const PLAIN_HANDLER_KEYS = new RegExp(
  `\\b(?:${[...new Set(rowsOf(JS_TOOL_ROWS, "plain-tool").flatMap((row) => row.shape.handlers))].join("|")})\\b`,
);

/** Whether a file could hold a plain function-schema tool: JSON-schema `properties` and a handler key. */
export function mightHoldPlainTool(source: string): boolean {
  // indexOf first: most files have no `properties` at all, and this stays linear on large ones.
  return source.includes("properties") && PLAIN_HANDLER_KEYS.test(source);
}

/** What the matcher reads and where it puts what it finds, for one file. */
export interface MatchContext {
  source: string;
  /** The file's name without its extension: a default-exported tool's fallback name. */
  fileBase: string;
  /** The SDK's names bound in the file (a `governTool(...)` handler counts as a tool). */
  sdkNames: Map<string, string>;
  drafts: SiteDraft[];
}

/** Whether `receiver` is an instance of the class (constructed from it, or typed as it). */
function isInstanceOf(receiver: Node, scope: Scope, wanted: JsImport): boolean {
  if (receiver.type !== "Identifier") return false;
  const binding = scope.getBinding(receiver.name);
  if (!binding) return false;
  const node = binding.path.node;
  const typeOf = (id: Node): Node | undefined => {
    const annotation = (id as { typeAnnotation?: Node | null }).typeAnnotation;
    return annotation?.type === "TSTypeAnnotation" ? annotation.typeAnnotation : undefined;
  };
  const isClassType = (type: Node | undefined): boolean =>
    type?.type === "TSTypeReference" && matchesImport(originOf(binding.path.scope, type.typeName), wanted);
  if (node.type === "VariableDeclarator") {
    if (isClassType(typeOf(node.id))) return true;
    let init = node.init;
    while (init && (init.type === "TSAsExpression" || init.type === "TSNonNullExpression")) init = init.expression;
    return init?.type === "NewExpression" && matchesImport(originOf(binding.path.scope, init.callee), wanted);
  }
  return isClassType(typeOf(binding.identifier));
}

type CallRow = RowOf<JsDefinitionCall | JsHandlerThenConfigCall | JsToolMapCall>;

/** Rows keyed by the `module` + name a callee / superclass must come from, in table order. */
type ImportIndex<R> = Map<string, R[]>;

const importKey = (module: string, name: string): string => `${module}\0${name}`;

function indexByImport<R>(rows: readonly R[], importOf: (row: R) => JsImport): ImportIndex<R> {
  const index: ImportIndex<R> = new Map();
  for (const row of rows) {
    const wanted = importOf(row);
    for (const module of wanted.modules) {
      for (const name of wanted.names) {
        const key = importKey(module, name);
        const list = index.get(key);
        if (list) list.push(row);
        else index.set(key, [row]);
      }
    }
  }
  return index;
}

/** The rows of one table, split by shape and indexed for look-up by origin (built once per table). */
interface RowIndex {
  serverRows: RowOf<JsServerMethod>[];
  dispatchRows: RowOf<Extract<JsToolShape, { shape: "request-dispatch" }>>[];
  callRows: ImportIndex<CallRow>;
  constructRows: ImportIndex<RowOf<JsDefinitionCall>>;
  classRows: ImportIndex<RowOf<JsToolClass>>;
  plainRows: RowOf<JsPlainTool>[];
  /** Method names a server-method or request-dispatch row may match (`tool`, `setRequestHandler`). */
  memberMethods: Set<string>;
}

const indexes = new WeakMap<readonly JsToolRow[], RowIndex>();

function indexRows(rows: readonly JsToolRow[]): RowIndex {
  let index = indexes.get(rows);
  if (index) return index;
  const serverRows = rowsOf(rows, "server-method");
  const dispatchRows = rowsOf(rows, "request-dispatch");
  const callRows = rows.filter(
    (row): row is CallRow =>
      (row.shape.shape === "definition-call" && !row.shape.construct) ||
      row.shape.shape === "handler-then-config" ||
      row.shape.shape === "tool-map-call",
  );
  index = {
    serverRows,
    dispatchRows,
    callRows: indexByImport(callRows, (row) => row.shape.callee),
    constructRows: indexByImport(
      rowsOf(rows, "definition-call").filter((row) => row.shape.construct),
      (row) => row.shape.callee,
    ),
    classRows: indexByImport(rowsOf(rows, "tool-class"), (row) => row.shape.superclass),
    plainRows: rowsOf(rows, "plain-tool"),
    memberMethods: new Set([
      ...serverRows.flatMap((row) => Object.keys(row.shape.methods)),
      ...dispatchRows.map((row) => row.shape.method),
    ]),
  };
  indexes.set(rows, index);
  return index;
}

/** The rows indexed under an origin, in table order. */
function rowsFrom<R>(index: ImportIndex<R>, origin: ImportOrigin | undefined): readonly R[] {
  return origin ? (index.get(importKey(origin.module, origin.imported)) ?? []) : [];
}

/** Builds the visitor that drafts a site for every node taking one of the rows' shapes. */
export function frameworkVisitor(ctx: MatchContext, rows: readonly JsToolRow[] = JS_TOOL_ROWS): Visitor {
  const { source, fileBase, drafts } = ctx;
  const claimedObjects = new Set<Node>();
  const { serverRows, dispatchRows, callRows, constructRows, classRows, plainRows, memberMethods } = indexRows(rows);

  /** A draft from a definition object: name, description, schema and handler read by the row's keys. */
  const fromObject = (
    base: Pick<SiteDraft, "framework" | "pattern">,
    at: Node,
    object: ObjectExpression,
    scope: Scope,
    keys: { name: readonly string[]; schema: readonly string[]; handler: string },
    fallbackName?: string,
  ): SiteDraft => {
    claimedObjects.add(object);
    const toolName = keys.name.map((n) => propertyString(object, n)).find((n) => n !== undefined) ?? fallbackName;
    const schemaProp = keys.schema.map((n) => property(object, n)).find((p) => p !== undefined);
    return {
      ...base,
      at,
      scope,
      toolName,
      description: propertyString(object, "description"),
      parameters: schemaProp?.type === "ObjectProperty" ? schemaOf(schemaProp.value, scope, source) : undefined,
      ...handlerOfProperty(property(object, keys.handler)),
    };
  };

  /** `server.tool(…)` / `server.registerTool(…)` on an instance of the row's class. */
  const serverMethod = (row: RowOf<JsServerMethod>, method: string, node: CallExpression, scope: Scope): void => {
    const layout = row.shape.methods[method]!;
    const args = node.arguments;
    const handler = args[args.length - 1];
    const draft: SiteDraft = {
      framework: row.framework,
      pattern: fill(row.shape.pattern, { method }),
      at: node,
      scope,
      toolName: staticString(args[0]),
    };
    if (layout.layout === "positional") {
      draft.description = args.length > 2 ? staticString(args[1]) : undefined;
      const schema = args.slice(1, -1).find((a) => a.type === "ObjectExpression");
      draft.parameters = schema ? schemaOf(schema, scope, source) : undefined;
    } else if (args[1]?.type === "ObjectExpression") {
      const config = args[1];
      draft.description = layout.description.map((k) => propertyString(config, k)).find((d) => d !== undefined);
      const schema = property(config, layout.schema);
      draft.parameters = schema?.type === "ObjectProperty" ? schemaOf(schema.value, scope, source) : undefined;
      claimedObjects.add(config);
    }
    if (args.length >= 2 && handler && isHandlerExpression(handler))
      draft.handler = { kind: "wrap-expression", node: handler };
    else draft.problem = "no handler argument";
    drafts.push(draft);
  };

  /**
   * A call whose callee is one of the row's names: drafts its sites. Returns false when the call does
   * not fit the row's shape (the next row is tried), true when the row has claimed it.
   */
  const fromCall = (row: CallRow, origin: ImportOrigin, callPath: NodePath<CallExpression>): boolean => {
    const { node, scope } = callPath;
    const first = node.arguments[0];
    const pattern = fill(row.shape.pattern, { callee: origin.imported });
    const base = { framework: row.framework, pattern };
    switch (row.shape.shape) {
      case "definition-call": {
        if (first?.type !== "ObjectExpression") return false;
        // Without its handler, the definition runs elsewhere (a client-side tool): nothing to scope here.
        if (row.shape.needsHandler && !property(first, row.shape.handler)) return true;
        drafts.push(fromObject(base, node, first, scope, row.shape, contextualName(callPath, fileBase)));
        return true;
      }
      case "handler-then-config": {
        if (!first) return false;
        const second = node.arguments[1];
        const config = second?.type === "ObjectExpression" ? second : undefined;
        if (config) claimedObjects.add(config);
        const schemaProp = config && row.shape.schema.map((n) => property(config, n)).find((p) => p !== undefined);
        drafts.push({
          ...base,
          at: node,
          scope,
          toolName:
            (config && row.shape.name.map((n) => propertyString(config, n)).find((n) => n !== undefined)) ??
            contextualName(callPath, fileBase),
          description: config && propertyString(config, "description"),
          parameters: schemaProp?.type === "ObjectProperty" ? schemaOf(schemaProp.value, scope, source) : undefined,
          ...(isHandlerExpression(first)
            ? { handler: { kind: "wrap-expression", node: first } }
            : { problem: "the handler is not a function" }),
        });
        return true;
      }
      case "tool-map-call": {
        if (first?.type !== "ObjectExpression") return false;
        const tools = property(first, row.shape.property);
        if (tools?.type !== "ObjectProperty" || tools.value.type !== "ObjectExpression") return true;
        for (const entry of tools.value.properties) {
          if (
            entry.type !== "ObjectProperty" ||
            entry.value.type !== "ObjectExpression" ||
            !property(entry.value, row.shape.handler)
          )
            continue;
          const fallback = entry.computed ? undefined : keyName(entry.key);
          drafts.push(fromObject(base, entry, entry.value, scope, { ...row.shape, name: [] }, fallback));
        }
        return true;
      }
    }
  };

  /** `class X extends <superclass> { name = …; <method>() {} }`. */
  const fromClass = (row: RowOf<JsToolClass>, classPath: NodePath<Class>): void => {
    const node = classPath.node;
    const { fields } = row.shape;
    let toolName: string | undefined;
    let description: string | undefined;
    let parameters: unknown;
    let call: Node | undefined;
    for (const member of node.body.body) {
      if (member.type === "ClassProperty" && !member.static && !member.computed) {
        const key = keyName(member.key);
        if (key === fields.name) toolName = staticString(member.value);
        else if (key === fields.description) description = staticString(member.value);
        else if (key === fields.schema) parameters = schemaOf(member.value, classPath.scope, source);
      } else if (
        member.type === "ClassMethod" &&
        member.kind === "method" &&
        !member.static &&
        !member.computed &&
        keyName(member.key) === row.shape.method
      ) {
        call = member;
      }
    }
    if (!call || call.type !== "ClassMethod") return;
    const draft: SiteDraft = {
      framework: row.framework,
      pattern: row.shape.pattern,
      at: call,
      toolName: toolName ?? node.id?.name,
      description,
      parameters,
    };
    const returnType =
      call.returnType?.type === "TSTypeAnnotation"
        ? source.slice(call.returnType.start ?? 0, call.returnType.end ?? 0)
        : "";
    const method = row.shape.method;
    if (call.generator) draft.problem = `${method} is a generator`;
    else if (call.body.body.length === 0) return;
    else if (!call.async && returnType !== "" && !/Promise/.test(returnType))
      draft.problem = `${method} is synchronous; a scope makes it return a Promise`;
    else draft.handler = { kind: "body", fn: call };
    drafts.push(draft);
  };

  /** `{ name, parameters: { type: "object", properties }, handler }`, or the OpenAI chat format. */
  const fromPlainObject = (row: RowOf<JsPlainTool>, objectPath: NodePath<ObjectExpression>): boolean => {
    const node = objectPath.node;
    const handlerProp = row.shape.handlers.map((n) => property(node, n)).find((p) => p !== undefined);
    if (!handlerProp) return false;
    // Already wrapped by governTool (ours, or written by hand): a tool, in a scope.
    const governed = handlerProp.type === "ObjectProperty" && isGovernToolCall(handlerProp.value, ctx.sdkNames);
    // Without a framework vouching for it, `run: x` must visibly be a function: governTool throws on anything else.
    if (handlerProp.type === "ObjectProperty" && !governed && !isKnownFunction(handlerProp.value, objectPath.scope))
      return false;
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
      return false;
    if (propertyString(parametersProp.value, "type") !== "object" || !property(parametersProp.value, "properties"))
      return false;
    drafts.push({
      framework: row.framework,
      pattern: fill(row.shape.pattern, { handler: keyName(handlerProp.key) ?? "" }),
      at: node,
      scope: objectPath.scope,
      toolName: name,
      description: propertyString(definition, "description"),
      parameters: schemaOf(parametersProp.value, objectPath.scope, source),
      ...(governed
        ? handlerOfProperty(handlerProp)
        : plainHandler(handlerOfProperty(handlerProp), objectPath.scope, source)),
    });
    return true;
  };

  return {
    CallExpression(callPath) {
      const { node, scope } = callPath;
      const callee = node.callee;
      if (
        callee.type === "MemberExpression" &&
        !callee.computed &&
        callee.property.type === "Identifier" &&
        memberMethods.has(callee.property.name)
      ) {
        const method = callee.property.name;
        for (const row of serverRows) {
          if (Object.hasOwn(row.shape.methods, method) && isInstanceOf(callee.object, scope, row.shape.server)) {
            serverMethod(row, method, node, scope);
            return;
          }
        }
        for (const row of dispatchRows) {
          if (method !== row.shape.method || !matchesImport(originOf(scope, node.arguments[0]), row.shape.request))
            continue;
          const handlerPath = callPath.get("arguments.1") as NodePath;
          if (handlerPath.node && (handlerPath.isArrowFunctionExpression() || handlerPath.isFunctionExpression()))
            drafts.push(
              ...dispatchDrafts(handlerPath, source, { framework: row.framework, pattern: row.shape.pattern }),
            );
          return;
        }
      }
      const origin = originOf(scope, callee);
      if (!origin) return;
      for (const row of rowsFrom(callRows, origin)) if (fromCall(row, origin, callPath)) return;
    },

    NewExpression(newPath) {
      const node = newPath.node;
      const origin = originOf(newPath.scope, node.callee);
      const first = node.arguments[0];
      if (!origin || first?.type !== "ObjectExpression") return;
      const row = rowsFrom(constructRows, origin)[0];
      if (!row) return;
      const base = { framework: row.framework, pattern: fill(row.shape.pattern, { callee: origin.imported }) };
      drafts.push(fromObject(base, node, first, newPath.scope, row.shape, contextualName(newPath, fileBase)));
    },

    Class(classPath) {
      const row = rowsFrom(classRows, originOf(classPath.scope, classPath.node.superClass))[0];
      if (row) fromClass(row, classPath);
    },

    ObjectExpression(objectPath) {
      if (claimedObjects.has(objectPath.node)) return;
      for (const row of plainRows) if (fromPlainObject(row, objectPath)) return;
    },
  };
}
