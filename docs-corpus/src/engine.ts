/**
 * The docs engine over a loaded index: ranked search packed to a token budget, documents, recipes.
 *
 * fuse.js alone does not reach the quality bar on this corpus (see `bench/docs-search.ts`, which
 * runs it side by side), so ranking combines:
 * - MiniSearch BM25 over section headings, identifiers, keywords and body, plus a document-level
 *   BM25 (title, description, keywords, all text) so a section of the right page beats a
 *   look-alike section of another;
 * - typo correction: a query word the corpus does not contain is replaced by the corpus words one
 *   or two edits away (`spelling.ts`);
 * - a synonym table for the words developers use instead of the docs' words;
 * - exact identifier hits: a query naming `withActor` or `GOVERNOR_FAIL_MODE` goes to the sections
 *   whose code or inline code names it, above all the one whose heading does.
 */
import MiniSearch from "minisearch";
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
import { SpellingCorrector } from "./spelling.js";
import { normalizeTerm, QUERY_SYNONYMS, queryTerms, terms, tokenize } from "./text.js";

/** The searchable view of a section. */
export interface SearchDocument {
  id: number;
  headings: string;
  keywords: string;
  identifiers: string;
  body: string;
}

/** The searchable view of a whole document. */
export interface DocSearchDocument {
  id: number;
  title: string;
  description: string;
  keywords: string;
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
      headings: section.headingPath.join(" / "),
      keywords: isIntro ? `${doc.title} ${doc.keywords.join(" ")} ${doc.description}` : "",
      identifiers: section.identifiers.join(" "),
      body: `${section.plainText}\n${section.code.map((block) => block.code).join("\n")}`,
    };
  });
}

/** Builds the searchable view of every document. */
export function docSearchDocuments(docs: DocRecord[], sections: DocSection[]): DocSearchDocument[] {
  return docs.map((doc, id) => ({
    id,
    title: doc.title,
    description: doc.description,
    keywords: doc.keywords.join(" "),
    body: doc.sectionIds
      .map((sid) => `${sections[sid]!.headingPath.join(" ")}\n${sections[sid]!.plainText}`)
      .join("\n"),
  }));
}

const ANALYSIS = {
  idField: "id",
  tokenize: (text: string) => tokenize(text),
  processTerm: (term: string) => normalizeTerm(term) ?? null,
};

/** MiniSearch's options for sections; the build and the engine must use the same ones. */
export const SECTION_MINISEARCH_OPTIONS = { ...ANALYSIS, fields: ["headings", "keywords", "identifiers", "body"] };
/** MiniSearch's options for documents. */
export const DOC_MINISEARCH_OPTIONS = { ...ANALYSIS, fields: ["title", "description", "keywords", "body"] };

/** Lower-cased words of the corpus as written, at least 4 letters: what typos are corrected to. */
export function corpusVocabulary(documents: SearchDocument[]): string[] {
  const words = new Set<string>();
  for (const document of documents) {
    for (const field of [document.headings, document.keywords, document.identifiers, document.body]) {
      for (const token of tokenize(field)) {
        if (token.length >= 4 && /^[a-z][a-z0-9_]*$/i.test(token)) words.add(token.toLowerCase());
      }
    }
  }
  return [...words].sort();
}

