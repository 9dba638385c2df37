import { isChar, isCtrl, isTypedText, type KeyPress } from './keys.js';
import { createPager, pagerKey, pagerReducer, type PagerAction, type PagerState } from './pager-state.js';

/**
 * The interactive guide as data: the search screen (query, results, selection) and a stack of open
 * articles, each with its pager. guideKey() turns a key press into a command; guideReducer() applies the
 * commands that only change state. Opening an article needs rendering (async, lazily loaded), so that is
 * a command for the caller, which then dispatches `push` with the rendered lines.
 */

export interface ResultHit {
  readonly id: string;
  /** Matched terms, for highlighting snippets (empty when listing everything). */
  readonly terms: readonly string[];
}

export type SearchFn = (query: string) => readonly ResultHit[];

/** The part of Kb the guide searches. */
export interface SearchableKb {
  readonly articles: readonly { readonly id: string }[];
  search(query: string, limit?: number): { id: string; terms: string[] }[];
}

export const RESULT_LIMIT = 50;

/** Full-text search as you type; an empty query lists every article in guide order. */
export function searchArticles(kb: SearchableKb, query: string): readonly ResultHit[] {
  if (query.trim() === '') return kb.articles.map((article) => ({ id: article.id, terms: [] }));
  return kb.search(query, RESULT_LIMIT).map((hit) => ({ id: hit.id, terms: hit.terms }));
}

export interface ArticleView {
  readonly id: string;
  readonly pager: PagerState;
  /** Ids of related articles that exist. */
  readonly related: readonly string[];
  /** The related article Tab has selected; -1 before the first Tab. */
  readonly relatedIndex: number;
}

export interface GuideState {
  readonly query: string;
  readonly results: readonly ResultHit[];
  readonly selected: number;
  /** First visible result. */
  readonly listTop: number;
  readonly listRows: number;
  readonly pagerHeight: number;
  /** Open articles, the one on screen last; empty on the search screen. */
  readonly stack: readonly ArticleView[];
}

export type GuideAction =
  | { type: 'query'; query: string }
  | { type: 'select'; by: number }
  | { type: 'select-edge'; edge: 'first' | 'last' }
  | { type: 'layout'; listRows: number; pagerHeight: number }
  | { type: 'push'; id: string; lines: readonly string[]; related: readonly string[] }
  | { type: 'pop' }
  | { type: 'pager'; action: PagerAction }
  | { type: 'related'; by: number }
  /** New rendered lines for the article at `index` in the stack (after a width change). */
  | { type: 'rewrap'; index: number; lines: readonly string[] };

export type GuideCommand =
  | { type: 'dispatch'; action: GuideAction }
  | { type: 'open'; id: string }
  | { type: 'quit' }
  /** A key that means nothing here; the status line may say so. */
  | { type: 'hint'; text: string };

export function initialGuideState(search: SearchFn, layout: { listRows: number; pagerHeight: number }): GuideState {
  return { query: '', results: search(''), selected: 0, listTop: 0, listRows: layout.listRows, pagerHeight: layout.pagerHeight, stack: [] };
}

export function currentArticle(state: GuideState): ArticleView | undefined {
  return state.stack[state.stack.length - 1];
}

/** Keeps the selection on screen. */
function scrollList(state: GuideState, selected: number): GuideState {
  const last = Math.max(0, state.results.length - 1);
  const clamped = Math.min(Math.max(0, selected), last);
  let listTop = Math.min(state.listTop, clamped);
  if (clamped >= listTop + state.listRows) listTop = clamped - state.listRows + 1;
  listTop = Math.min(Math.max(0, listTop), Math.max(0, state.results.length - state.listRows));
  return { ...state, selected: clamped, listTop };
}

function updateTop(state: GuideState, update: (view: ArticleView) => ArticleView): GuideState {
  const view = currentArticle(state);
  if (!view) return state;
  return { ...state, stack: [...state.stack.slice(0, -1), update(view)] };
}

