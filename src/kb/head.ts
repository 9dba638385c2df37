import { readFileSync } from 'node:fs';
import type { Article } from './types.js';

/**
 * The start of the guide's list (dist/kb-head.json, ~15 KB against ~0.5 MB for the whole guide): what the
 * interactive guide's first frame shows before the articles and the search index are read.
 */
export interface KbHead {
  /** Number of articles in the guide. */
  count: number;
  /** The first articles, in guide order. */
  articles: { id: string; title: string; summary: string }[];
}

/** More rows than any terminal shows on one screen. */
const HEAD_ARTICLES = 100;

export function headOf(articles: readonly Article[]): KbHead {
  return { count: articles.length, articles: articles.slice(0, HEAD_ARTICLES).map(({ id, title, summary }) => ({ id, title, summary })) };
}

/** Loads dist/kb-head.json, which sits next to the bundled entry. */
export function loadBundledHead(): KbHead {
  return JSON.parse(readFileSync(new URL('./kb-head.json', import.meta.url), 'utf8')) as KbHead;
}
