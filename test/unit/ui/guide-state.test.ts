import { describe, expect, it } from 'vitest';
import { Kb } from '../../../src/kb/kb.js';
import type { Article } from '../../../src/kb/types.js';
import { createGuideReducer, currentArticle, guideKey, initialGuideState, searchArticles, type GuideAction, type GuideCommand, type GuideState } from '../../../src/ui/guide-state.js';
import { char, ctrl, key, type KeyPress } from '../../../src/ui/keys.js';

function article(id: string, title: string, body: string, related: string[] = []): Article {
  return { id, title, summary: `${title}.`, tags: [], aliases: [], causes: [], related, rules: [], body };
}

const kb = new Kb([
  article('agent-missing-credentials', 'Agent log: Missing credentials', 'The agent has no credentials. Attach an instance profile.', ['instance-profile-roles', 'agent-logs']),
  article('instance-profile-roles', 'Service role, instance role and instance profile', 'Who assumes what.'),
  article('agent-logs', 'Reading the agent logs', 'Where the agent writes its log.'),
  ...Array.from({ length: 12 }, (_, index) => article(`filler-${index}`, `Filler article ${index}`, 'Unrelated text about appspec files.')),
]);
const search = (query: string) => searchArticles(kb, query);
const reducer = createGuideReducer(search);
const start = () => initialGuideState(search, { listRows: 5, pagerHeight: 10 });
const apply = (state: GuideState, ...actions: GuideAction[]) => actions.reduce(reducer, state);

/** Presses keys the way GuideApp does: state-only commands are applied, the last other command is returned. */
function press(state: GuideState, ...keys: KeyPress[]): { state: GuideState; command: GuideCommand | undefined } {
  let command: GuideCommand | undefined;
  for (const pressed of keys) {
    command = guideKey(state, pressed);
    if (command?.type === 'dispatch') state = reducer(state, command.action);
  }
  return { state, command };
}
const typed = (text: string) => [...text].map(char);
const open = (state: GuideState, id: string) => apply(state, { type: 'push', id, lines: Array.from({ length: 30 }, (_, index) => `${id} line ${index + 1}`), related: kb.get(id)?.related ?? [] });

describe('searchArticles', () => {
  it('lists every article in guide order for an empty query', () => {
    expect(search('   ').map((hit) => hit.id)).toEqual(kb.articles.map((entry) => entry.id));
  });

  it('ranks a partial, as-you-type query with the matching article first', () => {
    expect(search('missing cred')[0]?.id).toBe('agent-missing-credentials');
    expect(search('missing cred')[0]?.terms.length).toBeGreaterThan(0);
  });
});

describe('the search screen', () => {
  it('sends every letter, q included, to the search box and searches as you type', () => {
    const { state } = press(start(), ...typed('quit missing cred'));
    expect(state.query).toBe('quit missing cred');
    expect(state.results[0]?.id).toBe('agent-missing-credentials');
  });

  it('edits the query with Backspace, Ctrl-W and Ctrl-U', () => {
    const { state } = press(start(), ...typed('agent logs'), key('backspace'));
    expect(state.query).toBe('agent log');
    expect(press(state, ctrl('w')).state.query).toBe('agent ');
    expect(press(state, ctrl('u')).state.query).toBe('');
    expect(press(state, ctrl('u')).state.results).toHaveLength(kb.articles.length);
  });

  it('moves the selection with arrows, Tab and Ctrl-N/P, clamped, keeping it on screen', () => {
    const s0 = start();
    expect(press(s0, key('down')).state.selected).toBe(1);
    expect(press(s0, key('tab'), ctrl('n')).state.selected).toBe(2);
    expect(press(s0, key('down'), ctrl('p')).state.selected).toBe(0);
    expect(press(s0, key('up')).state.selected).toBe(0);
    const far = press(s0, ...Array.from({ length: 7 }, () => key('down'))).state;
    expect(far.selected).toBe(7);
    expect(far.listTop).toBe(3);
    expect(press(s0, key('end')).state.selected).toBe(kb.articles.length - 1);
    expect(press(s0, key('pagedown')).state.selected).toBe(5);
  });

  it('starts the selection over when the query changes', () => {
    const moved = press(start(), key('down'), key('down')).state;
    expect(press(moved, char('a')).state.selected).toBe(0);
  });

  it('opens the selected result on Enter and quits on Esc', () => {
    const { state } = press(start(), ...typed('agent logs'));
    expect(guideKey(state, key('enter'))).toEqual({ type: 'open', id: state.results[0]?.id });
    expect(guideKey(state, key('escape'))).toEqual({ type: 'quit' });
    const none = press(start(), ...typed('zzzzqqq')).state;
    expect(none.results).toEqual([]);
    expect(guideKey(none, key('enter'))?.type).toBe('hint');
  });

  it('keeps the selection visible when the list gets shorter', () => {
    const far = press(start(), key('end')).state;
    const resized = apply(far, { type: 'layout', listRows: 3, pagerHeight: 10 });
    expect(resized.listTop).toBe(kb.articles.length - 3);
  });
});

