/**
 * Reading JavaScript/TypeScript syntax statically, for the tool-site finder: where a name is imported
 * from, an object's properties, literal strings, parameter schemas, and what counts as a function.
 */
import type { NodePath, Scope } from "@babel/traverse";
import type {
  Expression,
  Function as BabelFunction,
  Node,
  ObjectExpression,
  ObjectMethod,
  ObjectProperty,
} from "@babel/types";
import type { JsImport } from "../../templates/tool-shapes.js";

export interface ImportOrigin {
  module: string;
  /** The exported name, `default`, or `*` for a namespace / whole-module `require`. */
  imported: string;
}

export function isRequireOf(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "CallExpression") return undefined;
  if (node.callee.type !== "Identifier" || node.callee.name !== "require") return undefined;
  const arg = node.arguments[0];
  return arg?.type === "StringLiteral" ? arg.value : undefined;
}

export function keyName(node: Node): string | undefined {
  if (node.type === "Identifier") return node.name;
  if (node.type === "StringLiteral") return node.value;
  return undefined;
}

/** Where a local name comes from: an import, or a `require` (whole, destructured or `.member`). */
export function importOrigin(scope: Scope, name: string): ImportOrigin | undefined {
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

/**
 * The origin of a callee / constructor / superclass expression: `tool`, `agents.tool`, `ai.tool`, or
 * `FunctionTool.from` (a static member of a named export, reported as `FunctionTool.from`).
 */
export function originOf(scope: Scope, expression: Node | null | undefined): ImportOrigin | undefined {
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
    // A static member of an export: `FunctionTool.from`.
    if (ns) return { module: ns.module, imported: `${ns.imported}.${expression.property.name}` };
  }
  return undefined;
}

/** Whether an origin is one of the names a framework row imports (`tool` from "ai", `FunctionTool.from`). */
export function matchesImport(origin: ImportOrigin | undefined, wanted: JsImport): boolean {
  return origin !== undefined && wanted.modules.includes(origin.module) && wanted.names.includes(origin.imported);
}

export function property(object: ObjectExpression, name: string): ObjectProperty | ObjectMethod | undefined {
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

export function staticString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "StringLiteral") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0)
    return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join("");
  return undefined;
}

export function propertyString(object: ObjectExpression, name: string): string | undefined {
  const prop = property(object, name);
  return prop?.type === "ObjectProperty" ? staticString(prop.value) : undefined;
}

/**
 * Reads a parameter schema statically: a JSON schema literal, a zod `z.object({ … })` (or a raw
 * zod shape), `jsonSchema({ … })`, or a `const` in the same file holding one of those.
 */
export function schemaOf(node: Node | null | undefined, scope: Scope, source: string, depth = 0): unknown {
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

export function isFunctionNode(node: Node): node is BabelFunction {
  return (
    node.type === "ArrowFunctionExpression" ||
    node.type === "FunctionExpression" ||
    node.type === "FunctionDeclaration" ||
    node.type === "ObjectMethod" ||
    node.type === "ClassMethod"
  );
}

/** Whether an expression can stand as a handler to wrap: a function, or a reference / call yielding one. */
export function isHandlerExpression(node: Node): node is Expression {
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
export function isKnownFunction(node: Node, scope: Scope): boolean {
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

export function containsNode(root: Node, test: (node: Node) => boolean, enterFunctions: boolean): boolean {
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
export function contextualName(path: NodePath, fileBase: string): string | undefined {
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
