/**
 * Recognising the intent-scopes transform's own output (and scopes written by hand): the SDK's names
 * bound in a file, whether a handler already runs in `governTool(...)` / `governor.withIntent(...)`,
 * and whether its intent still carries a TODO marker.
 */
import type { CallExpression, File, Node, Statement } from "@babel/types";
import { sdkBindings } from "../shared/imports.js";
import { TODO_MARKER } from "../../templates/snippets/scopes.js";
import { GOVERN_EDGE_MODULE, GOVERN_MODULE } from "../../templates/snippets/wrap.js";
import type { HandlerPlan, SiteDraft } from "./handlers.js";
import { isFunctionNode } from "./read-js.js";

/**
 * The SDK's names bound in the file, from either entry: both export the same `governTool` and
 * `governor`, so a scope from either counts as applied (a second run is a no-op, `check` sees it).
 * Where both entries bind a name, the Node entry's binding is the one used.
 */
export function sdkNamesOf(ast: File): Map<string, string> {
  const names = sdkBindings(ast, GOVERN_MODULE);
  for (const [name, local] of sdkBindings(ast, GOVERN_EDGE_MODULE)) if (!names.has(name)) names.set(name, local);
  return names;
}

export function hasTodoIn(source: string, node: Node | undefined): boolean {
  return node !== undefined && source.slice(node.start ?? 0, node.end ?? 0).includes(TODO_MARKER);
}

/** Whether `node` is a call of the SDK's `governTool` (by its imported name, or `sdk.governTool`). */
export function isGovernToolCall(node: Node, sdkNames: Map<string, string>): boolean {
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
export function existingScope(plan: HandlerPlan, sdkNames: Map<string, string>): { wrapped: boolean; spec?: Node } {
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
export function handlerSpan(draft: SiteDraft): [number, number] | undefined {
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
