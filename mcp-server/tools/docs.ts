/**
 * Docs tools: search, read, list, and structured recipes. Resources are mirrored here because some
 * clients never read resources.
 */
import { z } from "zod";
import { FRAMEWORK_IDS } from "../../templates/frameworks.js";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { loadDocsEngine } from "../engines.js";
import { listServedDocs, readServedDoc } from "../docs-access.js";
import { guarded, toolResult, truncate } from "../results.js";
import type { ToolContext } from "../tool-context.js";

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Longest document text returned in one call; the rest is cut with a note (agents' context is finite). */
const MAX_DOC_CHARS = 60_000;

const frameworkSchema = z.enum(FRAMEWORK_IDS, {
  error: () => `framework must be one of: ${FRAMEWORK_IDS.join(", ")}`,
});
const modeSchema = z.enum(MODE_IDS, { error: () => `mode must be one of: ${MODE_IDS.join(", ")}` });

const searchInput = z.object({
  query: z
    .string()
    .trim()
    .min(1, "query is empty: ask a question or name an API")
    .max(500, "query is over 500 characters: shorten it"),
  limit: z.number().int().min(1).max(20).optional().describe("Max results (default 5)."),
  maxTokens: z.number().int().min(100).max(20_000).optional().describe("Token budget; whole sections only."),
  framework: frameworkSchema.optional().describe("Prefer this framework's docs."),
});

const searchOutput = z.object({
  results: z.array(
    z.object({
      title: z.string(),
      uri: z.string(),
      score: z.number(),
      text: z.string(),
      headingPath: z.array(z.string()),
    }),
  ),
});

const docOutput = z.object({ uri: z.string(), title: z.string(), mimeType: z.string(), text: z.string() });

const recipeOutput = z.object({
  framework: z.string(),
  mode: z.string(),
  title: z.string(),
  uri: z.string(),
  steps: z.array(
    z.object({
      title: z.string(),
      text: z.string(),
      code: z.array(z.object({ lang: z.string(), file: z.string().optional(), code: z.string() })),
    }),
  ),
});

type Recipe = z.infer<typeof recipeOutput>;

function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Copies only the schema's fields, so the client's strict JSON-Schema check passes whatever else the engine adds. */
function toRecipe(raw: unknown, framework: string, mode: string): Recipe {
  if (typeof raw !== "object" || raw === null) {
    throw new GovernorInitError(ErrorCodes.NOT_FOUND, `No recipe for ${framework} in mode ${mode}.`, {
      suggestion: "Try mode hybrid, or search_docs for the framework's name.",
    });
  }
  const r = raw as Record<string, unknown>;
  return {
    framework: str(r.framework, framework),
    mode: str(r.mode, mode),
    title: str(r.title),
    uri: str(r.uri),
    steps: arr(r.steps).map((s) => {
      const step = (s ?? {}) as Record<string, unknown>;
      return {
        title: str(step.title),
        text: str(step.text),
        code: arr(step.code).map((c) => {
          const block = (c ?? {}) as Record<string, unknown>;
          const file = typeof block.file === "string" ? block.file : undefined;
          return { lang: str(block.lang), ...(file === undefined ? {} : { file }), code: str(block.code) };
        }),
      };
    }),
  };
}

function renderRecipe(recipe: Recipe): string {
  const out = [`# ${recipe.title} (${recipe.framework}, mode ${recipe.mode})`, recipe.uri, ""];
  recipe.steps.forEach((step, i) => {
    out.push(`## ${i + 1}. ${step.title}`, step.text);
    for (const block of step.code) {
      out.push(`${block.file ? `File: ${block.file}\n` : ""}\`\`\`${block.lang}\n${block.code}\n\`\`\``);
    }
    out.push("");
  });
  return out.join("\n");
}

/** Registers `search_docs`, `get_doc`, `list_docs` and `get_recipe`. */
export function registerDocsTools({ server }: ToolContext): void {
  server.registerTool(
    "search_docs",
    {
      title: "Search Governor docs",
      description:
        "Search the Governor SDK docs and recipes. Returns ranked sections (whole sections, within maxTokens).",
      inputSchema: searchInput,
      outputSchema: searchOutput,
      annotations: READ_ONLY,
    },
    ({ query, limit, maxTokens, framework }) =>
      guarded(async () => {
        const hits = await (await loadDocsEngine()).search(query, { limit: limit ?? 5, maxTokens, framework });
        const results = hits.map((h) => ({
          title: h.title,
          uri: h.uri,
          score: h.score,
          text: h.text,
          headingPath: Array.isArray(h.headingPath) ? h.headingPath.map(String) : [],
        }));
        const text = results.length
          ? results.map((r) => `## ${r.title}\n${r.uri} (score ${r.score.toFixed(3)})\n\n${r.text}`).join("\n\n---\n\n")
          : `No docs match ${JSON.stringify(query)}. Try other words, or list_docs.`;
        return toolResult({ results }, text);
      }),
  );

  server.registerTool(
    "get_doc",
    {
      title: "Read a Governor doc",
      description: "Read a document by URI (governor://docs/<slug>, governor://schema/intent-event) or slug.",
      inputSchema: z.object({ uri: z.string().trim().min(1).max(300, "uri is over 300 characters") }),
      outputSchema: docOutput,
      annotations: READ_ONLY,
    },
    ({ uri }) =>
      guarded(async () => {
        const doc = await readServedDoc(uri);
        const text = truncate(doc.text, MAX_DOC_CHARS);
        return toolResult({ ...doc, text }, text);
      }),
  );

  server.registerTool(
    "list_docs",
    {
      title: "List Governor docs",
      description: "List every doc's URI and title.",
      inputSchema: z.object({}),
      outputSchema: z.object({
        docs: z.array(z.object({ uri: z.string(), title: z.string(), description: z.string().optional() })),
      }),
      annotations: READ_ONLY,
    },
    () =>
      guarded(async () => {
        const docs = await listServedDocs();
        return toolResult({ docs }, docs.map((d) => `${d.uri}  ${d.title}`).join("\n"));
      }),
  );

  server.registerTool(
    "get_recipe",
    {
      title: "Get an integration recipe",
      description: "Step-by-step integration recipe with code (file names included) for a framework and mode.",
      inputSchema: z.object({
        framework: frameworkSchema,
        mode: modeSchema.optional().describe(`Default ${DEFAULT_MODE}.`),
      }),
      outputSchema: recipeOutput,
      annotations: READ_ONLY,
    },
    ({ framework, mode }) =>
      guarded(async () => {
        const chosen = mode ?? DEFAULT_MODE;
        const recipe = toRecipe(await (await loadDocsEngine()).getRecipe(framework, chosen), framework, chosen);
        return toolResult(recipe, renderRecipe(recipe));
      }),
  );
}
