/**
 * The docs engine over a loaded index: ranked search packed to a token budget, documents, recipes.
 *
 * Ranking combines three signals, because no one of them reaches the quality bar alone
 * (see `bench/docs-search.ts`, which compares them):
 * - MiniSearch BM25 over title, headings, keywords, identifiers and body, with fuzzy and prefix
 *   matching for typos and a synonym table for the words developers use instead of the docs' words;
 * - fuse.js over the short fields (title, headings, identifiers), which forgives typos in the words
 *   that name a section;
 * - exact identifier hits: a query naming `withActor` or `GOVERNOR_FAIL_MODE` goes to the sections
 *   whose code or inline code names it.
 */
import MiniSearch from "minisearch";
import Fuse, { type FuseIndex } from "fuse.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { DEFAULT_MODE, MODE_IDS } from "../../templates/modes.js";
import { FRAMEWORK_IDS } from "../../templates/frameworks.js";
import {
  DOCS_INDEX_FORMAT_VERSION,
  type DocContent,
  type DocRecord,
  type DocsIndex,
  type DocSection,
  type DocSummary,
  type Recipe,
  type SearchOptions,
  type SearchResult,
} from "./model.js";
import { normalizeTerm, QUERY_SYNONYMS, terms, tokenize } from "./text.js";

/** The searchable view of a section, as both search libraries index it. */
export interface SearchDocument {
  id: number;
  title: string;
  headings: string;
  keywords: string;
  identifiers: string;
  body: string;
}

/** Builds the searchable view of every section. */
export function searchDocuments(docs: DocRecord[], sections: DocSection[]): SearchDocument[] {
  const bySlug = new Map(docs.map((doc) => [doc.slug, doc]));
  return sections.map((section) => {
    const doc = bySlug.get(section.slug)!;
    const isIntro = section.anchor === "";
    return {
      id: section.id,
      title: doc.title,
      headings: section.headingPath.join(" / "),
      keywords: isIntro ? `${doc.keywords.join(" ")} ${doc.description}` : doc.keywords.join(" "),
      identifiers: section.identifiers.join(" "),
      body: `${section.plainText}\n${section.code.map((block) => block.code).join("\n")}`,
    };
  });
}

/** MiniSearch's options; the build and the engine must use the same ones. */
export const MINISEARCH_OPTIONS = {
  fields: ["title", "headings", "keywords", "identifiers", "body"],
  idField: "id",
  tokenize: (text: string) => tokenize(text),
  processTerm: (term: string) => normalizeTerm(term) ?? null,
};

/** fuse.js keys and weights over the short fields. */
export const FUSE_KEYS = [
  { name: "headings", weight: 3 },
  { name: "title", weight: 2 },
  { name: "identifiers", weight: 2 },
];

const FUSE_OPTIONS = {
  keys: FUSE_KEYS,
  ignoreLocation: true,
  includeScore: true,
  threshold: 0.34,
  minMatchCharLength: 3,
  useExtendedSearch: true,
};

/** Serializes the search structures the engine needs, for `dist/docs-index.json`. */
export function buildSearchStructures(docs: DocRecord[], sections: DocSection[]): { miniSearch: unknown; fuse: unknown } {
  const documents = searchDocuments(docs, sections);
  const miniSearch = new MiniSearch<SearchDocument>(MINISEARCH_OPTIONS);
  miniSearch.addAll(documents);
  const fuseIndex = Fuse.createIndex(FUSE_KEYS, documents);
  return { miniSearch: miniSearch.toJSON(), fuse: fuseIndex.toJSON() };
}

/** The engine's operations, bound to one index. */
export interface DocsEngine {
  search(query: string, options?: SearchOptions): SearchResult[];
  getDoc(uri: string): DocContent;
  listDocs(): DocSummary[];
  getRecipe(framework: string, mode?: string): Recipe;
}

/** Which signals `search` combines; the benchmark switches them to compare. */
export interface RankingSignals {
  bm25: boolean;
  fuse: boolean;
  identifiers: boolean;
  synonyms: boolean;
}

const ALL_SIGNALS: RankingSignals = { bm25: true, fuse: true, identifiers: true, synonyms: true };

const DEFAULT_LIMIT = 5;
const CHARS_PER_TOKEN = 4;

