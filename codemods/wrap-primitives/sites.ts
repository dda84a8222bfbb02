/**
 * Finding side-effecting primitive call sites in one file: global `fetch`, axios (default export and
 * instances), `http`/`https` `request`/`get`, undici, `child_process`, `fs` writes, and pg/mysql2
 * queries.
 *
 * A name is a site only when its binding really is the primitive: every identifier is resolved
 * through `@babel/traverse` scopes back to an import, a `require`, a global, or an alias of one of
 * those. A parameter, local or method that happens to be called `fetch` or `exec` is not a site.
 *
 * `check` and `detect` call {@link findPrimitiveSites}; the wrap-primitives transform calls
 * {@link analyzePrimitives} on the AST it already parsed. Both are pure: one parse, one traverse.
 */
import traverseModule, { type Binding, type NodePath, type Scope, type Visitor } from "@babel/traverse";
import type { CallExpression, Class, ClassMethod, Expression, File, Node, OptionalCallExpression } from "@babel/types";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { sdkBindings } from "../shared/imports.js";
import { parseSource } from "../shared/source.js";
import type { PrimitiveSite } from "../types.js";
import { FS_WRITE_OPERATIONS } from "@governor/sdk/protocol";
import { GOVERN_EDGE_MODULE, GOVERN_EXPORT, GOVERN_MODULE, type WrapKind } from "../../templates/snippets/wrap.js";

// @babel/traverse is CommonJS: under NodeNext its default import is the module object, whose
// `default` is the function (at runtime, depending on the loader, either may be the function).
type TraverseFunction = (typeof traverseModule)["default"];
const traverse: TraverseFunction =
  (traverseModule as unknown as { default?: TraverseFunction }).default ??
  (traverseModule as unknown as TraverseFunction);

type Kind = PrimitiveSite["kind"];

/** `child_process` functions that start a process (the SDK governs each of them). */
const CHILD_PROCESS_FUNCTIONS = new Set(["exec", "execFile", "spawn", "fork", "execSync", "execFileSync", "spawnSync"]);

/**
 * `fs` operations that change the file system: the SDK's own table (`@governor/sdk/protocol`), so a
 * site is reported exactly when the SDK would govern it.
 */
export { FS_WRITE_OPERATIONS };

const FS_FUNCTIONS = new Set<string>([
  ...FS_WRITE_OPERATIONS,
  ...FS_WRITE_OPERATIONS.map((op) => `${op}Sync`),
  "createWriteStream",
]);
const HTTP_FUNCTIONS = new Set(["request", "get"]);
const UNDICI_FUNCTIONS = new Set(["request", "fetch", "stream"]);
const AXIOS_METHODS = new Set([
  "request",
  "get",
  "delete",
  "head",
  "options",
  "post",
  "put",
  "patch",
  "postForm",
  "putForm",
  "patchForm",
]);
const SQL_METHODS = new Set(["query", "execute"]);
/** Methods of a pool/connection that hand out another pool/connection. */
const SQL_DERIVATIONS = new Set(["connect", "getConnection", "promise"]);
const GLOBAL_OBJECTS = new Set(["globalThis", "window", "self", "global"]);

type ModuleKind = "child_process" | "fs" | "http" | "undici";

/** What an expression evaluates to, as far as primitives go. */
type Desc =
  /** A primitive module object. `copy`: an ESM namespace object (its `default` is the module itself). */
  | { t: "module"; kind: ModuleKind; copy: boolean; governed: boolean }
  /**
   * A primitive function (`exec`, `writeFile`, global `fetch`, undici's `request`). `foreign`: not a
   * Node builtin (a fetch polyfill), so `govern()` is told its kind.
   */
  | { t: "fn"; kind: Kind; governed: boolean; foreign?: boolean }
  | { t: "global" }
  /** axios's default export: callable and with `get`/`post`/… */
  | { t: "axios"; governed: boolean }
  | { t: "axiosFactory" }
  /** An instance from `axios.create()`; `origin` is the creating call (where it is wrapped). */
  | { t: "axiosInstance"; governed: boolean }
  | { t: "sqlModule" }
  | { t: "sqlCtor" }
  | { t: "sqlFactory" }
  /** A pg/mysql2 pool, client or connection. */
  | { t: "sqlInstance"; governed: boolean }
  /** `promisify(<primitive function>)`. */
  | { t: "promisified"; kind: Kind; governed: boolean };

