/**
 * What a tool handler's primitive calls do, read from their arguments (host and method of a request,
 * the program a process runs, the SQL text): the evidence intent inference weighs.
 */
import type { Scope } from "@babel/traverse";
import type { Node } from "@babel/types";
import type { SideEffect } from "./infer-intent.js";
import type { AnalyzedSite } from "../wrap-primitives/sites.js";
import { isFunctionNode, keyName, property } from "./read-js.js";

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
export function sideEffectOf(site: AnalyzedSite, scope: Scope | undefined): SideEffect | undefined {
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