/** Estimated tokens of a text (characters / 4, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function notFound(what: string, valid: string[]): GovernorInitError {
  return new GovernorInitError(ErrorCodes.NOT_FOUND, `${what} not found.`, {
    suggestion: `Use one of: ${valid.join(", ")}.`,
  });
}

/** Creates an engine over an index (the one `build-index` wrote, or one built in memory). */
export function createDocsEngine(index: DocsIndex, signals: RankingSignals = ALL_SIGNALS): DocsEngine {
  if (index.formatVersion !== DOCS_INDEX_FORMAT_VERSION) {
    throw new GovernorInitError(ErrorCodes.PARSE_ERROR, `The docs index has format ${index.formatVersion}, expected ${DOCS_INDEX_FORMAT_VERSION}.`, {
      suggestion: "Rebuild it with npm run build.",
    });
  }
  const { docs, sections } = index;
  const docBySlug = new Map(docs.map((doc) => [doc.slug, doc]));
  const sectionByUri = new Map(sections.map((section) => [section.uri, section]));
  const documents = searchDocuments(docs, sections);
  const miniSearch = MiniSearch.loadJS<SearchDocument>(
    index.miniSearch as Parameters<typeof MiniSearch.loadJS>[0],
    MINISEARCH_OPTIONS,
  );
  const fuse = new Fuse(documents, FUSE_OPTIONS, Fuse.parseIndex<SearchDocument>(index.fuse as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<SearchDocument>);

  // Identifier → sections naming it, for exact hits.
  const identifierSections = new Map<string, number[]>();
  for (const section of sections) {
    for (const id of section.identifiers) {
      const list = identifierSections.get(id) ?? [];
      list.push(section.id);
      identifierSections.set(id, list);
    }
  }

  function allowedByFramework(section: DocSection, framework: string | undefined): boolean {
    if (!framework) return true;
    const doc = docBySlug.get(section.slug)!;
    return doc.frameworks.length === 0 || doc.frameworks.includes(framework);
  }

  function rank(query: string, framework: string | undefined): Array<{ section: DocSection; score: number }> {
    const queryTerms = [...new Set(terms(query))];
    if (queryTerms.length === 0) return [];
    const scores = new Map<number, number>();
    const add = (id: number, value: number): void => {
      scores.set(id, (scores.get(id) ?? 0) + value);
    };

    if (signals.bm25) {
      const expansions = signals.synonyms
        ? queryTerms.flatMap((term) => QUERY_SYNONYMS[term] ?? []).filter((term) => !queryTerms.includes(term))
        : [];
      const all = [...queryTerms, ...new Set(expansions)];
      const hits = miniSearch.search(all.join(" "), {
        boost: { headings: 3, title: 2, identifiers: 2.5, keywords: 1.5, body: 1 },
        fuzzy: (term) => (term.length > 4 ? 0.2 : false),
        prefix: (term) => term.length > 3,
        weights: { fuzzy: 0.5, prefix: 0.4 },
        boostTerm: (_term, i) => (i < queryTerms.length ? 1 : 0.4),
      });
      const top = hits[0]?.score ?? 1;
      for (const hit of hits) add(hit.id as number, hit.score / top);
    }

    if (signals.fuse) {
      const fuseTerms = queryTerms.filter((term) => term.length >= 4);
      if (fuseTerms.length > 0) {
        const hits = fuse.search(fuseTerms.map((term) => `'${term}`).concat(fuseTerms).join(" | "), { limit: 40 });
        for (const hit of hits) add(hit.item.id, 0.35 * (1 - (hit.score ?? 1)));
      }
    }

    if (signals.identifiers) {
      const rawTokens = query
        .toLowerCase()
        .split(/[\s,;:!?()'"`]+/)
        .map((token) => token.replace(/^[^@\w-]+|[^\w]+$/g, ""))
        .filter((token) => token.length >= 4);
      for (const token of new Set(rawTokens)) {
        const ids = identifierSections.get(token);
        if (!ids) continue;
        // A rare identifier says more about a section than one every page names.
        const weight = 0.6 / Math.sqrt(ids.length);
        for (const id of ids) add(id, weight);
      }
    }

    const ranked: Array<{ section: DocSection; score: number }> = [];
    for (const [id, score] of scores) {
      const section = sections[id]!;
      if (!allowedByFramework(section, framework)) continue;
      let final = score;
      if (framework && docBySlug.get(section.slug)!.frameworks.includes(framework)) final *= 1.15;
      ranked.push({ section, score: final });
    }
    ranked.sort((a, b) => b.score - a.score || a.section.id - b.section.id);
    return ranked;
  }

  return {
    search(query, options = {}) {
      const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT));
      if (options.framework !== undefined && !(FRAMEWORK_IDS as readonly string[]).includes(options.framework)) {
        throw notFound(`Framework "${options.framework}"`, [...FRAMEWORK_IDS]);
      }
      const results: SearchResult[] = [];
      let budget = options.maxTokens ?? Number.POSITIVE_INFINITY;
      for (const { section, score } of rank(query, options.framework)) {
        if (results.length >= limit) break;
        const cost = estimateTokens(section.markdown);
        // Whole sections only: one that does not fit is passed over for a smaller one further down.
        if (cost > budget) continue;
        budget -= cost;
        results.push({
          title: docBySlug.get(section.slug)!.title,
          uri: section.uri,
          score: Math.round(score * 1000) / 1000,
          text: section.markdown,
          headingPath: section.headingPath,
        });
      }
      return results;
    },

    getDoc(uri) {
      const [base, anchor] = uri.split("#", 2) as [string, string | undefined];
      const slug = base.startsWith("governor://docs/") ? base.slice("governor://docs/".length) : undefined;
      const doc = slug === undefined ? undefined : docBySlug.get(slug);
      if (!doc) throw notFound(`Document "${uri}"`, docs.map((d) => d.uri));
      const common = {
        title: doc.title,
        description: doc.description,
        frameworks: doc.frameworks,
        modes: doc.modes,
      };
      if (anchor === undefined || anchor === "") return { uri: doc.uri, ...common, markdown: doc.markdown };
      const section = sectionByUri.get(`${doc.uri}#${anchor}`);
      if (!section) {
        const anchors = doc.sectionIds.map((id) => sections[id]!.uri).filter((u) => u.includes("#"));
        throw notFound(`Section "${uri}"`, anchors);
      }
      return { uri: section.uri, ...common, markdown: section.markdown, headingPath: section.headingPath };
    },

    listDocs() {
      return docs.map((doc) => ({
        uri: doc.uri,
        slug: doc.slug,
        kind: doc.kind,
        title: doc.title,
        description: doc.description,
        frameworks: doc.frameworks,
        modes: doc.modes,
      }));
    },

    getRecipe(framework, mode) {
      const recipes = docs.filter((doc) => doc.kind === "recipe");
      const candidates = recipes.filter((doc) => doc.frameworks.includes(framework));
      if (candidates.length === 0) {
        const known = [...new Set(recipes.flatMap((doc) => doc.frameworks))].sort();
        throw notFound(`A recipe for framework "${framework}"`, known);
      }
      if (mode !== undefined && !(MODE_IDS as readonly string[]).includes(mode)) {
        throw notFound(`Mode "${mode}"`, [...MODE_IDS]);
      }
      // A recipe written for the framework alone beats one shared with other frameworks.
      candidates.sort((a, b) => a.frameworks.length - b.frameworks.length);
      const wanted = mode ?? DEFAULT_MODE;
      const doc = candidates.find((d) => d.modes.includes(wanted)) ?? (mode === undefined ? candidates[0] : undefined);
      if (!doc) {
        const modes = [...new Set(candidates.flatMap((d) => d.modes))];
        throw notFound(`A ${framework} recipe for mode "${mode}"`, modes);
      }
      const steps = doc.sectionIds
        .map((id) => sections[id]!)
        .filter((section) => section.depth === 3 && section.headingPath[0] === "Steps")
        .map((section) => ({
          title: section.headingPath[section.headingPath.length - 1]!.replace(/^\d+\.\s*/, ""),
          text: section.prose.trim(),
          code: section.code.map((block) => ({
            lang: block.lang,
            ...(block.file === undefined ? {} : { file: block.file }),
            code: block.code,
          })),
        }));
      return {
        framework,
        mode: doc.modes.includes(wanted) ? wanted : (doc.modes[0] ?? wanted),
        title: doc.title,
        uri: doc.uri,
        steps,
      };
    },
  };
}
