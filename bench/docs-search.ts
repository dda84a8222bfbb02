/**
 * Docs search quality and latency, in process: hit@1, hit@3, MRR over docs-corpus/eval/queries.json,
 * and search p50/p99, for the shipped ranking side by side with fuse.js alone (the baseline:
 * ignoreLocation, weighted title/headings/identifiers/body) and with each signal of the ranking alone.
 *
 *     npx tsx bench/docs-search.ts [--misses]
 */
import Fuse from "fuse.js";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { buildIndex } from "../docs-corpus/src/build-index.js";
import { createDocsEngine, searchDocuments, type RankingSignals } from "../docs-corpus/src/engine.js";
import { evaluate, loadEvalQueries } from "../docs-corpus/src/evaluate.js";

const corpusDir = fileURLToPath(new URL("../docs-corpus", import.meta.url));
const queries = loadEvalQueries(`${corpusDir}/eval/queries.json`);
const holdout = loadEvalQueries(`${corpusDir}/eval/holdout.json`);
const buildStart = performance.now();
const index = buildIndex(corpusDir);
const buildMs = performance.now() - buildStart;
const serialized = JSON.stringify(index);
const loadStart = performance.now();
createDocsEngine(JSON.parse(serialized));
const loadMs = performance.now() - loadStart;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function latency(searchUris: (query: string) => string[], rounds: number): { p50: number; p99: number } {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const { query } of queries) {
      const start = performance.now();
      searchUris(query);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const variants: Array<{ name: string; searchUris: (query: string) => string[] }> = [];
const engineVariant = (name: string, signals: RankingSignals) => {
  const engine = createDocsEngine(JSON.parse(serialized), signals);
  variants.push({ name, searchUris: (query) => engine.search(query, { limit: 10 }).map((r) => r.uri) });
};
engineVariant("shipped (bm25+spelling+identifiers+synonyms)", {
  bm25: true,
  spelling: true,
  identifiers: true,
  synonyms: true,
});
engineVariant("shipped without spelling correction", {
  bm25: true,
  spelling: false,
  identifiers: true,
  synonyms: true,
});
engineVariant("bm25 only", { bm25: true, spelling: false, identifiers: false, synonyms: false });

const documents = searchDocuments(index.docs, index.sections).map((d, i) => ({
  ...d,
  title: index.docs.find((doc) => doc.slug === index.sections[i]!.slug)!.title,
}));
const fuseAlone = new Fuse(documents, {
  keys: [
    { name: "title", weight: 2 },
    { name: "headings", weight: 3 },
    { name: "identifiers", weight: 2 },
    { name: "body", weight: 1 },
  ],
  ignoreLocation: true,
  includeScore: true,
  threshold: 0.4,
});
variants.push({
  name: "fuse.js alone (baseline)",
  searchUris: (query) => fuseAlone.search(query, { limit: 10 }).map((hit) => index.sections[hit.item.id]!.uri),
});

console.log(
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`docs: ${index.docs.length}, sections: ${index.sections.length}, eval queries: ${queries.length}`);
console.log(
  `index build ${buildMs.toFixed(0)} ms, serialized ${(serialized.length / 1024).toFixed(0)} KiB, load ${loadMs.toFixed(1)} ms`,
);
console.log("");
console.log("variant                                    hit@1  hit@3  MRR    p50 ms  p99 ms");
// Warm every variant up (JIT) before timing any of them, so the first one measured is not penalized.
for (const variant of variants) {
  const rounds = variant.name.startsWith("fuse.js alone") ? 1 : 10;
  for (let round = 0; round < rounds; round++) for (const { query } of queries) variant.searchUris(query);
}
let shippedMisses: ReturnType<typeof evaluate>["misses"] = [];
for (const variant of variants) {
  const report = evaluate(queries, variant.searchUris);
  const times = latency(variant.searchUris, variant.name.startsWith("fuse.js alone") ? 3 : 50);
  if (variant === variants[0]) shippedMisses = report.misses;
  console.log(
    `${variant.name.padEnd(42)} ${report.hitAt1.toFixed(3)}  ${report.hitAt3.toFixed(3)}  ${report.mrr.toFixed(3)}  ${times.p50.toFixed(3).padStart(6)}  ${times.p99.toFixed(3).padStart(6)}`,
  );
}
const held = evaluate(holdout, variants[0]!.searchUris);
console.log(
  `\nheld-out questions (never tuned on), shipped ranking: ${held.count} questions, hit@1 ${held.hitAt1.toFixed(3)}, hit@3 ${held.hitAt3.toFixed(3)}, MRR ${held.mrr.toFixed(3)}`,
);
if (process.argv.includes("--misses")) {
  for (const miss of held.misses) console.log(`  held-out [${miss.rank ?? "-"}] ${miss.query} → ${miss.got[0]}`);
  console.log("\nshipped ranking, not first:");
  for (const miss of shippedMisses)
    console.log(
      `  [${miss.rank ?? "-"}] ${miss.query}\n      want ${miss.expected}\n      got  ${miss.got.join("\n           ")}`,
    );
}
