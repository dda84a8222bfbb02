/**
 * The frameworks and patterns governor-init knows, as data. The codemods' detection, the CLI and wizard
 * menus, the MCP server's tool schemas and completions, and the docs' frontmatter all read this table.
 *
 * Anything exported here is public API of the toolkit's data layer.
 */

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
}

/** Every framework and pattern, in menu order. */
export const FRAMEWORKS = [
  {
    id: "openai-agents",
    name: "OpenAI Agents SDK",
    packages: ["@openai/agents", "@openai/agents-realtime", "@openai/agents-core"],
    codemod: true,
  },
  { id: "vercel-ai", name: "Vercel AI SDK", packages: ["ai"], codemod: true },
  { id: "langchain", name: "LangChain.js", packages: ["langchain", "@langchain/core"], codemod: true },
  { id: "langgraph", name: "LangGraph.js", packages: ["@langchain/langgraph"], codemod: true },
  { id: "mastra", name: "Mastra", packages: ["@mastra/core"], codemod: true },
  { id: "mcp", name: "MCP TypeScript SDK (servers)", packages: ["@modelcontextprotocol/sdk"], codemod: true },
  { id: "express", name: "Express", packages: ["express"], codemod: true },
  { id: "fastify", name: "Fastify", packages: ["fastify"], codemod: true },
  { id: "hono", name: "Hono", packages: ["hono"], codemod: true },
  { id: "nextjs", name: "Next.js", packages: ["next"], codemod: true },
  { id: "plain", name: "Plain agent loop / function-map dispatcher", packages: [], codemod: true },
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
