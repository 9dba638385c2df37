import { describe, expect, it } from 'vitest';
import { barText, fitHints, fitWindow, guideLayout } from '../../../src/ui/guide-layout.js';
import { char, ctrl, key, toKeyPress, toKeyPresses, type InkKeyLike } from '../../../src/ui/keys.js';
import { menuKey, type MenuItem } from '../../../src/ui/menu-state.js';

const NO_KEY: InkKeyLike = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, shift: false, meta: false,
};

describe('toKeyPress', () => {
  it('names special keys and keeps characters', () => {
    expect(toKeyPress('', { ...NO_KEY, downArrow: true })).toEqual(key('down'));
    expect(toKeyPress('', { ...NO_KEY, return: true })).toEqual(key('enter'));
    expect(toKeyPress('', { ...NO_KEY, escape: true, meta: true })).toEqual(key('escape'));
    expect(toKeyPress('', { ...NO_KEY, tab: true, shift: true })).toEqual(key('tab', { shift: true }));
    expect(toKeyPress('q', NO_KEY)).toEqual(char('q'));
    expect(toKeyPress('n', { ...NO_KEY, ctrl: true })).toEqual(ctrl('n'));
  });

  it('treats DEL (what the Backspace key sends) as backspace', () => {
    expect(toKeyPress('', { ...NO_KEY, delete: true })).toEqual(key('backspace'));
  });
});

describe('toKeyPresses', () => {
  it('splits a chunk of keys that arrived together back into keys', () => {
    expect(toKeyPresses('nt\u0003', NO_KEY)).toEqual([char('n'), char('t'), ctrl('c')]);
    expect(toKeyPresses('pec\r', NO_KEY)).toEqual([char('p'), char('e'), char('c'), key('enter')]);
    expect(toKeyPresses('a\u007f\t', NO_KEY)).toEqual([char('a'), key('backspace'), key('tab')]);
  });

  it('leaves single keys and named keys alone', () => {
    expect(toKeyPresses('q', NO_KEY)).toEqual([char('q')]);
    expect(toKeyPresses('', { ...NO_KEY, upArrow: true })).toEqual([key('up')]);
    expect(toKeyPresses('c', { ...NO_KEY, ctrl: true })).toEqual([ctrl('c')]);
  });
});

describe('menuKey', () => {
  const items: MenuItem<'a' | 'b' | 'c'>[] = [
    { value: 'a', label: 'A', description: '' },
    { value: 'b', label: 'B', description: '' },
    { value: 'c', label: 'C', description: '' },
  ];

  it('moves with wrap-around, chooses with Enter or a digit, cancels with q or Esc', () => {
    expect(menuKey(items, { selected: 0 }, key('down'))).toEqual({ type: 'move', to: 1 });
    expect(menuKey(items, { selected: 0 }, key('up'))).toEqual({ type: 'move', to: 2 });
    expect(menuKey(items, { selected: 2 }, char('j'))).toEqual({ type: 'move', to: 0 });
    expect(menuKey(items, { selected: 1 }, key('enter'))).toEqual({ type: 'choose', value: 'b' });
    expect(menuKey(items, { selected: 0 }, char('3'))).toEqual({ type: 'choose', value: 'c' });
    expect(menuKey(items, { selected: 0 }, char('4'))).toBeUndefined();
    expect(menuKey(items, { selected: 0 }, char('q'))).toEqual({ type: 'cancel' });
    expect(menuKey(items, { selected: 0 }, key('escape'))).toEqual({ type: 'cancel' });
    expect(menuKey(items, { selected: 0 }, char('x'))).toBeUndefined();
  });
});

describe('guideLayout', () => {
  it('fits 80×24 with one spare row', () => {
    expect(guideLayout(80, 24)).toEqual({ columns: 80, rows: 24, frameRows: 23, listRows: 9, pagerHeight: 20, contentWidth: 79 });
  });

  it('stays usable in a tiny terminal', () => {
    const tiny = guideLayout(10, 3);
    expect(tiny.listRows).toBeGreaterThanOrEqual(1);
    expect(tiny.pagerHeight).toBeGreaterThanOrEqual(1);
    expect(tiny.columns).toBe(20);
  });
});

describe('fitHints and barText', () => {
  it('keeps whole hints that fit, in order', () => {
    expect(fitHints(['one', 'two', 'three'], 8)).toBe('one  two');
    expect(fitHints(['one', 'two', 'three'], 2)).toBe('');
  });

  it('pads to the exact width and cuts the left side first', () => {
    expect(barText('title', 'pos', 12)).toBe('title    pos');
    expect(barText('a long title', 'pos', 10)).toBe('a lon… pos');
    expect(barText('a long title', 'pos', 10)).toHaveLength(10);
  });
});

describe('fitWindow', () => {
  it('shows items from the left while the selection fits', () => {
    expect(fitWindow([5, 5, 5, 5], -1, 12)).toEqual({ start: 0, end: 2 });
    expect(fitWindow([5, 5, 5, 5], 1, 12)).toEqual({ start: 0, end: 2 });
  });

  it('scrolls right just enough to show the selection', () => {
    expect(fitWindow([5, 5, 5, 5], 3, 12)).toEqual({ start: 2, end: 4 });
  });

  it('always shows at least the selected item', () => {
    expect(fitWindow([50, 50], 1, 10)).toEqual({ start: 1, end: 2 });
  });
});