describe('the article screen', () => {
  const reading = open(start(), 'agent-missing-credentials');

  it('shows the pushed article with its related ids and no related selection yet', () => {
    expect(currentArticle(reading)?.id).toBe('agent-missing-credentials');
    expect(currentArticle(reading)?.related).toEqual(['instance-profile-roles', 'agent-logs']);
    expect(currentArticle(reading)?.relatedIndex).toBe(-1);
  });

  it('scrolls the pager with j, Space and G', () => {
    expect(currentArticle(press(reading, char('j')).state)?.pager.top).toBe(1);
    expect(currentArticle(press(reading, char(' ')).state)?.pager.top).toBe(9);
    expect(currentArticle(press(reading, char('G')).state)?.pager.top).toBe(20);
  });

  it('cycles related articles with Tab and Shift-Tab, and Enter opens the selected one', () => {
    const first = press(reading, key('tab')).state;
    expect(currentArticle(first)?.relatedIndex).toBe(0);
    expect(guideKey(first, key('enter'))).toEqual({ type: 'open', id: 'instance-profile-roles' });
    expect(currentArticle(press(first, key('tab'), key('tab')).state)?.relatedIndex).toBe(0);
    expect(currentArticle(press(reading, key('tab', { shift: true })).state)?.relatedIndex).toBe(1);
    expect(guideKey(reading, key('enter'))).toEqual({ type: 'hint', text: 'press Tab to choose a related article, then Enter' });
    expect(guideKey(reading, char('2'))).toEqual({ type: 'open', id: 'agent-logs' });
    expect(guideKey(reading, char('3'))?.type).toBe('hint');
  });

  it('goes back through opened articles with Esc and q, then to the results', () => {
    const deeper = open(reading, 'agent-logs');
    const back = press(deeper, key('escape')).state;
    expect(currentArticle(back)?.id).toBe('agent-missing-credentials');
    const results = press(back, char('q')).state;
    expect(currentArticle(results)).toBeUndefined();
    expect(guideKey(results, char('q'))).toEqual({ type: 'dispatch', action: { type: 'query', query: 'q' } });
  });

  it('keeps q and Esc for the find prompt while it is open', () => {
    const prompting = press(reading, char('/'), char('q')).state;
    expect(currentArticle(prompting)?.pager.prompt).toBe('q');
    const cancelled = press(prompting, key('escape')).state;
    expect(currentArticle(cancelled)?.id).toBe('agent-missing-credentials');
    expect(currentArticle(cancelled)?.pager.prompt).toBeUndefined();
  });

  it('finds text and steps through matches', () => {
    const found = press(reading, char('/'), ...typed('line 2'), key('enter'), char('n')).state;
    const pager = currentArticle(found)?.pager;
    expect(pager?.matches.length).toBe(11); // "line 2" and "line 20"…"line 29"
    expect(pager?.message).toBe('match 2/11');
  });

  it('resizes every open pager and rewraps one article', () => {
    const two = open(reading, 'agent-logs');
    const resized = apply(two, { type: 'layout', listRows: 5, pagerHeight: 4 });
    expect(resized.stack.map((view) => view.pager.height)).toEqual([4, 4]);
    const rewrapped = apply(resized, { type: 'rewrap', index: 0, lines: ['a', 'b'] });
    expect(rewrapped.stack[0]?.pager.lines).toEqual(['a', 'b']);
    expect(rewrapped.stack[1]?.pager.lines).toHaveLength(30);
  });
});
