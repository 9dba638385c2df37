import { describe, expect, it } from 'vitest';
import { char, ctrl, key } from '../../../src/ui/keys.js';
import { createPager, pagerKey, pagerReducer, positionLabel, visibleLines, visibleRows, type PagerAction, type PagerState } from '../../../src/ui/pager-state.js';

const lines = (count: number) => Array.from({ length: count }, (_, index) => `line ${index + 1}`);
const run = (state: PagerState, ...actions: PagerAction[]) => actions.reduce(pagerReducer, state);
const find = (state: PagerState, query: string) => run(state, { type: 'find-open' }, ...[...query].map((text): PagerAction => ({ type: 'find-type', text })), { type: 'find-run' });

describe('scrolling', () => {
  const pager = createPager(lines(100), 10);

  it('shows the first `height` lines and says where it is', () => {
    expect(visibleLines(pager)).toEqual(lines(10));
    expect(positionLabel(pager)).toBe('lines 1–10 of 100 (10%)');
  });

  it('scrolls by lines and pages and clamps at both ends', () => {
    expect(run(pager, { type: 'scroll', by: 1 }).top).toBe(1);
    expect(run(pager, { type: 'scroll', by: -5 }).top).toBe(0);
    // A page keeps one line of overlap.
    expect(run(pager, { type: 'page', by: 1 }).top).toBe(9);
    expect(run(pager, { type: 'page', by: 20 }).top).toBe(90);
    expect(run(pager, { type: 'bottom' }).top).toBe(90);
    expect(positionLabel(run(pager, { type: 'bottom' }))).toBe('lines 91–100 of 100 (100%)');
    expect(run(pager, { type: 'bottom' }, { type: 'top' }).top).toBe(0);
  });

  it('never scrolls a short text', () => {
    const short = createPager(lines(3), 10);
    expect(run(short, { type: 'bottom' }).top).toBe(0);
    expect(run(short, { type: 'page', by: 1 }).top).toBe(0);
    expect(positionLabel(short)).toBe('all 3 lines');
  });

  it('clamps the top when the window grows', () => {
    const atEnd = run(pager, { type: 'bottom' });
    expect(run(atEnd, { type: 'resize', height: 30 }).top).toBe(70);
    expect(visibleLines(run(atEnd, { type: 'resize', height: 30 }))).toHaveLength(30);
  });

  it('keeps its relative place when the text is rewrapped to a new length', () => {
    const middle = run(pager, { type: 'scroll', by: 50 });
    expect(run(middle, { type: 'set-lines', lines: lines(200) }).top).toBe(100);
    expect(run(middle, { type: 'set-lines', lines: lines(20) }).top).toBe(10);
  });
});