/** Where the transform puts `govern(` … `)` for a site, when it is not wrapped yet. */
export interface WrapPlan {
  start: number;
  end: number;
  /** The kind argument, when the SDK cannot tell the target's kind from the value itself. */
  kindArg?: WrapKind;
}

/** A site with what the transform needs to edit it. */
export interface AnalyzedSite extends PrimitiveSite {
  /** Offset of the site in the source. */
  offset: number;
  /** The call the site is (its arguments tell what it does: a URL, a program, a SQL string). */
  call: CallExpression | OptionalCallExpression;
  /**
   * Where to wrap. Absent for a call on an axios instance or a promisified alias: those are governed
   * where the instance or alias is created (a site of its own).
   */
  wrap?: WrapPlan;
  /** One short sentence for the plan: `wrap fetch(...) with govern()`. */
  description: string;
  /**
   * False when `govern` (or the file's alias for it) is bound to something else at this site, so an
   * inserted `govern(...)` would not reach the SDK.
   */
  governReachable: boolean;
}

/** The result of analysing one file. */
export interface PrimitiveAnalysis {
  sites: AnalyzedSite[];
  /** The local name the file calls the SDK's `govern` by (`govern` unless imported under an alias). */
  governName: string;
  /** The file's string quote (from its first import/require), for inserted string literals. */
  quote: '"' | "'";
}

const STATIC_MODULES: Record<string, ModuleKind | "axios" | "sql" | "fetch"> = {
  child_process: "child_process",
  fs: "fs",
  "fs/promises": "fs",
  http: "http",
  https: "http",
  undici: "undici",
  axios: "axios",
  pg: "sql",
  mysql2: "sql",
  "mysql2/promise": "sql",
  // fetch polyfills: their default export is a fetch function the SDK cannot know by identity.
  "node-fetch": "fetch",
  "cross-fetch": "fetch",
};

/**
 * The cheap text filter: a file can only hold a site if it mentions `fetch` or imports/requires one of
 * the primitive modules. Most files of a large tree fail it and are never parsed.
 */
