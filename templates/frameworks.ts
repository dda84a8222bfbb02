/**
 * The frameworks and patterns governor-init knows, as data. The codemods' detection, the CLI and wizard
 * menus, the MCP server's tool schemas and completions, and the docs' frontmatter all read this table;
 * the codemods' tool-site finder reads each row's tool shapes (`js`, see `tool-shapes.ts`).
 *
 * To teach the codemods a framework: add its row (id, name, packages, shapes), fixture pairs under
 * `codemods/intent-scopes/__testfixtures__/`, and a recipe in `docs-corpus/recipes/` (the docs tests
 * check every id has one).
 *
 * Anything exported here is public API of the toolkit's data layer.
 */
import type { JsToolShape } from "./tool-shapes.js";

export type * from "./tool-shapes.js";

/** One framework or integration pattern. */
export interface FrameworkInfo {
  /** Stable id used in flags, MCP arguments and docs frontmatter. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** npm packages whose presence in a package.json means the framework is used. Empty for patterns. */
  readonly packages: readonly string[];
  /** Whether the codemods can detect and rewrite it (false: documented recipe only). */
  readonly codemod: boolean;
  /** How its tools are registered in JavaScript/TypeScript, for the tool-site finder. */
  readonly js?: readonly JsToolShape[];
}

const OPENAI_AGENTS_MODULES = [
  "@openai/agents",
  "@openai/agents/realtime",
  "@openai/agents-realtime",
  "@openai/agents-core",
];
const LANGCHAIN_TOOLS_MODULES = ["@langchain/core/tools", "langchain/tools"];
const MCP_SERVER_MODULES = ["@modelcontextprotocol/sdk/server/mcp.js", "@modelcontextprotocol/sdk/server/mcp"];
const MCP_TYPES_MODULES = ["@modelcontextprotocol/sdk/types.js", "@modelcontextprotocol/sdk/types"];

