/**
 * Builds the docs search index: parses every Markdown document under `docs-corpus/` (guides, recipes,
 * and the typedoc-generated API reference when present) and writes `dist/docs-index.json`.
 *
 * Run after `tsc` as `node dist/docs-corpus/src/build-index.js [corpusDir] [outFile]`.
 */
import { writeFileAtomic } from "../../core/atomic-write.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";
import { buildSearchStructures } from "./engine.js";
import { DOCS_INDEX_FORMAT_VERSION, type DocKind, type DocRecord, type DocSection, type DocsIndex } from "./model.js";
import { parseDoc } from "./parse.js";

const KIND_BY_DIRECTORY: Record<string, DocKind> = { guides: "guide", recipes: "recipe", api: "api" };

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The slug of a document: its file name for guides and recipes. Generated API pages (one per SDK
 * entry point): `api` for the overview, `api-sdk` for `@governor/sdk`, `api-<name>` for the others.
 */
export function slugFor(kind: DocKind, corpusRelativePath: string): string {
  const name = basename(corpusRelativePath, ".md").toLowerCase();
  if (kind !== "api") return name;
  if (name === "readme") return "api";
  return name === "index" ? "api-sdk" : `api-${name}`;
}

function apiTitle(slug: string): string {
  if (slug === "api") return "@governor/sdk API reference";
  // Written by sdk-python/scripts/gen_reference.py (the build runs it after typedoc).
  if (slug === "api-python") return "governor (Python SDK) API reference";
  if (slug === "api-python-sdk") return "governor: the Governor SDK for Python";
  return slug === "api-sdk" ? "@governor/sdk API" : `@governor/sdk/${slug.slice("api-".length)} API`;
}

/** Parses every document under `corpusDir` into an index (nothing written). */
export function buildIndex(corpusDir: string): DocsIndex {
  const docs: DocRecord[] = [];
  const sections: DocSection[] = [];
  for (const [directory, kind] of Object.entries(KIND_BY_DIRECTORY)) {
    for (const file of markdownFiles(join(corpusDir, directory))) {
      const path = relative(corpusDir, file).split("\\").join("/");
      const slug = slugFor(kind, path);
      const existing = docs.find((doc) => doc.slug === slug);
      if (existing) {
        throw new GovernorInitError(
          ErrorCodes.INVALID_INPUT,
          `${path} and ${existing.path} both have the slug "${slug}".`,
          {
            suggestion: "Rename one of them: document file names are their URIs.",
          },
        );
      }
      const parsed = parseDoc(
        readFileSync(file, "utf8"),
        { slug, kind, path },
        kind === "api" ? { requireFrontmatter: false, maxSectionDepth: 3, title: apiTitle(slug) } : {},
      );
      const sectionIds: number[] = [];
      for (const section of parsed.sections) {
        sectionIds.push(sections.length);
        sections.push({ ...section, id: sections.length });
      }
      docs.push({ ...parsed.doc, sectionIds });
    }
  }
  return { formatVersion: DOCS_INDEX_FORMAT_VERSION, docs, sections, ...buildSearchStructures(docs, sections) };
}

/** Builds the index and writes it atomically to `outFile`. */
export function writeIndex(corpusDir: string, outFile: string): DocsIndex {
  const index = buildIndex(corpusDir);
  writeFileAtomic(outFile, JSON.stringify(index));
  return index;
}

/** `docs-corpus/` in the source tree, from either `docs-corpus/src/` or `dist/docs-corpus/src/`. */
export function defaultCorpusDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSource = resolve(here, "..");
  if (existsSync(join(fromSource, "guides"))) return fromSource;
  return resolve(here, "../../../docs-corpus");
}

function main(): void {
  const corpusDir = resolve(process.argv[2] ?? defaultCorpusDir());
  const outFile = resolve(process.argv[3] ?? join(corpusDir, "..", "dist", "docs-index.json"));
  const index = writeIndex(corpusDir, outFile);
  process.stderr.write(`docs index: ${index.docs.length} documents, ${index.sections.length} sections → ${outFile}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
