/**
 * Retrieval quality over the eval set (`docs-corpus/eval/queries.json`): hit@1, hit@3 and MRR.
 * Shared by the quality test and `bench/docs-search.ts` so both measure the same thing.
 */
import { readFileSync } from "node:fs";

/** One eval question and the section uri that answers it. */
export interface EvalQuery {
  query: string;
  expected: string;
  /** Another section that documents exactly the same thing; ranking it counts as a hit. */
  alsoAccept?: string[];
}

/** Quality figures; `misses` lists the queries whose expected uri was not ranked first. */
export interface EvalReport {
  count: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  misses: Array<{ query: string; expected: string; rank: number | undefined; got: string[] }>;
}

/** Reads the eval set. */
export function loadEvalQueries(path: string): EvalQuery[] {
  const data = JSON.parse(readFileSync(path, "utf8")) as { queries: EvalQuery[] };
  return data.queries;
}

/** Runs every query through `searchUris` (ranked uris, best first) and scores the rankings. */
export function evaluate(queries: EvalQuery[], searchUris: (query: string) => string[]): EvalReport {
  let hit1 = 0;
  let hit3 = 0;
  let reciprocal = 0;
  const misses: EvalReport["misses"] = [];
  for (const { query, expected, alsoAccept = [] } of queries) {
    const uris = searchUris(query);
    const accepted = new Set([expected, ...alsoAccept]);
    const index = uris.findIndex((uri) => accepted.has(uri));
    const rank = index === -1 ? undefined : index + 1;
    if (rank === 1) hit1++;
    if (rank !== undefined && rank <= 3) hit3++;
    if (rank !== undefined) reciprocal += 1 / rank;
    if (rank !== 1) misses.push({ query, expected, rank, got: uris.slice(0, 3) });
  }
  const count = queries.length;
  return { count, hitAt1: hit1 / count, hitAt3: hit3 / count, mrr: reciprocal / count, misses };
}
