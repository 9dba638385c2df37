import { closest as closestCandidates } from '../similar.js';

/** "Did you mean" for AppSpec keys, hook names and values: the known name closest in spelling, if close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return closestCandidates(word, candidates, { limit: 1, maxDistance: Math.max(1, Math.floor(word.length / 3)) })[0];
}
