/**
 * A tool site as the finder drafts it, and how its handler is put in a scope (see {@link HandlerPlan}).
 */
import type { Scope } from "@babel/traverse";
import type {
  Expression,
  Function as BabelFunction,
  Node,
  ObjectMethod,
  ObjectProperty,
  SwitchCase,
} from "@babel/types";
import type { FrameworkId } from "../types.js";
import { containsNode, isFunctionNode, isHandlerExpression } from "./read-js.js";

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

/** A site as found, before its side effects and intent are read. */
export interface SiteDraft {
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
export function returnsPromise(fn: BabelFunction, source: string): boolean {
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
export function plainHandler(
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
export function handlerOfProperty(
  prop: ObjectProperty | ObjectMethod | undefined,
): Pick<SiteDraft, "handler" | "problem"> {
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