/** Every normalized term of the sections' searchable fields, with how many sections hold it. */
export function corpusTerms(documents: SearchDocument[]): Array<[string, number]> {
  const sectionCount = new Map<string, number>();
  for (const document of documents) {
    const found = new Set<string>();
    for (const field of [document.headings, document.keywords, document.identifiers, document.body]) {
      for (const term of terms(field)) found.add(term);
    }
    for (const term of found) sectionCount.set(term, (sectionCount.get(term) ?? 0) + 1);
  }
  return [...sectionCount].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Serializes the search structures the engine needs, for `dist/docs-index.json`. */
export function buildSearchStructures(
  docs: DocRecord[],
  sections: DocSection[],
): Pick<DocsIndex, "miniSearch" | "docMiniSearch" | "vocabulary" | "terms"> {
  const documents = searchDocuments(docs, sections);
  const miniSearch = new MiniSearch<SearchDocument>(SECTION_MINISEARCH_OPTIONS);
  miniSearch.addAll(documents);
  const docMiniSearch = new MiniSearch<DocSearchDocument>(DOC_MINISEARCH_OPTIONS);
  docMiniSearch.addAll(docSearchDocuments(docs, sections));
  return {
    miniSearch: miniSearch.toJSON(),
    docMiniSearch: docMiniSearch.toJSON(),
    vocabulary: corpusVocabulary(documents),
    terms: corpusTerms(documents),
  };
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
  /** Typo correction of words the corpus does not contain. */
  spelling: boolean;
  identifiers: boolean;
  synonyms: boolean;
}

const ALL_SIGNALS: RankingSignals = { bm25: true, spelling: true, identifiers: true, synonyms: true };

const DEFAULT_LIMIT = 5;
/** A term in more than this share of sections is dropped from a query that has other words. */
const UBIQUITOUS_SHARE = 0.4;

/** The ranking's weights. The defaults are what `bench/docs-search.ts` measures; tests use them as they are. */
export interface RankingWeights {
  /** Field boosts of the section index. */
  headings: number;
  identifiers: number;
  keywords: number;
  body: number;
  /** How much the document-level match (0..1) adds to a section's score. */
  doc: number;
  /** Field boost of the document title in the document index. */
  docTitle: number;
  /** Weight of an exact identifier hit, divided by √(sections naming it). */
  identifier: number;
  /** Added when the identifier is in the section's own heading. */
  identifierInHeading: number;
  /** Weight of a synonym relative to a word of the query. */
  synonym: number;
}

/** The shipped weights. */
export const DEFAULT_WEIGHTS: RankingWeights = {
  headings: 5,
  identifiers: 1,
  keywords: 0.5,
  body: 1,
  doc: 1,
  docTitle: 3,
  identifier: 0.2,
  identifierInHeading: 0.3,
  synonym: 0.4,
};
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
export function createDocsEngine(
  index: DocsIndex,
  signals: RankingSignals = ALL_SIGNALS,
  weights: RankingWeights = DEFAULT_WEIGHTS,
): DocsEngine {
  if (index.formatVersion !== DOCS_INDEX_FORMAT_VERSION) {
    throw new GovernorInitError(
      ErrorCodes.PARSE_ERROR,
      `The docs index has format ${index.formatVersion}, expected ${DOCS_INDEX_FORMAT_VERSION}.`,
      {
        suggestion: "Rebuild it with npm run build.",
      },
    );
  }
  const { docs, sections } = index;
  const docBySlug = new Map(docs.map((doc) => [doc.slug, doc]));
  const sectionByUri = new Map(sections.map((section) => [section.uri, section]));
  type Serialized = Parameters<typeof MiniSearch.loadJS>[0];
  const miniSearch = MiniSearch.loadJS<SearchDocument>(index.miniSearch as Serialized, SECTION_MINISEARCH_OPTIONS);
  const docMiniSearch = MiniSearch.loadJS<DocSearchDocument>(index.docMiniSearch as Serialized, DOC_MINISEARCH_OPTIONS);
  const speller = new SpellingCorrector(index.vocabulary);
  const vocabulary = new Set(index.terms.map(([term]) => term));
  // Terms in most sections ("governor", "sdk") rank nothing and cost the most to score: a query
  // drops them when it has other words.
  const ubiquitous = new Set(
    index.terms.filter(([, count]) => count > sections.length * UBIQUITOUS_SHARE).map(([term]) => term),
  );

  // Identifier → sections naming it, for exact hits.
  const identifierSections = new Map<string, number[]>();
  for (const section of sections) {
    for (const id of section.identifiers) {
      const list = identifierSections.get(id) ?? [];
      list.push(section.id);
      identifierSections.set(id, list);
    }
  }
  const headingLower = sections.map((section) =>
    (section.headingPath[section.headingPath.length - 1] ?? "").toLowerCase(),
  );

  function allowedByFramework(section: DocSection, framework: string | undefined): boolean {
    if (!framework) return true;
    const doc = docBySlug.get(section.slug)!;
    return doc.frameworks.length === 0 || doc.frameworks.includes(framework);
  }

  /** Closest corpus words to a word the corpus does not contain. */
  function corrections(term: string): string[] {
    if (term.length < 4 || !signals.spelling || !/^[a-z]+$/.test(term)) return [];
    const out: string[] = [];
    for (const word of speller.correct(term)) {
      const corrected = normalizeTerm(word);
      if (corrected && !out.includes(corrected)) out.push(corrected);
    }
    return out;
  }

  function rank(query: string, framework: string | undefined): Array<{ section: DocSection; score: number }> {
    const wanted: string[] = [];
    const unknown: string[] = [];
    for (const term of queryTerms(query, (t) => vocabulary.has(t))) {
      if (vocabulary.has(term)) {
        wanted.push(term);
        continue;
      }
      const fixed = corrections(term);
      if (fixed.length > 0) wanted.push(...fixed.filter((t) => !wanted.includes(t)));
      else unknown.push(term);
    }
    if (wanted.some((term) => !ubiquitous.has(term)) || unknown.length > 0) {
      for (let i = wanted.length - 1; i >= 0; i--) if (ubiquitous.has(wanted[i]!)) wanted.splice(i, 1);
    }
    if (wanted.length === 0 && unknown.length === 0) return [];
    const scores = new Map<number, number>();
    const docScores = new Map<string, number>();
    const add = (id: number, value: number): void => {
      scores.set(id, (scores.get(id) ?? 0) + value);
    };

    if (signals.bm25) {
      const expansions = signals.synonyms
        ? wanted
            .flatMap((term) => (Object.hasOwn(QUERY_SYNONYMS, term) ? QUERY_SYNONYMS[term]! : []))
            .filter((term) => !wanted.includes(term))
        : [];
      const all = [...wanted, ...unknown, ...new Set(expansions)];
      const options = {
        // The terms are normalized already: no second tokenizing (it would split compounds again).
        tokenize: (text: string) => [text],
        processTerm: (term: string) => term,
        // Only words the corpus lacks (partial words) are matched as prefixes; known words exactly.
        prefix: (term: string) => term.length > 3 && unknown.includes(term),
        weights: { fuzzy: 0.6, prefix: 0.5 },
        boostTerm: (term: string) => (wanted.includes(term) || unknown.includes(term) ? 1 : weights.synonym),
      };
      const hits = miniSearch.search(
        { queries: all, combineWith: "OR" },
        {
          ...options,
          boost: {
            headings: weights.headings,
            identifiers: weights.identifiers,
            keywords: weights.keywords,
            body: weights.body,
          },
        },
      );
      const top = hits[0]?.score ?? 1;
      for (const hit of hits) add(hit.id as number, hit.score / top);

      // Which document the question is about, so a section of the right page beats a look-alike
      // section of another (every recipe has a "Wrap … tool" step).
      const docHits = docMiniSearch.search(
        { queries: all, combineWith: "OR" },
        { ...options, boost: { title: weights.docTitle, description: 1.5, keywords: 2, body: 1 } },
      );
      const docTop = docHits[0]?.score ?? 1;
      for (const hit of docHits) docScores.set(docs[hit.id as number]!.slug, hit.score / docTop);
    }

    if (signals.identifiers) {
      // Only words written like code count: `withActor`, `GOVERNOR_EXEMPT`, `--policy`, `tool()`,
      // `next.config.ts`. A plain word that happens to name a class ("agent") is left to BM25.
      const rawTokens = query
        .split(/[\s,;:!?'"`]+/)
        .filter((token) => /[a-z][A-Z]|_|^--|^@|\(\)$|\.[a-z]/.test(token))
        .map((token) =>
          token
            .toLowerCase()
            .replace(/\(\)$/, "")
            .replace(/^[^@\w-]+|[^\w]+$/g, ""),
        )
        .filter((token) => token.length >= 4);
      for (const token of new Set(rawTokens)) {
        const ids = identifierSections.get(token);
        if (!ids) continue;
        // A rare identifier says more about a section than one every page names; one in the
        // section's own heading says the most.
        const weight = weights.identifier / Math.sqrt(ids.length);
        for (const id of ids)
          add(id, headingLower[id]!.includes(token) ? weight + weights.identifierInHeading : weight);
      }
    }

    const ranked: Array<{ section: DocSection; score: number }> = [];
    for (const [id, score] of scores) {
      const section = sections[id]!;
      if (!allowedByFramework(section, framework)) continue;
      let final = score + weights.doc * (docScores.get(section.slug) ?? 0);
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
      if (!doc)
        throw notFound(
          `Document "${uri}"`,
          docs.map((d) => d.uri),
        );
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
