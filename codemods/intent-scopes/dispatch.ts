/**
 * Tools dispatched by name inside one handler (the MCP SDK's low-level
 * `setRequestHandler(CallToolRequestSchema, …)`): each `case "name":` of a switch on the tool name is a
 * site, or the whole handler is one scope named by the request's tool name.
 */
import type { NodePath, Scope } from "@babel/traverse";
import type { Function as BabelFunction, Node, Statement } from "@babel/types";
import type { FrameworkId } from "../types.js";
import type { SiteDraft } from "./handlers.js";
import { isFunctionNode, keyName, staticString } from "./read-js.js";

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

/**
 * Drafts for a dispatching handler (`setRequestHandler(CallToolRequestSchema, handler)`): one per
 * dispatched tool. Sites found in a switch case are reported as `<pattern> switch case`.
 */
export function dispatchDrafts(
  handlerPath: NodePath,
  source: string,
  base: { framework: FrameworkId; pattern: string },
): SiteDraft[] {
  const fn = handlerPath.node as BabelFunction;
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
        pattern: `${base.pattern} switch case`,
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
