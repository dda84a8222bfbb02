/**
 * Retrieval quality on the eval set (docs-corpus/eval/queries.json): hit@3 must stay ≥ 0.95.
 * Timing lives in bench/docs-search.ts, not here.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildIndex } from "./build-index.js";
import { createDocsEngine } from "./engine.js";
import { evaluate, loadEvalQueries } from "./evaluate.js";

const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const index = buildIndex(corpusDir);
const engine = createDocsEngine(index);
const queries = loadEvalQueries(resolve(corpusDir, "eval/queries.json"));

describe("search quality", () => {
  it("has at least 60 eval questions, each expecting a section that exists", () => {
    expect(queries.length).toBeGreaterThanOrEqual(60);
    const uris = new Set(index.sections.map((s) => s.uri));
    for (const query of queries) {
      for (const uri of [query.expected, ...(query.alsoAccept ?? [])])
        expect(uris.has(uri), `${query.query} → ${uri}`).toBe(true);
    }
  });

  it("ranks the expected section in the top 3 for at least 95% of the questions", () => {
    const report = evaluate(queries, (query) => engine.search(query, { limit: 10 }).map((r) => r.uri));
    const missedTop3 = report.misses.filter((m) => m.rank === undefined || m.rank > 3);
    expect(report.hitAt3, JSON.stringify(missedTop3, null, 2)).toBeGreaterThanOrEqual(0.95);
  });
});