describe('find', () => {
  const text = ['intro', 'restart the agent', 'nothing', 'Restart again; restart', ...lines(40), 'final restart'];
  const pager = createPager(text, 5);

  it('finds every occurrence, case-insensitively, and reports "match i/n"', () => {
    const found = find(pager, 'restart');
    expect(found.matches.map((match) => match.line)).toEqual([1, 3, 3, 44]);
    expect(found.current).toBe(0);
    expect(found.message).toBe('match 1/4');
    expect(found.prompt).toBeUndefined();
    expect(found.top).toBe(0);
  });

  it('n and N move through matches, wrap around, and scroll to the match with a line of context', () => {
    const found = find(pager, 'restart');
    const third = run(found, { type: 'find-next' }, { type: 'find-next' });
    expect(third.message).toBe('match 3/4');
    const last = run(third, { type: 'find-next' });
    expect(last.message).toBe('match 4/4');
    expect(last.top).toBe(40);
    expect(visibleLines(last)).toContain('final restart');
    expect(run(last, { type: 'find-next' }).message).toBe('match 1/4');
    expect(run(found, { type: 'find-prev' }).message).toBe('match 4/4');
  });

  it('starts from the first match at or below the top of the screen', () => {
    const scrolled = run(pager, { type: 'scroll', by: 10 });
    const found = find(scrolled, 'restart');
    expect(found.message).toBe('match 4/4');
  });

  it('says "not found" and keeps the position when nothing matches', () => {
    const scrolled = run(pager, { type: 'scroll', by: 7 });
    const missing = find(scrolled, 'zebra');
    expect(missing.message).toBe('not found: zebra');
    expect(missing.top).toBe(7);
    expect(run(missing, { type: 'find-next' }).message).toBe('not found: zebra');
  });

  it('an empty prompt repeats the last find; n without a find explains itself', () => {
    expect(run(pager, { type: 'find-next' }).message).toBe('press / to find text in this article');
    const again = run(find(pager, 'restart'), { type: 'find-next' }, { type: 'find-open' }, { type: 'find-run' });
    expect(again.query).toBe('restart');
    expect(again.prompt).toBeUndefined();
  });

  it('edits and cancels the prompt', () => {
    const typing = run(pager, { type: 'find-open' }, { type: 'find-type', text: 'ab' }, { type: 'find-erase' });
    expect(typing.prompt).toBe('a');
    expect(run(typing, { type: 'find-clear' }).prompt).toBe('');
    expect(run(typing, { type: 'find-cancel' }).prompt).toBeUndefined();
    expect(run(typing, { type: 'find-erase' }, { type: 'find-erase' }).prompt).toBeUndefined();
  });

  it('highlights the matches on screen, the current one differently', () => {
    const found = find(pager, 'restart');
    const rows = visibleRows(found, { match: '[m]', current: '[c]' });
    expect(rows[1]).toBe('[c]restart\u001b[0m the agent');
    expect(rows[3]).toBe('[m]Restart\u001b[0m again; [m]restart\u001b[0m');
    expect(rows[0]).toBe('intro');
  });

  it('keeps the current match in view after the text is rewrapped', () => {
    const last = run(find(pager, 'restart'), { type: 'find-prev' });
    const rewrapped = run(last, { type: 'set-lines', lines: ['restart', ...lines(80), 'restart'] });
    expect(rewrapped.matches).toHaveLength(2);
    expect(visibleLines(rewrapped)).toContain('restart');
  });
});

describe('pagerKey', () => {
  const pager = createPager(lines(100), 10);

  it('maps the less-like keys', () => {
    expect(pagerKey(pager, key('down'))).toEqual({ type: 'scroll', by: 1 });
    expect(pagerKey(pager, char('j'))).toEqual({ type: 'scroll', by: 1 });
    expect(pagerKey(pager, key('up'))).toEqual({ type: 'scroll', by: -1 });
    expect(pagerKey(pager, char('k'))).toEqual({ type: 'scroll', by: -1 });
    expect(pagerKey(pager, key('pagedown'))).toEqual({ type: 'page', by: 1 });
    expect(pagerKey(pager, char(' '))).toEqual({ type: 'page', by: 1 });
    expect(pagerKey(pager, key('pageup'))).toEqual({ type: 'page', by: -1 });
    expect(pagerKey(pager, char('b'))).toEqual({ type: 'page', by: -1 });
    expect(pagerKey(pager, ctrl('d'))).toEqual({ type: 'scroll', by: 5 });
    expect(pagerKey(pager, char('g'))).toEqual({ type: 'top' });
    expect(pagerKey(pager, char('G'))).toEqual({ type: 'bottom' });
    expect(pagerKey(pager, char('/'))).toEqual({ type: 'find-open' });
    expect(pagerKey(pager, char('n'))).toEqual({ type: 'find-next' });
    expect(pagerKey(pager, char('N'))).toEqual({ type: 'find-prev' });
    expect(pagerKey(pager, char('x'))).toBeUndefined();
  });

  it('sends every key to the open find prompt', () => {
    const prompting = run(pager, { type: 'find-open' });
    expect(pagerKey(prompting, char('j'))).toEqual({ type: 'find-type', text: 'j' });
    expect(pagerKey(prompting, char('G'))).toEqual({ type: 'find-type', text: 'G' });
    expect(pagerKey(prompting, key('enter'))).toEqual({ type: 'find-run' });
    expect(pagerKey(prompting, key('escape'))).toEqual({ type: 'find-cancel' });
    expect(pagerKey(prompting, key('backspace'))).toEqual({ type: 'find-erase' });
    expect(pagerKey(prompting, ctrl('u'))).toEqual({ type: 'find-clear' });
  });
});
