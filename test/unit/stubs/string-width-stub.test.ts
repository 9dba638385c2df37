import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth from '../../../src/stubs/string-width.js';
import { sourceKb } from '../../helpers/kb.js';

// The bundle swaps string-width for a faster stand-in under ink (scripts/build.mjs). It must measure what
// cd-wizard shows exactly as the original does.
describe('the string-width stand-in', () => {
  it.each([
    'plain ASCII text',
    '… and — dashes “quotes” ‘single’ › arrows ↑↓ ✓ ✗',
    '인스턴스 프로파일을 확인하세요',
    'e\u0301 combining mark, zero\u200Bwidth space',
    '\u001b[1m\u001b[33mbold yellow\u001b[39m\u001b[22m',
    '☕ ⚠ 🚀 emoji',
    '',
  ])('measures %j like string-width', (text) => {
    expect(stringWidth(text)).toBe(realStringWidth(text));
    expect(stringWidth(text, { ambiguousIsNarrow: false })).toBe(realStringWidth(text, { ambiguousIsNarrow: false }));
  });

  it('measures every line of every guide article like string-width', () => {
    const lines = sourceKb().articles.flatMap((article) => [article.title, article.summary, ...article.aliases, ...article.body.split('\n')]);
    const different = lines.filter((line) => stringWidth(line) !== realStringWidth(line));
    expect(different).toEqual([]);
  });
});
