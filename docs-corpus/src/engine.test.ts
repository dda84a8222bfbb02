import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GovernorInitError } from "../../core/errors.js";
import { FRAMEWORK_IDS } from "../../templates/frameworks.js";
import { MODE_IDS } from "../../templates/modes.js";
import { buildIndex, writeIndex } from "./build-index.js";
import { createDocsEngine, estimateTokens } from "./engine.js";
import { loadIndex } from "./index.js";

const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const index = buildIndex(corpusDir);
const engine = createDocsEngine(index);

function caught(fn: () => unknown): GovernorInitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GovernorInitError) return error;
    throw error;
  }
  throw new Error("expected a GovernorInitError");
}

describe("the corpus", () => {
  it("gives every hand-written document complete frontmatter with known ids", () => {
    for (const doc of index.docs.filter((d) => d.kind !== "api")) {
      expect(doc.title, doc.path).not.toBe("");
      expect(doc.description.length, doc.path).toBeGreaterThan(30);
      expect(doc.keywords.length, doc.path).toBeGreaterThan(0);
      expect(doc.sdk, doc.path).toMatch(/^[<>=^~]*\d+\.\d+\.\d+/);
      for (const id of doc.frameworks) expect(FRAMEWORK_IDS as readonly string[], doc.path).toContain(id);
      for (const id of doc.modes) expect(MODE_IDS as readonly string[], doc.path).toContain(id);
    }
  });

  it("has a recipe for every framework and pattern", () => {
    const covered = new Set(index.docs.filter((d) => d.kind === "recipe").flatMap((d) => d.frameworks));
    expect([...FRAMEWORK_IDS].filter((id) => !covered.has(id))).toEqual([]);
  });

  it("numbers each recipe's steps 1..n and names the file of every code block that is not a shell command", () => {
    for (const doc of index.docs.filter((d) => d.kind === "recipe")) {
      const steps = doc.sectionIds
        .map((id) => index.sections[id]!)
        .filter((s) => s.headingPath[0] === "Steps" && s.depth === 3);
      expect(steps.length, doc.path).toBeGreaterThanOrEqual(3);
      steps.forEach((step, i) => expect(step.headingPath[1], doc.path).toMatch(new RegExp(`^${i + 1}\\. \\S`)));
      for (const block of steps.flatMap((s) => s.code)) {
        if (["bash", "sh", "shell", "text"].includes(block.lang)) continue;
        expect(block.file, `${doc.path}:${block.line}`).toBeTruthy();
      }
    }
  });

  it("never splits a code fence across sections", () => {
    for (const section of index.sections) {
      const fences = section.markdown.split("\n").filter((line) => /^\s*(```|~~~)/.test(line));
      expect(fences.length % 2, section.uri).toBe(0);
      expect(section.code.length * 2, section.uri).toBe(fences.length);
    }
  });

  it("links only to documents and sections that exist", () => {
    for (const doc of index.docs) {
      for (const match of doc.markdown.matchAll(/governor:\/\/docs\/[a-z0-9-]+(?:#[a-z0-9_-]+)?/g)) {
        expect(() => engine.getDoc(match[0]), `${doc.path} → ${match[0]}`).not.toThrow();
      }
    }
  });
});

describe("search", () => {
  it("returns whole sections, ranked, with uri, title and heading path", () => {
    const results = engine.search("set the actor in express middleware");
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    expect(results[0]!.uri).toBe("governor://docs/express#3-set-the-actor-in-middleware");
    expect(results[0]!.title).toBe("Express");
    expect(results[0]!.headingPath).toEqual(["Steps", "3. Set the actor in middleware"]);
    const section = index.sections.find((s) => s.uri === results[0]!.uri)!;
    expect(results[0]!.text).toBe(section.markdown);
    const scores = results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("packs results into maxTokens by whole sections", () => {
    const unlimited = engine.search("governTool tool handler", { limit: 10 });
    const budget = estimateTokens(unlimited[0]!.text) + 150;
    const packed = engine.search("governTool tool handler", { limit: 10, maxTokens: budget });
    expect(packed.length).toBeGreaterThan(0);
    expect(packed.reduce((sum, r) => sum + estimateTokens(r.text), 0)).toBeLessThanOrEqual(budget);
    expect(packed[0]!.uri).toBe(unlimited[0]!.uri);
    for (const result of packed)
      expect(index.sections.some((s) => s.uri === result.uri && s.markdown === result.text)).toBe(true);
  });

  it("honours limit", () => {
    expect(engine.search("mock", { limit: 2 })).toHaveLength(2);
  });

  it("keeps a framework's recipes and the general guides under framework", () => {
    const results = engine.search("wrap the tool handler", { framework: "langchain", limit: 20 });
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      const slug = result.uri.slice("governor://docs/".length).split("#")[0]!;
      const doc = index.docs.find((d) => d.slug === slug)!;
      expect(doc.frameworks.length === 0 || doc.frameworks.includes("langchain"), result.uri).toBe(true);
    }
    expect(results[0]!.uri.startsWith("governor://docs/langchain")).toBe(true);
  });

  it("refuses an unknown framework, listing the valid ids", () => {
    const error = caught(() => engine.search("tools", { framework: "django" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.suggestion).toContain("openai-agents");
  });

  it("forgives typos", () => {
    expect(engine.search("langchian dynamicstructuredtol")[0]!.uri).toMatch(/^governor:\/\/docs\/langchain/);
    expect(engine.search("configuraton refrence")[0]!.uri).toMatch(/^governor:\/\/docs\/configuration/);
  });

  it("finds sections by an identifier written as code", () => {
    expect(engine.search("GOVERNOR_EXEMPT")[0]!.uri).toBe("governor://docs/configuration#governor_exempt");
    expect(engine.search("CallToolRequestSchema")[0]!.uri).toBe(
      "governor://docs/mcp#5-scope-a-low-level-calltoolrequestschema-handler",
    );
  });

  it("returns nothing for a query of stop words only", () => {
    expect(engine.search("how do I")).toEqual([]);
  });
});

describe("getDoc and listDocs", () => {
  it("returns a whole document or one section", () => {
    const doc = engine.getDoc("governor://docs/configuration");
    expect(doc.title).toBe("Configuration reference");
    expect(doc.markdown).toContain("GOVERNOR_ENFORCE_URL");
    const section = engine.getDoc("governor://docs/configuration#governor_exempt");
    expect(section.headingPath).toEqual(["GOVERNOR_EXEMPT"]);
    expect(section.markdown.startsWith("## GOVERNOR_EXEMPT")).toBe(true);
  });

  it("refuses unknown documents and sections with the valid uris", () => {
    const doc = caught(() => engine.getDoc("governor://docs/nope"));
    expect(doc.code).toBe("NOT_FOUND");
    expect(doc.suggestion).toContain("governor://docs/quick-start");
    const section = caught(() => engine.getDoc("governor://docs/express#nope"));
    expect(section.code).toBe("NOT_FOUND");
    expect(section.suggestion).toContain("governor://docs/express#3-set-the-actor-in-middleware");
    expect(caught(() => engine.getDoc("https://example.com/")).code).toBe("NOT_FOUND");
  });

  it("lists every document", () => {
    const list = engine.listDocs();
    expect(list.map((d) => d.slug)).toEqual(
      expect.arrayContaining(["quick-start", "configuration", "openai-agents", "n8n"]),
    );
    expect(list.every((d) => d.uri === `governor://docs/${d.slug}`)).toBe(true);
  });
});

describe("getRecipe", () => {
  it("returns numbered steps with code and file names", () => {
    const recipe = engine.getRecipe("openai-agents");
    expect(recipe).toMatchObject({
      framework: "openai-agents",
      mode: "hybrid",
      title: "OpenAI Agents SDK",
      uri: "governor://docs/openai-agents",
    });
    expect(recipe.steps[0]!.title).toBe("Install the SDK");
    const wrap = recipe.steps.find((s) => s.title.startsWith("Wrap each tool"))!;
    expect(wrap.code[0]).toMatchObject({ lang: "ts", file: "src/agent.ts" });
    expect(wrap.code[0]!.code).toContain("governTool(");
    expect(wrap.text).not.toContain("```");
  });

  it("serves every framework id, and a mode the recipe covers", () => {
    for (const id of FRAMEWORK_IDS) expect(engine.getRecipe(id).steps.length, id).toBeGreaterThan(0);
    expect(engine.getRecipe("express", "preload").mode).toBe("preload");
  });

  it("refuses unknown frameworks, unknown modes and modes a recipe does not cover", () => {
    const framework = caught(() => engine.getRecipe("django"));
    expect(framework.code).toBe("NOT_FOUND");
    expect(framework.suggestion).toContain("vercel-ai");
    expect(caught(() => engine.getRecipe("express", "turbo")).suggestion).toContain("hybrid");
    const uncovered = caught(() => engine.getRecipe("n8n", "preload"));
    expect(uncovered.code).toBe("NOT_FOUND");
    expect(uncovered.suggestion).toContain("scopes");
  });
});

describe("the serialized index", () => {
  it("round-trips through the file build-index writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-index-"));
    try {
      const file = join(dir, "docs-index.json");
      writeIndex(corpusDir, file);
      const loaded = createDocsEngine(loadIndex(file));
      expect(loaded.search("fail closed").map((r) => r.uri)).toEqual(engine.search("fail closed").map((r) => r.uri));
      expect(loaded.getRecipe("mcp")).toEqual(engine.getRecipe("mcp"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an index of another format", () => {
    expect(caught(() => createDocsEngine({ ...index, formatVersion: 0 })).code).toBe("PARSE_ERROR");
  });
});
