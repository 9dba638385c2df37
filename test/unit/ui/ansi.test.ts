import { describe, expect, it } from 'vitest';
import { findRanges, highlightRanges, markTerms, stripAnsi } from '../../../src/ui/ansi.js';

const RED = '\u001b[31m';
const RESET = '\u001b[0m';
const INV = '\u001b[7m';

describe('stripAnsi', () => {
  it('removes SGR, CSI and OSC hyperlink sequences and keeps the text', () => {
    expect(stripAnsi(`${RED}red${RESET} \u001b[?25lplain \u001b]8;;https://x.test\u0007link\u001b]8;;\u0007`)).toBe('red plain link');
  });
});

describe('findRanges', () => {
  it('finds every case-insensitive occurrence, without overlaps', () => {
    expect(findRanges('Restart, then restart again', 'RESTART')).toEqual([
      { start: 0, end: 7 },
      { start: 14, end: 21 },
    ]);
    expect(findRanges('aaaa', 'aa')).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
  });

  it('finds nothing for an empty needle', () => {
    expect(findRanges('text', '')).toEqual([]);
  });
});

describe('highlightRanges', () => {
  it('wraps the visible characters of a plain line', () => {
    expect(highlightRanges('abc def', [{ start: 4, end: 7, open: INV }])).toBe(`abc ${INV}def${RESET}`);
  });

  it('counts only visible characters and restores the line style after the match', () => {
    const line = `${RED}error: restart${RESET} now`;
    const out = highlightRanges(line, [{ start: 7, end: 14, open: INV }]);
    expect(stripAnsi(out)).toBe('error: restart now');
    expect(out).toBe(`${RED}error: ${INV}restart${RESET}${RED}${RESET} now`);
  });

  it('re-applies the highlight after a style change inside the match', () => {
    const out = highlightRanges(`ab${RED}cd`, [{ start: 1, end: 3, open: INV }]);
    expect(out).toBe(`a${INV}b${RED}${INV}c${RESET}${RED}d`);
  });

  it('handles several ranges and leaves a line without ranges untouched', () => {
    expect(highlightRanges('x y x', [{ start: 4, end: 5, open: '<' }, { start: 0, end: 1, open: '[' }])).toBe(`[x${RESET} y <x${RESET}`);
    expect(highlightRanges(`${RED}same`, [])).toBe(`${RED}same`);
  });
});

describe('markTerms', () => {
  it('splits text into marked and unmarked runs for any of the terms', () => {
    expect(markTerms('Missing credentials: missing', ['missing', 'cred'])).toEqual([
      { text: 'Missing', marked: true },
      { text: ' ', marked: false },
      { text: 'cred', marked: true },
      { text: 'entials: ', marked: false },
      { text: 'missing', marked: true },
    ]);
  });

  it('returns one unmarked run when nothing matches', () => {
    expect(markTerms('plain', ['zzz'])).toEqual([{ text: 'plain', marked: false }]);
  });
});
