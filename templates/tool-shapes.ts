/**
 * The shapes in which a JavaScript/TypeScript framework registers an agent tool, as data: each framework
 * row in `frameworks.ts` lists its shapes, and one generic matcher
 * (`codemods/intent-scopes/match-frameworks.ts`) reads them. A new framework whose tools take one of
 * these shapes is a new row and its fixtures, with no code change.
 *
 * Anything exported here is public API of the toolkit's data layer.
 */

/**
 * A name the framework exports, as the file must import it: `names` are export names (`tool`), or an
 * export's static member (`FunctionTool.from`); `modules` are the module specifiers that export it.
 * A call only counts when the callee's binding really comes from one of the modules (an import, a
 * `require`, a namespace or an alias), so a local `tool()` is left alone.
 */
export interface JsImport {
  readonly modules: readonly string[];
  readonly names: readonly string[];
}

/**
 * How a tool's definition object names its parts: the keys holding its name (the first present wins;
 * none: the variable or property the tool is assigned to), its parameter schema, and its handler.
 * The description is always the `description` key.
 */
export interface JsDefinitionKeys {
  readonly name: readonly string[];
  readonly schema: readonly string[];
  readonly handler: string;
}

/**
 * `tool({ name, parameters, execute })`, `new DynamicStructuredTool({ name, schema, func })`: a call (or
 * `new`) whose first argument is the definition object. `pattern` is how plans and `check` report the
 * site; `{callee}` stands for the imported name. `needsHandler`: an object without the handler key
 * is not a server-side tool (the Vercel AI SDK's client-side tools) and is left alone.
 */
export interface JsDefinitionCall extends JsDefinitionKeys {
  readonly shape: "definition-call";
  readonly callee: JsImport;
  readonly construct?: boolean;
  readonly needsHandler?: boolean;
  readonly pattern: string;
}

/** `tool(fn, { name, description, schema })`: the handler first, the definition (without a handler) second. */
export interface JsHandlerThenConfigCall {
  readonly shape: "handler-then-config";
  readonly callee: JsImport;
  readonly name: readonly string[];
  readonly schema: readonly string[];
  readonly pattern: string;
}

/** `streamText({ tools: { name: { execute } } })`: tools defined inline in a map property of the call's options. */
export interface JsToolMapCall extends Omit<JsDefinitionKeys, "name"> {
  readonly shape: "tool-map-call";
  readonly callee: JsImport;
  /** The options property holding the map (`tools`); each key is a tool's name. */
  readonly property: string;
  readonly pattern: string;
}

/** `class X extends StructuredTool { name = …; description = …; schema = …; async _call() {} }`. */
export interface JsToolClass {
  readonly shape: "tool-class";
  readonly superclass: JsImport;
  /** Class fields holding the name, description and schema. */
  readonly fields: { readonly name: string; readonly description: string; readonly schema: string };
  /** The method that runs the tool. */
  readonly method: string;
  readonly pattern: string;
}

/**
 * How a server method's arguments are laid out: `positional`, `(name, description?, schema?, handler)`;
 * `config`, `(name, { description | title, <schema>, … }, handler)`.
 */
export type JsServerMethodArgs =
  | { readonly layout: "positional" }
  | { readonly layout: "config"; readonly description: readonly string[]; readonly schema: string };

/**
 * `server.tool("name", …, handler)`: a method of an instance of the framework's class. The receiver
 * counts when it is constructed from the class or typed as it. `{method}` in the pattern stands for
 * the method's name.
 */
export interface JsServerMethod {
  readonly shape: "server-method";
  readonly server: JsImport;
  readonly methods: Readonly<Record<string, JsServerMethodArgs>>;
  readonly pattern: string;
}

/**
 * `server.setRequestHandler(CallToolRequestSchema, async (request) => { switch (request.params.name) { … } })`:
 * one handler dispatching every tool by name. Each `case "name":` that ends in `return`/`throw` is a
 * site; without such a switch the whole handler is one scope named by the request's tool name.
 */
export interface JsRequestDispatch {
  readonly shape: "request-dispatch";
  readonly method: string;
  readonly request: JsImport;
  readonly pattern: string;
}

/**
 * `{ name, parameters: { type: "object", properties }, handler }` (or the OpenAI chat format with a
 * nested `function`): a plain function-schema object no framework vouches for. The handler must visibly
 * be a function, and is left alone when synchronous (the project's own loop may use its result as is).
 * `{handler}` in the pattern stands for the handler key found.
 */
export interface JsPlainTool {
  readonly shape: "plain-tool";
  readonly handlers: readonly string[];
  readonly pattern: string;
}

/** One way a JavaScript/TypeScript framework registers tools. */
export type JsToolShape =
  | JsDefinitionCall
  | JsHandlerThenConfigCall
  | JsToolMapCall
  | JsToolClass
  | JsServerMethod
  | JsRequestDispatch
  | JsPlainTool;