/** `fetch` not as a property (`client.fetch`, `this.fetch`), unless of a global object; or `["fetch"]`. */
const FETCH_WORD = /(?<![.\w$])fetch\b|\b(?:globalThis|window|self|global)\s*\??\.\s*fetch\b|\[\s*["'`]fetch["'`]\s*\]/;
const PRIMITIVE_MODULE =
  /["'`](?:node:)?(?:child_process|https?|fs(?:\/promises)?|undici|axios|pg|mysql2(?:\/promise)?)["'`]/g;
/** Any fs write operation's name: a file that only reads with `fs` (config loaders) has none. */
const FS_WRITE_WORD = new RegExp(`\\b(?:${[...FS_WRITE_OPERATIONS, "createWriteStream"].join("|")})(?:Sync)?\\b`);

/** True when the file may contain a primitive call site (false means it certainly does not). */
export function mightHoldPrimitiveSite(source: string): boolean {
  if (FETCH_WORD.test(source)) return true;
  let onlyFs: boolean | undefined;
  for (const match of source.matchAll(PRIMITIVE_MODULE)) {
    if (!/^.(?:node:)?fs\b/.test(match[0])) return true;
    onlyFs = true;
  }
  return onlyFs === true && FS_WRITE_WORD.test(source);
}

function stripModulePrefix(specifier: string): string {
  return specifier.startsWith("node:") ? specifier.slice(5) : specifier;
}

/** What importing `specifier` gives: its default export (or `require`) or its namespace object. */
function moduleValue(specifier: string, how: "default" | "namespace"): Desc | null {
  const family = STATIC_MODULES[stripModulePrefix(specifier)];
  if (family === undefined) return null;
  if (family === "axios") return how === "default" ? { t: "axios", governed: false } : null;
  if (family === "sql") return { t: "sqlModule" };
  if (family === "fetch") return how === "default" ? { t: "fn", kind: "fetch", governed: false, foreign: true } : null;
  return { t: "module", kind: family, copy: how === "namespace", governed: false };
}

function functionsOf(kind: ModuleKind): Set<string> {
  switch (kind) {
    case "child_process":
      return CHILD_PROCESS_FUNCTIONS;
    case "fs":
      return FS_FUNCTIONS;
    case "http":
      return HTTP_FUNCTIONS;
    case "undici":
      return UNDICI_FUNCTIONS;
  }
}

/** What `<object>.<key>` is, given what `<object>` is. */
function member(desc: Desc | null, key: string): Desc | null {
  if (desc === null) return null;
  switch (desc.t) {
    case "module":
      if (desc.kind === "fs" && key === "promises") return { t: "module", kind: "fs", copy: false, governed: false };
      if (key === "default" && desc.copy) return { ...desc, copy: false };
      if (functionsOf(desc.kind).has(key)) return { t: "fn", kind: desc.kind, governed: desc.governed };
      return null;
    case "fn":
      // `require("node-fetch").default` is the same function.
      return key === "default" && desc.foreign ? desc : null;
    case "global":
      if (key === "fetch") return { t: "fn", kind: "fetch", governed: false };
      return GLOBAL_OBJECTS.has(key) ? desc : null;
    case "axios":
      if (key === "create") return { t: "axiosFactory" };
      return key === "default" ? desc : null;
    case "sqlModule":
      if (key === "Pool" || key === "Client") return { t: "sqlCtor" };
      if (key === "createPool" || key === "createConnection" || key === "createPoolCluster") return { t: "sqlFactory" };
      return key === "default" ? desc : null;
    default:
      return null;
  }
}

/** The same value, routed through `govern(...)`. */
function governedVersion(desc: Desc | null): Desc | null {
  if (desc === null) return null;
  switch (desc.t) {
    case "module":
    case "fn":
    case "axios":
    case "axiosInstance":
    case "sqlInstance":
    case "promisified":
      return { ...desc, governed: true };
    default:
      return null;
  }
}

/** The name of a member access when it is static: `a.b`, `a["b"]`, `a?.b`. */
function staticKey(node: Node): string | undefined {
  if (node.type !== "MemberExpression" && node.type !== "OptionalMemberExpression") return undefined;
  const property = node.property;
  if (!node.computed) return property.type === "Identifier" ? property.name : undefined;
  if (property.type === "StringLiteral") return property.value;
  if (property.type === "TemplateLiteral" && property.expressions.length === 0)
    return property.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Strips TypeScript-only wrappers that do not change the value. */
function unwrapTs(node: Node): Node {
  let current = node;
  while (
    current.type === "TSAsExpression" ||
    current.type === "TSSatisfiesExpression" ||
    current.type === "TSNonNullExpression" ||
    current.type === "TSTypeAssertion" ||
    current.type === "ParenthesizedExpression"
  ) {
    current = current.expression;
  }
  return current;
}

/** A scope that is not a function's: `this` inside it is the enclosing function's. */
function isBlockScope(node: Node): boolean {
  return (
    node.type === "BlockStatement" ||
    node.type === "ForStatement" ||
    node.type === "ForInStatement" ||
    node.type === "ForOfStatement" ||
    node.type === "CatchClause" ||
    node.type === "SwitchStatement" ||
    node.type === "StaticBlock"
  );
}

function isFunctionNode(node: Node | null | undefined): boolean {
  return (
    !!node &&
    (node.type === "ArrowFunctionExpression" ||
      node.type === "FunctionExpression" ||
      node.type === "FunctionDeclaration" ||
      node.type === "ObjectMethod" ||
      node.type === "ClassMethod")
  );
}

/** Short one-line text of a node for reports (`cp.exec`, `require("fs").writeFileSync`). */
function shortText(source: string, node: Node): string {
  const text = source.slice(node.start!, node.end!).replace(/\s+/g, " ");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Resolves expressions to primitives. One instance per file; binding results are memoised, so each
 * binding is classified once however many call sites use it.
 */
class Resolver {
  private readonly bindings = new Map<Binding, Desc | null>();
  private readonly classMembers = new Map<Node, Map<string, Desc | null>>();

  /**
   * What `this.<key>` is inside a class method: the value of a class field `key = …` or of an
   * assignment `this.key = …` in the constructor (where pools and API clients usually live).
   */
  private classMember(key: string, scope: Scope): Desc | null {
    let current: Scope | undefined = scope;
    // Arrow functions and blocks keep the enclosing `this`; any other function ends the search.
    while (current && (current.block.type === "ArrowFunctionExpression" || isBlockScope(current.block))) {
      current = current.parent;
    }
    const owner = current?.path;
    if (!owner) return null;
    // A method's scope, or the class's own (arrow functions in field initialisers).
    const isMethod = owner.node.type === "ClassMethod" || owner.node.type === "ClassPrivateMethod";
    const classPath = isMethod ? owner.parentPath?.parentPath : owner;
    if (!classPath || (classPath.node.type !== "ClassDeclaration" && classPath.node.type !== "ClassExpression")) {
      return null;
    }
    let members = this.classMembers.get(classPath.node);
    if (!members) {
      members = new Map();
      this.classMembers.set(classPath.node, members);
    }
    if (members.has(key)) return members.get(key)!;
    members.set(key, null);
    const desc = this.classifyClassMember(classPath as NodePath<Class>, key);
    members.set(key, desc);
    return desc;
  }

  private classifyClassMember(classPath: NodePath<Class>, key: string): Desc | null {
    for (const memberPath of classPath.get("body").get("body")) {
      const node = memberPath.node;
      if (node.type === "ClassProperty" && !node.computed && node.key.type === "Identifier" && node.key.name === key) {
        // A declared-only field (`api;`) is assigned in the constructor: keep looking.
        if (node.value) return this.expr(node.value, memberPath.scope);
        continue;
      }
      if (node.type !== "ClassMethod" || node.kind !== "constructor") continue;
      for (const statement of node.body.body) {
        if (statement.type !== "ExpressionStatement" || statement.expression.type !== "AssignmentExpression") continue;
        const { left, right, operator } = statement.expression;
        if (
          operator === "=" &&
          left.type === "MemberExpression" &&
          left.object.type === "ThisExpression" &&
          staticKey(left) === key
        ) {
          return this.expr(right, (memberPath as NodePath<ClassMethod>).get("body").scope);
        }
      }
    }
    return null;
  }

  /** What `node`, evaluated in `scope`, is. */
  expr(node: Node | null | undefined, scope: Scope): Desc | null {
    if (!node) return null;
    const inner = unwrapTs(node);
    switch (inner.type) {
      case "AwaitExpression":
        return this.expr(inner.argument, scope);
      case "Identifier": {
        const binding = scope.getBinding(inner.name);
        if (binding) return this.binding(binding);
        if (inner.name === "fetch") return { t: "fn", kind: "fetch", governed: false };
        return GLOBAL_OBJECTS.has(inner.name) ? { t: "global" } : null;
      }
      case "MemberExpression":
      case "OptionalMemberExpression": {
        const key = staticKey(inner);
        if (key === undefined) return null;
        if (unwrapTs(inner.object).type === "ThisExpression") return this.classMember(key, scope);
        return member(this.expr(inner.object, scope), key);
      }
      case "CallExpression":
      case "OptionalCallExpression":
        return this.call(inner, scope);
      case "NewExpression":
        return this.expr(inner.callee, scope)?.t === "sqlCtor" ? { t: "sqlInstance", governed: false } : null;
      default:
        return null;
    }
  }

  /** What a call evaluates to: a module (`require`, `import()`), a governed value, an instance, an alias. */
  private call(node: CallExpression | OptionalCallExpression, scope: Scope): Desc | null {
    const callee = unwrapTs(node.callee);
    const first = node.arguments[0];
    if (callee.type === "Import") {
      return first?.type === "StringLiteral" ? moduleValue(first.value, "namespace") : null;
    }
    if (isRequire(callee, scope)) {
      return first?.type === "StringLiteral" && node.arguments.length === 1
        ? moduleValue(first.value, "default")
        : null;
    }
    if (isGovernCallee(callee, scope)) return first ? governedVersion(this.expr(first, scope)) : null;
    if (isPromisifyCallee(callee) && first) {
      const target = this.expr(first, scope);
      return target?.t === "fn" ? { t: "promisified", kind: target.kind, governed: target.governed } : null;
    }
    const key = staticKey(callee);
    if (key !== undefined && SQL_DERIVATIONS.has(key)) {
      const owner = this.expr((callee as { object: Node }).object, scope);
      if (owner?.t === "sqlInstance") return { t: "sqlInstance", governed: false };
    }
    const calleeDesc = this.expr(callee, scope);
    if (calleeDesc?.t === "axiosFactory") return { t: "axiosInstance", governed: false };
    if (calleeDesc?.t === "sqlFactory") return { t: "sqlInstance", governed: false };
    return null;
  }

  /** What a binding holds, from its declaration. Memoised; a cycle resolves to nothing. */
  binding(binding: Binding): Desc | null {
    if (this.bindings.has(binding)) return this.bindings.get(binding)!;
    this.bindings.set(binding, null);
    const desc = this.classifyBinding(binding);
    this.bindings.set(binding, desc);
    return desc;
  }

  private classifyBinding(binding: Binding): Desc | null {
    const node = binding.path.node;
    if (node.type === "TSImportEqualsDeclaration") {
      // `import cp = require("child_process")` (Babel registers it with kind "unknown").
      const reference = node.moduleReference;
      return reference.type === "TSExternalModuleReference" && node.importKind !== "type"
        ? moduleValue(reference.expression.value, "default")
        : null;
    }
    if (binding.kind === "module") {
      const declaration = binding.path.parent;
      if (
        declaration.type !== "ImportDeclaration" ||
        declaration.importKind === "type" ||
        declaration.importKind === "typeof"
      ) {
        return null;
      }
      const specifier = declaration.source.value;
      if (node.type === "ImportDefaultSpecifier") return moduleValue(specifier, "default");
      if (node.type === "ImportNamespaceSpecifier") return moduleValue(specifier, "namespace");
      if (node.type === "ImportSpecifier") {
        if (node.importKind === "type" || node.importKind === "typeof") return null;
        const imported = node.imported.type === "Identifier" ? node.imported.name : node.imported.value;
        if (imported === "default") return moduleValue(specifier, "default");
        // A named export of a CommonJS module is a property of its exports object.
        return member(moduleValue(specifier, "default"), imported);
      }
      return null;
    }
    if (binding.kind !== "const" && binding.kind !== "let" && binding.kind !== "var") return null;
    if (!binding.constant) return null;
    if (node.type !== "VariableDeclarator" || !node.init) return null;
    const value = this.expr(node.init, binding.path.scope);
    if (value === null) return null;
    if (node.id.type === "Identifier") return value;
    const keys = patternKeys(node.id, binding.identifier);
    if (keys === undefined) return null;
    let desc: Desc | null = value;
    for (const key of keys) desc = member(desc, key);
    return desc;
  }
}

/** The property keys leading from a destructuring pattern to `target` (`{ a: { b: x } }` → `["a", "b"]`). */
function patternKeys(pattern: Node, target: Node): string[] | undefined {
  if (pattern === target) return [];
  if (pattern.type === "AssignmentPattern") return patternKeys(pattern.left, target);
  if (pattern.type !== "ObjectPattern") return undefined;
  for (const property of pattern.properties) {
    if (property.type !== "ObjectProperty") continue;
    let key: string | undefined;
    if (!property.computed && property.key.type === "Identifier") key = property.key.name;
    else if (property.key.type === "StringLiteral") key = property.key.value;
    if (key === undefined) continue;
    const rest = patternKeys(property.value, target);
    if (rest !== undefined) return [key, ...rest];
  }
  return undefined;
}

/** `require(...)`: the CommonJS global, or a `createRequire(...)` result. */
function isRequire(callee: Node, scope: Scope): boolean {
  if (callee.type !== "Identifier" || callee.name !== "require") return false;
  const binding = scope.getBinding("require");
  if (!binding) return true;
  const node = binding.path.node;
  if (node.type !== "VariableDeclarator" || node.init?.type !== "CallExpression") return false;
  const maker = node.init.callee;
  return (
    (maker.type === "Identifier" && maker.name === "createRequire") ||
    (maker.type === "MemberExpression" && staticKey(maker) === "createRequire")
  );
}

function isPromisifyCallee(callee: Node): boolean {
  return (callee.type === "Identifier" && callee.name === "promisify") || staticKey(callee) === "promisify";
}

/** Either entry's `govern` is the SDK's: a file moved between runtimes still reads as wrapped. */
function isSdkModule(value: string): boolean {
  return value === GOVERN_MODULE || value === GOVERN_EDGE_MODULE;
}

/** Whether `binding` is the SDK's `govern` (`what: "govern"`) or the SDK's module object (`what: "module"`). */
function isSdkBinding(binding: Binding, what: "govern" | "module"): boolean {
  const node = binding.path.node;
  if (binding.kind === "module") {
    const declaration = binding.path.parent;
    if (declaration.type !== "ImportDeclaration" || !isSdkModule(declaration.source.value)) return false;
    if (node.type === "ImportSpecifier") {
      const imported = node.imported.type === "Identifier" ? node.imported.name : node.imported.value;
      return what === "govern" ? imported === GOVERN_EXPORT : imported === "default";
    }
    return what === "module" && (node.type === "ImportNamespaceSpecifier" || node.type === "ImportDefaultSpecifier");
  }
  if (node.type !== "VariableDeclarator") return false;
  const init = node.init;
  const isSdkRequire =
    init?.type === "CallExpression" &&
    init.callee.type === "Identifier" &&
    init.callee.name === "require" &&
    init.arguments[0]?.type === "StringLiteral" &&
    isSdkModule(init.arguments[0].value);
  if (!isSdkRequire) return false;
  if (node.id.type === "Identifier") return what === "module";
  return what === "govern" && patternKeys(node.id, binding.identifier)?.join(".") === GOVERN_EXPORT;
}

/**
 * Whether a callee is the SDK's `govern`: an identifier bound to it (under any alias), `sdk.govern`
 * on the SDK's module object, or an unbound `govern` (so half-finished hand edits still count as
 * wrapped and the transform stays idempotent).
 */
function isGovernCallee(callee: Node, scope: Scope): boolean {
  if (callee.type === "Identifier") {
    const binding = scope.getBinding(callee.name);
    if (!binding) return callee.name === GOVERN_EXPORT;
    return isSdkBinding(binding, "govern");
  }
  if (staticKey(callee) === GOVERN_EXPORT) {
    const object = (callee as { object: Node }).object;
    if (object.type !== "Identifier") return false;
    const binding = scope.getBinding(object.name);
    return !!binding && isSdkBinding(binding, "module");
  }
  return false;
}

function calleeName(callee: Node): string | undefined {
  if (callee.type === "Identifier") return callee.name;
  return staticKey(callee);
}

/** The quote of the file's first import or require, else double quotes. */
function quoteOf(ast: File, source: string): '"' | "'" {
  for (const statement of ast.program.body) {
    let literal: Node | undefined;
    if (statement.type === "ImportDeclaration") literal = statement.source;
    else if (statement.type === "VariableDeclaration") {
      const init = statement.declarations[0]?.init;
      if (init?.type === "CallExpression" && init.callee.type === "Identifier" && init.callee.name === "require") {
        literal = init.arguments[0];
      }
    }
    if (literal?.type === "StringLiteral") return source[literal.start!] === "'" ? "'" : '"';
  }
  return '"';
}

/**
 * Analyses a parsed file: every primitive call site, with what the transform needs to wrap it.
 * One traversal; sites are in source order.
 */
export function analyzePrimitives(
  ast: File,
  source: string,
  path: string,
  sdkModule: string = GOVERN_MODULE,
): PrimitiveAnalysis {
  const collector = primitiveCollector(ast, source, sdkModule);
  try {
    traverse(ast, collector.visitor);
  } catch (error) {
    if (error instanceof GovernorInitError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `${path} could not be analysed: ${message}`, {
      cause: error,
      suggestion: "The file was skipped and left untouched. Integrate this file by hand.",
      details: { path },
    });
  }
  return collector.finish();
}

/** A traversal visitor that collects primitive sites, and the analysis once the traversal is done. */
export interface PrimitiveCollector {
  /** Visits call expressions; merge it into another traversal (`traverse.visitors.merge`) to share one pass. */
  visitor: Visitor;
  /** The analysis of what the visitor saw. Call once, after the traversal. */
  finish(): PrimitiveAnalysis;
}

/**
 * The visitor behind {@link analyzePrimitives}, for a caller that already traverses the file (the
 * intent-scopes transform reads each tool handler's side effects in its own pass).
 */
export function primitiveCollector(ast: File, source: string, sdkModule: string = GOVERN_MODULE): PrimitiveCollector {
  const resolver = new Resolver();
  // The same reading of the file's SDK imports that `ensureSdkImport` uses to decide what to add.
  const governName = sdkBindings(ast, sdkModule).get(GOVERN_EXPORT) ?? GOVERN_EXPORT;
  const sites: AnalyzedSite[] = [];
  /** Source ranges of `withIntent(...)` callbacks and `governTool(...)` handlers. */
  const scopeRanges: [number, number][] = [];
  /** Handlers passed to `governTool` by name, resolved once traversal is done. */
  const namedHandlers: Binding[] = [];

  // 1-based columns, like editors and `file:line:column` links.
  const positionOf = (node: Node): { line: number; column: number } => ({
    line: node.loc!.start.line,
    column: node.loc!.start.column + 1,
  });

  const addSite = (
    scope: Scope,
    at: CallExpression | OptionalCallExpression,
    kind: Kind,
    callee: string,
    wrapped: boolean,
    description: string,
    wrap?: WrapPlan,
  ): void => {
    const governBinding = scope.getBinding(governName);
    sites.push({
      kind,
      callee,
      ...positionOf(at),
      wrapped,
      inScope: false,
      offset: at.start!,
      call: at,
      wrap,
      description,
      governReachable: !governBinding || isSdkBinding(governBinding, "govern"),
    });
  };

  const recordScope = (call: CallExpression | OptionalCallExpression, scope: Scope): void => {
    const name = calleeName(unwrapTs(call.callee));
    if (name !== "withIntent" && name !== "governTool") return;
    for (const argument of call.arguments) {
      if (isFunctionNode(argument)) scopeRanges.push([argument.start!, argument.end!]);
      else if (name === "governTool" && argument.type === "Identifier") {
        const binding = scope.getBinding(argument.name);
        if (binding) namedHandlers.push(binding);
      }
    }
  };

  const visitCall = (path: NodePath<CallExpression> | NodePath<OptionalCallExpression>): void => {
    const node = path.node;
    const scope = path.scope;
    const callee = unwrapTs(node.callee);
    recordScope(node, scope);
    const key = staticKey(callee);

    // Creations governed where they happen: axios instances and promisified aliases.
    if (key === "create" && resolver.expr((callee as { object: Node }).object, scope)?.t === "axios") {
      const parent = path.parentPath?.node;
      const wrapped =
        (parent?.type === "CallExpression" || parent?.type === "OptionalCallExpression") &&
        parent.arguments[0] === node &&
        isGovernCallee(unwrapTs(parent.callee), path.parentPath!.scope);
      const text = shortText(source, callee);
      addSite(scope, node, "axios", text, wrapped, `govern the axios instance from ${text}(...)`, {
        start: node.start!,
        end: node.end!,
      });
      return;
    }
    if (isPromisifyCallee(callee) && node.arguments[0]) {
      const argument = node.arguments[0];
      const target = resolver.expr(argument, scope);
      if (target?.t === "fn") {
        const text = shortText(source, argument);
        addSite(
          scope,
          node,
          target.kind,
          `${shortText(source, callee)}(${text})`,
          target.governed,
          `govern ${text} before promisify()`,
          {
            start: argument.start!,
            end: argument.end!,
            kindArg: target.kind === "undici" ? "undici" : undefined,
          },
        );
        return;
      }
    }

    const calleeText = shortText(source, callee);
    const wrapCall = `wrap ${calleeText}(...) with govern()`;
    if (key !== undefined) {
      const object = (callee as { object: Expression }).object;
      const owner = resolver.expr(object, scope);
      if (owner !== null) {
        switch (owner.t) {
          case "module":
            if (!functionsOf(owner.kind).has(key)) break;
            if (owner.kind === "undici") {
              // The SDK governs undici by function: wrap the function, with its kind.
              addSite(scope, node, "undici", calleeText, owner.governed, wrapCall, {
                start: callee.start!,
                end: callee.end!,
                kindArg: "undici",
              });
            } else {
              addSite(scope, node, owner.kind, calleeText, owner.governed, wrapCall, {
                start: object.start!,
                end: object.end!,
              });
            }
            return;
          case "global":
            if (key !== "fetch") break;
            addSite(scope, node, "fetch", calleeText, false, wrapCall, { start: callee.start!, end: callee.end! });
            return;
          case "axios":
            if (!AXIOS_METHODS.has(key)) break;
            addSite(scope, node, "axios", calleeText, owner.governed, wrapCall, {
              start: object.start!,
              end: object.end!,
            });
            return;
          case "axiosInstance":
            if (!AXIOS_METHODS.has(key)) break;
            addSite(
              scope,
              node,
              "axios",
              calleeText,
              owner.governed,
              `${calleeText}(...) is governed where its instance is created`,
            );
            return;
          case "sqlInstance":
            if (!SQL_METHODS.has(key)) break;
            addSite(scope, node, "sql", calleeText, owner.governed, wrapCall, {
              start: object.start!,
              end: object.end!,
            });
            return;
          default:
            break;
        }
      }
    }

    const value = resolver.expr(callee, scope);
    if (value === null) return;
    switch (value.t) {
      case "fn":
        addSite(scope, node, value.kind, calleeText, value.governed, wrapCall, {
          start: callee.start!,
          end: callee.end!,
          kindArg: value.kind === "undici" ? "undici" : value.foreign ? value.kind : undefined,
        });
        return;
      case "axios":
        addSite(scope, node, "axios", calleeText, value.governed, wrapCall, { start: callee.start!, end: callee.end! });
        return;
      case "axiosInstance":
        addSite(
          scope,
          node,
          "axios",
          calleeText,
          value.governed,
          `${calleeText}(...) is governed where its instance is created`,
        );
        return;
      case "promisified":
        addSite(
          scope,
          node,
          value.kind,
          calleeText,
          value.governed,
          `${calleeText}(...) is governed where it is promisified`,
        );
        return;
      default:
        return;
    }
  };

  const visitor: Visitor = { CallExpression: visitCall, OptionalCallExpression: visitCall };
  const finish = (): PrimitiveAnalysis => {
    for (const binding of namedHandlers) {
      const node = binding.path.node;
      if (node.type === "FunctionDeclaration") scopeRanges.push([node.start!, node.end!]);
      else if (node.type === "VariableDeclarator" && isFunctionNode(node.init))
        scopeRanges.push([node.init!.start!, node.init!.end!]);
    }
    for (const site of sites) {
      site.inScope = scopeRanges.some(([start, end]) => site.offset > start && site.offset < end);
    }
    sites.sort((a, b) => a.offset - b.offset);
    // `axios.create().get(u)` and `promisify(exec)(cmd)`: the call on the instance starts where its
    // creation does. One site per position, so site ids stay unique: keep the creation.
    const wrapAt = new Set(sites.filter((site) => site.wrap !== undefined).map((site) => site.offset));
    const unique = sites.filter((site) => site.wrap !== undefined || !wrapAt.has(site.offset));
    return { sites: unique, governName, quote: quoteOf(ast, source) };
  };
  return { visitor, finish };
}

/**
 * Every side-effecting primitive call site in one file (see the module comment for what counts), in
 * source order. Files that cannot hold a site are rejected by text without parsing. Pure and fast:
 * at most one parse and one traversal.
 *
 * Positions are 1-based lines and 1-based columns (UTF-16 code units) of the call's start.
 * Throws a PARSE_ERROR {@link GovernorInitError} when the file does not parse.
 */
export function findPrimitiveSites(source: string, path: string): PrimitiveSite[] {
  if (!mightHoldPrimitiveSite(source)) return [];
  const analysis = analyzePrimitives(parseSource(source, path), source, path);
  return analysis.sites.map(({ kind, callee, line, column, wrapped, inScope }) => ({
    kind,
    callee,
    line,
    column,
    wrapped,
    inScope,
  }));
}