/** Every framework and pattern, in menu order. */
export const FRAMEWORKS = [
  {
    id: "openai-agents",
    name: "OpenAI Agents SDK",
    packages: ["@openai/agents", "@openai/agents-realtime", "@openai/agents-core"],
    codemod: true,
    js: [
      {
        shape: "definition-call",
        callee: { modules: OPENAI_AGENTS_MODULES, names: ["tool"] },
        name: ["name"],
        schema: ["parameters"],
        handler: "execute",
        pattern: "{callee}({ execute })",
      },
    ],
  },
  {
    id: "vercel-ai",
    name: "Vercel AI SDK",
    packages: ["ai"],
    codemod: true,
    js: [
      {
        shape: "definition-call",
        callee: { modules: ["ai"], names: ["tool", "dynamicTool"] },
        name: [],
        schema: ["inputSchema", "parameters"],
        handler: "execute",
        needsHandler: true,
        pattern: "{callee}({ execute })",
      },
      {
        shape: "tool-map-call",
        callee: { modules: ["ai"], names: ["streamText", "generateText"] },
        property: "tools",
        schema: ["inputSchema", "parameters"],
        handler: "execute",
        pattern: "{callee}({ tools: { name: { execute } } })",
      },
    ],
  },
  {
    id: "langchain",
    name: "LangChain.js",
    packages: ["langchain", "@langchain/core"],
    codemod: true,
    js: [
      {
        shape: "handler-then-config",
        callee: { modules: LANGCHAIN_TOOLS_MODULES, names: ["tool"] },
        name: ["name"],
        schema: ["schema"],
        pattern: "tool(fn, { name })",
      },
      {
        shape: "definition-call",
        construct: true,
        callee: { modules: LANGCHAIN_TOOLS_MODULES, names: ["DynamicStructuredTool", "DynamicTool"] },
        name: ["name"],
        schema: ["schema"],
        handler: "func",
        pattern: "new {callee}({ func })",
      },
      {
        shape: "tool-class",
        superclass: { modules: LANGCHAIN_TOOLS_MODULES, names: ["StructuredTool", "Tool"] },
        fields: { name: "name", description: "description", schema: "schema" },
        method: "_call",
        pattern: "class extends StructuredTool { _call }",
      },
    ],
  },
  { id: "langgraph", name: "LangGraph.js", packages: ["@langchain/langgraph"], codemod: true },
  {
    id: "mastra",
    name: "Mastra",
    packages: ["@mastra/core"],
    codemod: true,
    js: [
      {
        shape: "definition-call",
        callee: { modules: ["@mastra/core/tools", "@mastra/core"], names: ["createTool"] },
        name: ["id"],
        schema: ["inputSchema"],
        handler: "execute",
        pattern: "{callee}({ execute })",
      },
    ],
  },
  {
    id: "mcp",
    name: "MCP TypeScript SDK (servers)",
    packages: ["@modelcontextprotocol/sdk"],
    codemod: true,
    js: [
      {
        shape: "server-method",
        server: { modules: MCP_SERVER_MODULES, names: ["McpServer"] },
        methods: {
          tool: { layout: "positional" },
          registerTool: { layout: "config", description: ["description", "title"], schema: "inputSchema" },
        },
        pattern: "server.{method}(…)",
      },
      {
        shape: "request-dispatch",
        method: "setRequestHandler",
        request: { modules: MCP_TYPES_MODULES, names: ["CallToolRequestSchema"] },
        pattern: "setRequestHandler(CallToolRequestSchema)",
      },
    ],
  },
  {
    id: "llamaindex",
    name: "LlamaIndex.TS",
    packages: ["llamaindex", "@llamaindex/core", "@llamaindex/workflow"],
    codemod: true,
    js: [
      {
        shape: "definition-call",
        callee: { modules: ["llamaindex", "@llamaindex/core/tools"], names: ["tool", "FunctionTool.from"] },
        name: ["name"],
        schema: ["parameters"],
        handler: "execute",
        pattern: "{callee}({ execute })",
      },
      {
        shape: "handler-then-config",
        callee: { modules: ["llamaindex", "@llamaindex/core/tools"], names: ["tool", "FunctionTool.from"] },
        name: ["name"],
        schema: ["parameters"],
        pattern: "{callee}(fn, { name })",
      },
    ],
  },
  { id: "express", name: "Express", packages: ["express"], codemod: true },
  { id: "fastify", name: "Fastify", packages: ["fastify"], codemod: true },
  { id: "hono", name: "Hono", packages: ["hono"], codemod: true },
  { id: "nextjs", name: "Next.js", packages: ["next"], codemod: true },
  {
    id: "plain",
    name: "Plain agent loop / function-map dispatcher",
    packages: [],
    codemod: true,
    js: [{ shape: "plain-tool", handlers: ["handler", "execute", "run"], pattern: "{ name, parameters, {handler} }" }],
  },
  { id: "serverless", name: "Serverless handlers", packages: [], codemod: true },
  { id: "queue-worker", name: "Queue workers", packages: ["bullmq", "bull", "bee-queue"], codemod: true },
  { id: "n8n", name: "n8n workflows", packages: [], codemod: false },
  { id: "python", name: "Python services (FastAPI, requests)", packages: [], codemod: false },
] as const satisfies readonly FrameworkInfo[];

/** A framework id from {@link FRAMEWORKS}. */
export type FrameworkId = (typeof FRAMEWORKS)[number]["id"];

/** All framework ids, for schemas (`z.enum(FRAMEWORK_IDS)`) and completions. */
export const FRAMEWORK_IDS = FRAMEWORKS.map((f) => f.id) as [FrameworkId, ...FrameworkId[]];

/** Looks a framework up by id. */
export function frameworkById(id: string): FrameworkInfo | undefined {
  return FRAMEWORKS.find((f) => f.id === id);
}

/** A tool shape with the framework it belongs to. */
export interface JsToolRow {
  readonly framework: FrameworkId;
  readonly shape: JsToolShape;
}

/** Every framework's JavaScript/TypeScript tool shapes, in table order (the order the matcher tries them). */
export const JS_TOOL_ROWS: readonly JsToolRow[] = (FRAMEWORKS as readonly FrameworkInfo[]).flatMap((f) =>
  (f.js ?? []).map((shape) => ({ framework: f.id as FrameworkId, shape })),
);
