import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kb } from '../../../src/kb/kb.js';
import { buildIndex, capQuery, QUERY_LIMITS, type SearchIndex } from '../../../src/kb/search.js';
import { sourceKb } from '../../helpers/kb.js';

// Hostile and odd input never breaks the search, and what reaches the index is bounded whatever the input's size.
const articles = sourceKb().articles;

/** The guide with an index that records every query it is asked. */
function countingKb(): { kb: Kb; asked: string[] } {
  const asked: string[] = [];
  const index = buildIndex(articles);
  const search = index.documents.search.bind(index.documents);
  const documents: SearchIndex['documents'] = {
    ...index.documents,
    add: (document) => index.documents.add(document),
    export: (handler) => index.documents.export(handler),
    import: (key, data) => index.documents.import(key, data),
    search: (query, options) => {
      asked.push(query);
      return search(query, options);
    },
  };
  return { kb: new Kb(articles, () => ({ ...index, documents })), asked };
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
    expect(asked[0]?.length).toBeLessThanOrEqual(QUERY_LIMITS.chars);
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
        // Bounded work: at most two searches (as typed, then with typos corrected), each on a capped query
        // (a corrected word, 4 letters or more, may become three words one edit away).
        expect(asked.length).toBeLessThanOrEqual(2);
        expect(asked[0]?.length ?? 0).toBeLessThanOrEqual(QUERY_LIMITS.chars);
        for (const each of asked) expect(each.length).toBeLessThanOrEqual(5 * QUERY_LIMITS.chars);
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
