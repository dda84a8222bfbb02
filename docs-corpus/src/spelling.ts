/**
 * Typo correction for query words the corpus does not contain, by deletion neighbourhoods
 * (the SymSpell idea): two words within one or two edits share a word obtained by deleting at most
 * one letter from each. A lookup is a handful of map reads per word. bench/docs-search.ts measures
 * the whole shipped search, correction included, against fuse.js alone (figures in BENCHMARKS.md).
 */
import { editDistance } from "../../core/edit-distance.js";

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** A spelling corrector over a fixed vocabulary. */
export class SpellingCorrector {
  private readonly words: Set<string>;
  private readonly byDeletion = new Map<string, string[]>();

  constructor(vocabulary: readonly string[]) {
    this.words = new Set(vocabulary);
    for (const word of this.words) {
      for (const deleted of deletions(word)) {
        const list = this.byDeletion.get(deleted);
        if (list) list.push(word);
        else this.byDeletion.set(deleted, [word]);
      }
    }
  }

  /**
   * The vocabulary words closest to `word` (one edit for words under 7 letters, two from 7 on),
   * nearest first; empty when none is that close.
   */
  correct(word: string): string[] {
    if (this.words.has(word)) return [word];
    const max = word.length >= 7 ? 2 : 1;
    const candidates = new Set<string>();
    const collect = (key: string): void => {
      if (this.words.has(key)) candidates.add(key);
      for (const match of this.byDeletion.get(key) ?? []) candidates.add(match);
    };
    collect(word);
    for (const deleted of deletions(word)) collect(deleted);
    let best = max + 1;
    let found: string[] = [];
    for (const candidate of candidates) {
      const distance = editDistance(word, candidate, max);
      if (distance < best) {
        best = distance;
        found = [candidate];
      } else if (distance === best) {
        found.push(candidate);
      }
    }
    return best <= max ? found.sort() : [];
  }
}
