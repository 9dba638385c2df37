import { useApp } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Kb } from '../kb/kb.js';
import { snippet } from '../kb/search.js';
import type { Article } from '../kb/types.js';
import { Frame } from './Frame.js';
import { guideFrame, type DescribeHit } from './guide-frame.js';
import { guideLayout } from './guide-layout.js';
import { createGuideReducer, guideKey, initialGuideState, searchArticles, type GuideAction, type GuideState } from './guide-state.js';
import { useKeys } from './use-keys.js';
import { useLatest } from './use-latest.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Renders an article for the terminal (src/kb/render.ts's renderArticle, loaded lazily). */
export type ArticleRenderer = (article: Article, options: { width: number; color: boolean }) => string;

export interface GuideAppProps {
  kb: Kb;
  color: boolean;
  /** Loads the renderer the first time an article opens (it is imported lazily). */
  loadRenderer: () => Promise<ArticleRenderer>;
  /**
   * Open this article at once, with this (already loaded) renderer: `guide --show` on a terminal. Leaving the
   * article then leaves the guide, as leaving a pager does.
   */
  start?: { id: string; renderer: ArticleRenderer };
}

/** The article as the guide's first screen, with the search screen under it. */
function startState(kb: Kb, state: GuideState, reducer: (state: GuideState, action: GuideAction) => GuideState, start: GuideAppProps['start'], width: number, color: boolean): GuideState {
  const article = start && kb.get(start.id);
  if (!start || !article) return state;
  return reducer(state, { type: 'push', id: article.id, lines: renderLines(start.renderer, article, width, color), related: relatedOf(kb, article) });
}

function relatedOf(kb: Kb, article: Article): string[] {
  return article.related.filter((other) => kb.get(other) !== undefined);
}

/** The guide exits with 'done' (Esc from the results); Ctrl-C makes ink exit with undefined. */
export type GuideResult = 'done';

function renderLines(render: ArticleRenderer, article: Article, width: number, color: boolean): string[] {
  return render(article, { width, color }).split('\n');
}

/** A result shows its summary when the title already matched; otherwise where the body matched. */
function describeWith(kb: Kb): DescribeHit {
  return (hit, width) => {
    const article = kb.get(hit.id);
    if (!article) return undefined;
    const titleMatched = hit.terms.length === 0 || hit.terms.some((term) => article.title.toLowerCase().includes(term.toLowerCase()));
    return { title: article.title, text: titleMatched ? article.summary : snippet(article, hit.terms, width - 6) };
  };
}

/** The interactive guide: wires the guide reducer to ink's input, the terminal size and lazy rendering. */
export function GuideApp({ kb, color, loadRenderer, start }: GuideAppProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const layout = guideLayout(size.columns, size.rows);
  const search = useCallback((query: string) => searchArticles(kb, query), [kb]);
  const reducer = useMemo(() => createGuideReducer(search), [search]);
  const [state, dispatch] = useReducer(reducer, undefined, () => startState(kb, initialGuideState(search, layout), reducer, start, layout.contentWidth, color));
  const [hint, setHint] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState<string | undefined>(undefined);
  const renderer = useRef<ArticleRenderer | undefined>(start?.renderer);
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
        dispatch({ type: 'push', id, lines: renderLines(renderer.current, article, layout.contentWidth, color), related: relatedOf(kb, article) });
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
        // Opened with --show: leaving the last article leaves the guide.
        if (start && command.action.type === 'pop' && current.stack.length === 1) {
          exit('done' satisfies GuideResult);
          return;
        }
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

  const describe = useMemo(() => describeWith(kb), [kb]);
  const context = { layout, total: kb.articles.length, describe, titleOf: (id: string) => kb.get(id)?.title ?? id, color, hint, loading };
  return <Frame lines={guideFrame(state, context)} />;
}
