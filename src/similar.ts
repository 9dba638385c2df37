/**
 * "Did you mean": the candidates closest in spelling to a mistyped word (commands, regions, article ids). Words
 * longer than any real candidate are not compared, so a pasted wall of text costs nothing.
 */

const MAX_WORD = 64;

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidates (all those at the best distance, up to `limit`), or none when nothing is within `maxDistance`. */
export function closest(word: string, candidates: readonly string[], options: { limit?: number; maxDistance?: number } = {}): string[] {
  if (word.length === 0 || word.length > MAX_WORD) return [];
  const lower = word.toLowerCase();
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map(({ distance }) => distance));
  if (!Number.isFinite(best) || best > (options.maxDistance ?? 3)) return [];
  return scored.filter(({ distance }) => distance === best).slice(0, options.limit ?? 3).map(({ candidate }) => candidate);
}

/** "a", "a or b", "a, b or c". */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
