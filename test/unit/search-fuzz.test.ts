import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kb } from '../../src/kb/kb.js';
import { buildIndex, capQuery, QUERY_LIMITS, type SearchIndex } from '../../src/kb/search.js';
import { sourceKb } from '../helpers/kb.js';

// Hostile and odd input never breaks the search, and what reaches the index is bounded whatever the input's size.
const articles = sourceKb().articles;

/** The guide with an index that records every query it is asked. */
function countingKb(): { kb: Kb; asked: string[] } {
  const asked: string[] = [];
  const index = buildIndex(articles);
  const search = index.search.bind(index);
  index.search = ((query: string, options) => {
    asked.push(query);
    return search(query, options);
  }) as SearchIndex['search'];
  return { kb: new Kb(articles, () => index), asked };
}

const LONG_WORD = 'a'.repeat(65_535);

/** Queries made of pieces people paste: words, long runs, symbols, Hangul, escapes, control characters. */
const hostileQuery = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('appspec', '인스턴스', 'iam:PassRole', '\\\\\\', '""', '\u0000', '\n', '\t', '*', '~1', 'ａｂｃ'),
      fc.integer({ min: 1, max: 3000 }).map((n) => 'x'.repeat(n)),
      fc.integer({ min: 1, max: 400 }).map((n) => 'word '.repeat(n)),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

describe('search input is capped', () => {
  it('does not throw on a 65,535-character word (it used to: "Invalid typed array length")', () => {
    const { kb, asked } = countingKb();
    expect(() => kb.search(LONG_WORD)).not.toThrow();
    expect(() => kb.search(`missing ${LONG_WORD} credentials`)).not.toThrow();
    for (const query of asked) expect(query.length).toBeLessThanOrEqual(QUERY_LIMITS.chars);
  });

  it('keeps at most the first words and characters of a query', () => {
    expect(capQuery('  a  b\tc\n')).toBe('a b c');
    expect(capQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).split(' ')).toHaveLength(QUERY_LIMITS.words);
    expect(capQuery(LONG_WORD)).toHaveLength(QUERY_LIMITS.chars);
  });

  it('never throws and never hands the index more than a capped query, for any input (fast-check, fixed seed)', () => {
    const { kb, asked } = countingKb();
    fc.assert(
      fc.property(hostileQuery, (query) => {
        asked.length = 0;
        const hits = kb.search(query, 20);
        expect(hits.length).toBeLessThanOrEqual(20);
        // Bounded work: at most the four passes, each on a capped query.
        expect(asked.length).toBeLessThanOrEqual(4);
        for (const each of asked) {
          expect(each.length).toBeLessThanOrEqual(QUERY_LIMITS.chars);
          expect(each.split(' ').length).toBeLessThanOrEqual(QUERY_LIMITS.words);
        }
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
