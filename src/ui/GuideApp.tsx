import { useApp } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Kb } from '../kb/kb.js';
import { snippet, truncate } from '../kb/search.js';
import type { Article } from '../kb/types.js';
import { markTerms } from './ansi.js';
import { ArticleScreen, type ArticleStatus } from './ArticleScreen.js';
import { fitHints, guideLayout } from './guide-layout.js';
import { createGuideReducer, currentArticle, guideKey, initialGuideState, searchArticles, type ArticleView, type GuideState } from './guide-state.js';
import { positionLabel, visibleRows } from './pager-state.js';
import { SearchScreen, type ResultRow } from './SearchScreen.js';
import { useKeys } from './use-keys.js';
import { useLatest } from './use-latest.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Renders an article for the terminal (src/kb/render.ts's renderArticle, loaded lazily). */
export type ArticleRenderer = (article: Article, options: { width: number; color: boolean }) => string;

export interface GuideAppProps {
  kb: Kb;
  color: boolean;
  /** Loads the renderer the first time an article opens (marked-terminal costs ~100 ms to import). */
  loadRenderer: () => Promise<ArticleRenderer>;
}

/** The guide exits with 'done' (Esc from the results); Ctrl-C makes ink exit with undefined. */
export type GuideResult = 'done';

const SEARCH_HINTS = ['type to search', '↑↓ Tab move', 'Enter open', 'Esc quit', 'Ctrl-U clear'];
const ARTICLE_HINTS = ['↑↓ j/k scroll', 'Space/b page', 'g/G top/end', '/ find', 'Tab related', 'Esc back'];
const HIGHLIGHT = {
  color: { match: '\u001b[7m', current: '\u001b[30;43m' },
  plain: { match: '\u001b[4m', current: '\u001b[7m' },
};

function renderLines(render: ArticleRenderer, article: Article, width: number, color: boolean): string[] {
  return render(article, { width, color }).split('\n');
}

/** The body without its leading "# Title" line: the result list shows the title already. */
function searchRows(kb: Kb, state: GuideState, width: number): ResultRow[] {
  return state.results.slice(state.listTop, state.listTop + state.listRows).flatMap((hit, offset) => {
    const article = kb.get(hit.id);
    if (!article) return [];
    // The summary says most when the title already matched; otherwise show where the body matched.
    const titleMatched = hit.terms.length === 0 || hit.terms.some((term) => article.title.toLowerCase().includes(term.toLowerCase()));
    const text = titleMatched ? article.summary : snippet(article, hit.terms, width - 6);
    return [{ id: hit.id, title: article.title, snippet: markTerms(truncate(text, width - 5), hit.terms), selected: state.listTop + offset === state.selected }];
  });
}

function articleStatus(view: ArticleView, hint: string | undefined, loading: string | undefined, width: number): ArticleStatus {
  if (view.pager.prompt !== undefined) return { kind: 'prompt', text: view.pager.prompt };
  if (loading) return { kind: 'text', text: `Opening ${loading}…` };
  if (hint) return { kind: 'text', text: hint };
  if (view.pager.message) return { kind: 'text', text: view.pager.matches.length > 0 ? `${view.pager.message}  n/N next/previous  / new find` : view.pager.message };
  return { kind: 'text', text: fitHints(ARTICLE_HINTS, width) };
}

/** The interactive guide: wires the guide reducer to ink's input, the terminal size and lazy rendering. */
export function GuideApp({ kb, color, loadRenderer }: GuideAppProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const layout = guideLayout(size.columns, size.rows);
  const search = useCallback((query: string) => searchArticles(kb, query), [kb]);
  const reducer = useMemo(() => createGuideReducer(search), [search]);
  const [state, dispatch] = useReducer(reducer, undefined, () => initialGuideState(search, layout));
  const [hint, setHint] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState<string | undefined>(undefined);
  const renderer = useRef<ArticleRenderer | undefined>(undefined);
  const renderedWidth = useRef(layout.contentWidth);
  const latest = useLatest(state);
  const isLoading = useLatest(loading);

  useEffect(() => {
    dispatch({ type: 'layout', listRows: layout.listRows, pagerHeight: layout.pagerHeight });
  }, [layout.listRows, layout.pagerHeight]);

  // A new width rewraps every open article (the pager keeps its place in the text).
  useEffect(() => {
    const render = renderer.current;
    if (renderedWidth.current === layout.contentWidth || !render) return;
    renderedWidth.current = layout.contentWidth;
    latest.current.stack.forEach((view, index) => {
      const article = kb.get(view.id);
      if (article) dispatch({ type: 'rewrap', index, lines: renderLines(render, article, layout.contentWidth, color) });
    });
  }, [kb, color, layout.contentWidth, latest]);

  const open = useCallback(
    async (id: string) => {
      const article = kb.get(id);
      if (!article) {
        setHint(`there is no article ${id}`);
        return;
      }
      isLoading.current = id;
      setLoading(id);
      try {
        renderer.current ??= await loadRenderer();
        renderedWidth.current = layout.contentWidth;
        const related = article.related.filter((other) => kb.get(other) !== undefined);
        dispatch({ type: 'push', id, lines: renderLines(renderer.current, article, layout.contentWidth, color), related });
      } catch (error) {
        setHint(`could not open ${id}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        isLoading.current = undefined;
        setLoading(undefined);
      }
    },
    [kb, color, loadRenderer, layout.contentWidth, isLoading],
  );

  useKeys((presses) => {
    // Keys typed while the first article's renderer loads (~0.1 s) would act on the wrong screen.
    if (isLoading.current) return;
    setHint(undefined);
    // The keys of one chunk go through the reducer here too, so each sees the state the one before left.
    let current = latest.current;
    for (const press of presses) {
      const command = guideKey(current, press);
      if (!command) continue;
      if (command.type === 'dispatch') {
        current = reducer(current, command.action);
        latest.current = current;
        dispatch(command.action);
      } else if (command.type === 'hint') {
        setHint(command.text);
      } else {
        // Opening and quitting change the screen: the rest of the chunk was meant for this one.
        if (command.type === 'quit') exit('done' satisfies GuideResult);
        else void open(command.id);
        return;
      }
    }
  });

  const view = currentArticle(state);
  if (view) {
    const article = kb.get(view.id);
    return (
      <ArticleScreen
        width={layout.columns}
        height={layout.frameRows}
        title={article?.title ?? view.id}
        position={positionLabel(view.pager)}
        lines={visibleRows(view.pager, color ? HIGHLIGHT.color : HIGHLIGHT.plain)}
        pagerHeight={layout.pagerHeight}
        related={view.related.map((id, index) => ({ id, selected: index === view.relatedIndex }))}
        status={articleStatus(view, hint, loading, layout.columns)}
      />
    );
  }
  const count = state.query.trim() === '' ? `${state.results.length} articles` : `${state.results.length} of ${kb.articles.length}`;
  return (
    <SearchScreen
      width={layout.columns}
      height={layout.frameRows}
      query={state.query}
      placeholder={`type to search ${kb.articles.length} articles`}
      rows={searchRows(kb, state, layout.columns)}
      empty={`No article matches "${state.query}". Fewer or other words may help; Ctrl-U clears.`}
      status={loading ? `Opening ${loading}…` : (hint ?? fitHints(SEARCH_HINTS, layout.columns - count.length - 2))}
      count={count}
      color={color}
    />
  );
}