export function createGuideReducer(search: SearchFn): (state: GuideState, action: GuideAction) => GuideState {
  return (state, action) => {
    switch (action.type) {
      case 'query':
        if (action.query === state.query) return state;
        return { ...state, query: action.query, results: search(action.query), selected: 0, listTop: 0 };
      case 'select':
        return scrollList(state, state.selected + action.by);
      case 'select-edge':
        return scrollList(state, action.edge === 'first' ? 0 : state.results.length - 1);
      case 'layout': {
        const resized = { ...state, listRows: Math.max(1, action.listRows), pagerHeight: action.pagerHeight };
        const stack = resized.stack.map((view) => ({ ...view, pager: pagerReducer(view.pager, { type: 'resize', height: action.pagerHeight }) }));
        return scrollList({ ...resized, stack }, resized.selected);
      }
      case 'push':
        return { ...state, stack: [...state.stack, { id: action.id, pager: createPager(action.lines, state.pagerHeight), related: action.related, relatedIndex: -1 }] };
      case 'pop':
        return { ...state, stack: state.stack.slice(0, -1) };
      case 'pager':
        return updateTop(state, (view) => ({ ...view, pager: pagerReducer(view.pager, action.action) }));
      case 'related':
        return updateTop(state, (view) => {
          const count = view.related.length;
          if (count === 0) return view;
          const from = view.relatedIndex < 0 && action.by < 0 ? 0 : view.relatedIndex;
          return { ...view, relatedIndex: (((from + action.by) % count) + count) % count };
        });
      case 'rewrap': {
        const view = state.stack[action.index];
        if (!view) return state;
        const stack = [...state.stack];
        stack[action.index] = { ...view, pager: pagerReducer(view.pager, { type: 'set-lines', lines: action.lines }) };
        return { ...state, stack };
      }
    }
  };
}

const dispatch = (action: GuideAction): GuideCommand => ({ type: 'dispatch', action });

function searchKey(state: GuideState, press: KeyPress): GuideCommand | undefined {
  if (press.name === 'escape') return { type: 'quit' };
  if (press.name === 'enter') {
    const hit = state.results[state.selected];
    return hit ? { type: 'open', id: hit.id } : { type: 'hint', text: 'no article matches; change the search' };
  }
  if (press.name === 'up' || isCtrl(press, 'p') || (press.name === 'tab' && press.shift)) return dispatch({ type: 'select', by: -1 });
  if (press.name === 'down' || isCtrl(press, 'n') || press.name === 'tab') return dispatch({ type: 'select', by: 1 });
  if (press.name === 'pageup') return dispatch({ type: 'select', by: -state.listRows });
  if (press.name === 'pagedown') return dispatch({ type: 'select', by: state.listRows });
  if (press.name === 'home') return dispatch({ type: 'select-edge', edge: 'first' });
  if (press.name === 'end') return dispatch({ type: 'select-edge', edge: 'last' });
  if (press.name === 'backspace') return dispatch({ type: 'query', query: state.query.slice(0, -1) });
  if (isCtrl(press, 'u')) return dispatch({ type: 'query', query: '' });
  if (isCtrl(press, 'w')) return dispatch({ type: 'query', query: state.query.replace(/\S*\s*$/, '') });
  // Letters (q included) always go to the search box; pasted text arrives as one press.
  if (isTypedText(press)) return dispatch({ type: 'query', query: state.query + press.text.replace(/[\r\n\t]+/g, ' ') });
  return undefined;
}

function articleKey(view: ArticleView, press: KeyPress): GuideCommand | undefined {
  // While the find prompt is open every key belongs to it (Esc closes it, q is a letter).
  if (view.pager.prompt !== undefined) {
    const action = pagerKey(view.pager, press);
    return action ? dispatch({ type: 'pager', action }) : undefined;
  }
  if (press.name === 'escape' || isChar(press, 'q')) return dispatch({ type: 'pop' });
  if (press.name === 'tab') return dispatch({ type: 'related', by: press.shift ? -1 : 1 });
  if (press.name === 'enter') {
    const id = view.related[view.relatedIndex];
    if (id) return { type: 'open', id };
    return { type: 'hint', text: view.related.length > 0 ? 'press Tab to choose a related article, then Enter' : 'this article lists no related articles' };
  }
  if (press.name === 'char' && !press.ctrl && /^[1-9]$/.test(press.text)) {
    const id = view.related[Number(press.text) - 1];
    return id ? { type: 'open', id } : { type: 'hint', text: `there is no related article ${press.text}` };
  }
  const action = pagerKey(view.pager, press);
  return action ? dispatch({ type: 'pager', action }) : undefined;
}

/** What a key press means on the current screen. Ctrl-C is handled before this (it always quits). */
export function guideKey(state: GuideState, press: KeyPress): GuideCommand | undefined {
  const view = currentArticle(state);
  return view ? articleKey(view, press) : searchKey(state, press);
}
