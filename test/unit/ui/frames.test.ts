import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../src/ui/ansi.js';
import { articleFrame, menuFrame, menuSize, searchFrame } from '../../../src/ui/frames.js';
import { firstGuideFrame } from '../../../src/ui/guide-frame.js';
import { fitSpans, fitText, span, spread, textWidth, toAnsi } from '../../../src/ui/spans.js';

const visible = (lines: readonly string[]) => lines.map(stripAnsi);

describe('spans', () => {
  it('cut to a width with an ellipsis in the cut span, wide characters counting two columns', () => {
    expect(fitText('abcdef', 4)).toBe('abc…');
    expect(fitText('abc', 3)).toBe('abc');
    expect(fitText('인스턴스', 5)).toBe('인스…');
    expect(fitSpans([span('ab'), span('cdef', { bold: true })], 5)).toEqual([span('ab'), span('cd…', { bold: true })]);
    // A span that exactly fills the room but is followed by more still shows that something was cut.
    expect(fitSpans([span('abcd'), span('ef')], 4)).toEqual([span('abc…')]);
  });

  it('spread puts the right part at the right edge', () => {
    const text = stripAnsi(spread([span('left')], [span(' 12 of 48', { dim: true })], 20));
    expect(text).toBe(`left${' '.repeat(8)}12 of 48`);
    expect(textWidth(text)).toBe(20);
  });

  it('styles with SGR and resets after each styled span', () => {
    expect(toAnsi([span('a', { bold: true, inverse: true }), span('b')])).toBe('\u001b[1;7ma\u001b[0mb');
  });
});

describe('frames', () => {
  const sizes: [number, number][] = [[80, 24], [20, 5], [132, 50]];

  it('are exactly as tall as asked and no line is wider than the terminal', () => {
    for (const [width, rows] of sizes) {
      const height = rows - 1;
      const frames = [
        searchFrame({ width, height, query: 'x'.repeat(200), placeholder: 'p', rows: [{ id: 'a', title: 'T'.repeat(300), snippet: [{ text: 's'.repeat(300), marked: false }], selected: true }], empty: 'none', status: 'status '.repeat(40), count: '1 of 48', color: true }),
        articleFrame({ width, height, title: 'Title '.repeat(30), position: 'lines 1–20 of 99 (20%)', lines: ['one', 'two'], pagerHeight: height - 3, related: [{ id: 'r'.repeat(90), selected: true }], status: { kind: 'prompt', text: 'find me' } }),
        menuFrame({ ...menuSize(width, rows), title: 'cd-wizard', question: 'What would you like to do?', items: [{ value: 'a', label: 'Label '.repeat(30), description: 'D '.repeat(80) }], selected: 0 }),
      ];
      for (const frame of frames) {
        expect(frame).toHaveLength(Math.max(1, height));
        for (const line of visible(frame)) expect(textWidth(line)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('the guide opens on its list: title bar, empty search box, the first articles, the count', () => {
    const head = { count: 48, articles: Array.from({ length: 48 }, (_, i) => ({ id: `a${i}`, title: `Article ${i}`, summary: `Summary ${i}.` })) };
    const lines = visible(firstGuideFrame(head, 80, 24, true));
    expect(lines[0]).toMatch(/^ cd-wizard guide +CodeDeploy troubleshooting $/);
    expect(lines[1]).toBe('Search:   type to search 48 articles');
    expect(lines[3]).toBe('› Article 0');
    expect(lines[4]).toBe('    Summary 0.');
    expect(lines[22]).toMatch(/Esc quit.* 48 articles$/);
  });
});
