import type { KbHead } from '../kb/head.js';
import { markTerms } from './ansi.js';
import { articleFrame, searchFrame, type ArticleStatus, type FrameLines } from './frames.js';
import { fitHints, guideLayout, type GuideLayout } from './guide-layout.js';
import { currentArticle, initialGuideState, type ArticleView, type GuideState, type ResultHit } from './guide-state.js';
import { positionLabel, visibleRows } from './pager-state.js';
import { fitText } from './spans.js';

/**
 * The guide's screens as frames: what GuideApp shows for a state, and the first frame drawn before ink has
 * loaded (the same function, on the same initial state).
 */

const SEARCH_HINTS = ['type to search', '↑↓ Tab move', 'Enter open', 'Esc quit', 'Ctrl-U clear'];
const ARTICLE_HINTS = ['↑↓ j/k scroll', 'Space/b page', 'g/G top/end', '/ find', 'Tab related', 'Esc back'];
const HIGHLIGHT = {
  color: { match: '\u001b[7m', current: '\u001b[30;43m' },
  plain: { match: '\u001b[4m', current: '\u001b[7m' },
};

/** What a result row shows: the title, and the text under it (the summary, or where the body matched). */
export type DescribeHit = (hit: ResultHit, width: number) => { title: string; text: string } | undefined;

export interface GuideFrameContext {
  layout: GuideLayout;
  /** Number of articles in the guide. */
  total: number;
  describe: DescribeHit;
  /** Title of an open article. */
  titleOf: (id: string) => string;
  color: boolean;
  /** A one-off message for the status line. */
  hint: string | undefined;
  /** The id of an article being opened. */
  loading: string | undefined;
}

function articleStatus(view: ArticleView, context: GuideFrameContext): ArticleStatus {
  if (view.pager.prompt !== undefined) return { kind: 'prompt', text: view.pager.prompt };
  if (context.loading) return { kind: 'text', text: `Opening ${context.loading}…` };
  if (context.hint) return { kind: 'text', text: context.hint };
  if (view.pager.message) return { kind: 'text', text: view.pager.matches.length > 0 ? `${view.pager.message}  n/N next/previous  / new find` : view.pager.message };
  return { kind: 'text', text: fitHints(ARTICLE_HINTS, context.layout.columns) };
}

/** The frame for a guide state: the open article, or the search screen. */
export function guideFrame(state: GuideState, context: GuideFrameContext): FrameLines {
  const { layout } = context;
  const view = currentArticle(state);
  if (view) {
    return articleFrame({
      width: layout.columns,
      height: layout.frameRows,
      title: context.titleOf(view.id),
      position: positionLabel(view.pager),
      lines: visibleRows(view.pager, context.color ? HIGHLIGHT.color : HIGHLIGHT.plain),
      pagerHeight: layout.pagerHeight,
      related: view.related.map((id, index) => ({ id, selected: index === view.relatedIndex })),
      status: articleStatus(view, context),
    });
  }
  const count = state.query.trim() === '' ? `${state.results.length} articles` : `${state.results.length} of ${context.total}`;
  const rows = state.results.slice(state.listTop, state.listTop + state.listRows).flatMap((hit, offset) => {
    const shown = context.describe(hit, layout.columns);
    if (!shown) return [];
    return [{ id: hit.id, title: shown.title, snippet: markTerms(fitText(shown.text, layout.columns - 5), hit.terms), selected: state.listTop + offset === state.selected }];
  });
  return searchFrame({
    width: layout.columns,
    height: layout.frameRows,
    query: state.query,
    placeholder: `type to search ${context.total} articles`,
    rows,
    empty: `No article matches "${state.query}". Fewer or other words may help; Ctrl-U clears.`,
    status: context.loading ? `Opening ${context.loading}…` : (context.hint ?? fitHints(SEARCH_HINTS, layout.columns - count.length - 2)),
    count,
    color: context.color,
  });
}

/** The guide as it opens: an empty search box over the list of articles, for a terminal of this size. */
export function firstGuideFrame(head: KbHead, columns: number, rows: number, color: boolean): FrameLines {
  const layout = guideLayout(columns, rows);
  const byId = new Map(head.articles.map((article) => [article.id, article]));
  const state = initialGuideState(() => head.articles.map((article) => ({ id: article.id, terms: [] })), layout);
  // The list says how many articles there are, also when the head holds only the first ones.
  const counted = { ...state, results: Array.from({ length: head.count }, (_, index) => state.results[index] ?? { id: '', terms: [] }) };
  return guideFrame(counted, {
    layout,
    total: head.count,
    describe: (hit) => {
      const article = byId.get(hit.id);
      return article && { title: article.title, text: article.summary };
    },
    titleOf: (id) => id,
    color,
    hint: undefined,
    loading: undefined,
  });
}
