/**
 * The shapes of the docs corpus: parsed documents and sections, the serialized index that the build
 * writes to `dist/docs-index.json`, and what the engine returns.
 *
 * Anything exported here is public API of the docs engine.
 */

/** Which part of the corpus a document belongs to. */
export type DocKind = "guide" | "recipe" | "api";

/** A fenced code block, never split across sections. */
export interface CodeBlock {
  /** The fence's language (`ts`, `json`, `bash`…), empty when none. */
  lang: string;
  /** The file name from `title="…"` in the fence info, when given. */
  file?: string;
  /** True when the fence info says `fragment`: the block is not a complete module and is not type-checked. */
  fragment: boolean;
  /** The rest of the fence info, verbatim. */
  meta: string;
  code: string;
  /** 1-based line of the fence in its Markdown file (for test failure messages). */
  line: number;
}

/** One section of a document: a heading and everything up to the next heading of any level. */
export interface DocSection {
  /** Position in {@link DocsIndex.sections}; the search index refers to sections by it. */
  id: number;
  slug: string;
  /** `governor://docs/<slug>#<anchor>`, or `governor://docs/<slug>` for the text before the first heading. */
  uri: string;
  /** GitHub-style anchor of the section's heading; empty for the introduction. */
  anchor: string;
  /** Headings from the document's top level down to this section's own (the document title is not included). */
  headingPath: string[];
  /** Heading depth (2–6), 1 for the introduction. */
  depth: number;
  /** The section's Markdown, heading and fences included, exactly as written. */
  markdown: string;
  /** The section's Markdown without the heading line and without code fences. */
  prose: string;
  /** Plain text of the prose, for indexing. */
  plainText: string;
  code: CodeBlock[];
  /** Identifiers named in code and inline code (`governTool`, `GOVERNOR_FAIL_MODE`, `--policy`), lower-cased. */
  identifiers: string[];
}

/** Frontmatter every document carries. */
export interface DocFrontmatter {
  title: string;
  description: string;
  /** Framework ids from `templates/frameworks.ts`; empty for documents that apply to every framework. */
  frameworks: string[];
  /** Mode ids from `templates/modes.ts`. */
  modes: string[];
  /** The SDK versions the document is written for, as a semver range. */
  sdk: string;
  keywords: string[];
}

/** One document of the corpus. */
export interface DocRecord extends DocFrontmatter {
  slug: string;
  /** `governor://docs/<slug>`. */
  uri: string;
  kind: DocKind;
  /** Path relative to `docs-corpus/`. */
  path: string;
  /** The whole Markdown body (frontmatter removed). */
  markdown: string;
  /** Ids of the document's sections, in order. */
  sectionIds: number[];
}

/** What `build-index` writes to `dist/docs-index.json` and the engine loads. */
export interface DocsIndex {
  /** Bumped when the shape changes, so a stale index is refused rather than misread. */
  formatVersion: number;
  docs: DocRecord[];
  sections: DocSection[];
  /** The MiniSearch index over sections, serialized with `toJSON()`. */
  miniSearch: unknown;
  /** The MiniSearch index over whole documents, serialized with `toJSON()`. */
  docMiniSearch: unknown;
  /** Every word of the corpus (lower-cased, as written), for typo correction. */
  vocabulary: string[];
  /** Every normalized term the section index holds, with the number of sections holding it. */
  terms: Array<[string, number]>;
}

/** Current {@link DocsIndex.formatVersion}. */
export const DOCS_INDEX_FORMAT_VERSION = 4;

/** Options of `search`. */
export interface SearchOptions {
  /** Most results to return. Default 5. */
  limit?: number;
  /** Token budget (≈ characters / 4) for the results' text, filled with whole sections in rank order. */
  maxTokens?: number;
  /** A framework id: results come from that framework's recipes and from general documents only. */
  framework?: string;
}

/** One ranked section. */
export interface SearchResult {
  /** The document's title. */
  title: string;
  uri: string;
  /** Relevance, higher is better; comparable only within one result list. */
  score: number;
  /** The section's Markdown, whole. */
  text: string;
  headingPath: string[];
}

/** A document or a single section, as `getDoc` returns it. */
export interface DocContent {
  uri: string;
  title: string;
  description: string;
  frameworks: string[];
  modes: string[];
  /** The whole document, or the section when the uri names one. */
  markdown: string;
  /** Set when the uri names a section. */
  headingPath?: string[];
}

/** A document's entry in `listDocs`. */
export interface DocSummary {
  uri: string;
  slug: string;
  kind: DocKind;
  title: string;
  description: string;
  frameworks: string[];
  modes: string[];
}

/** One code block of a recipe step. */
export interface RecipeCode {
  lang: string;
  /** The file the code belongs in, relative to the project root. */
  file?: string;
  code: string;
}

/** One numbered step of a recipe. */
export interface RecipeStep {
  /** The step's heading without its number. */
  title: string;
  /** The step's prose, as Markdown without code fences. */
  text: string;
  code: RecipeCode[];
}

/** A recipe as structured steps, as `getRecipe` returns it. */
export interface Recipe {
  framework: string;
  mode: string;
  title: string;
  uri: string;
  steps: RecipeStep[];
}
