import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import type { Article } from './types.js';

/**
 * Full-text, fuzzy, prefix search over the guide. The same options build the index at build time
 * (scripts/build.mjs) and load it at run time, so they live here once.
 */
interface IndexedDoc {
  id: string;
  title: string;
  aliases: string;
  tags: string;
  summary: string;
  body: string;
}

export type SearchIndex = MiniSearch<IndexedDoc>;

export const INDEX_OPTIONS: Options<IndexedDoc> = {
  idField: 'id',
  fields: ['title', 'aliases', 'tags', 'summary', 'body'],
  storeFields: [],
};

const SEARCH_OPTIONS: SearchOptions = {
  boost: { title: 4, aliases: 3, tags: 2, summary: 1.5, body: 1 },
  // Search-as-you-type: only the word being typed (the last) is a prefix; the others are finished words.
  // Expanding every word as a prefix multiplies the terms looked up and costs 3–5× on a large guide.
  // Korean words take particles (프로파일을, 그룹에서), so a Hangul word always matches as a prefix.
  prefix: (term, index, terms) => (index === terms.length - 1 && term.length >= 2) || /\p{Script=Hangul}/u.test(term),
  // One typo for words of 4–9 letters, two for longer ones.
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 2,
  combineWith: 'OR',
};

function toDoc(article: Article): IndexedDoc {
  return {
    id: article.id,
    title: article.title,
    aliases: article.aliases.join(' \n '),
    tags: article.tags.join(' '),
    summary: article.summary,
    body: article.body,
  };
}

export function buildIndex(articles: readonly Article[]): SearchIndex {
  const index = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);
  index.addAll(articles.map(toDoc));
  return index;
}

export function loadIndex(serialized: string): SearchIndex {
  return MiniSearch.loadJSON<IndexedDoc>(serialized, INDEX_OPTIONS);
}

export interface SearchHit {
  id: string;
  score: number;
  /** Query terms that matched, as they appear in the index (useful for highlighting snippets). */
  terms: string[];
}

export function searchIndex(index: SearchIndex, query: string, limit = 20): SearchHit[] {
  const trimmed = query.trim();
  if (trimmed === '') return [];
  // An AND pass first keeps multi-word queries precise; fall back to OR so a partly wrong query still finds something.
  let results = index.search(trimmed, { ...SEARCH_OPTIONS, combineWith: 'AND' });
  if (results.length === 0) results = index.search(trimmed, SEARCH_OPTIONS);
  return results.slice(0, limit).map((result) => ({ id: String(result.id), score: result.score, terms: result.terms }));
}

/**
 * A one-line extract of the body around the first matched term, for result lists.
 * Markdown syntax is stripped so the snippet reads as text.
 */
export function snippet(article: Article, terms: readonly string[], width = 100): string {
  const plain = article.body
    // The article's own H1 repeats its title, which the caller shows already.
    .replace(/^\s*# .*\n/, '')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#+\s+/gm, '')
    .replace(/[*_>|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const lower = plain.toLowerCase();
  let at = -1;
  for (const term of terms) {
    at = lower.indexOf(term.toLowerCase());
    if (at >= 0) break;
  }
  if (at < 0) return truncate(article.summary, width);
  const start = Math.max(0, at - Math.floor(width / 3));
  const text = plain.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${text}${start + width < plain.length ? '…' : ''}`;
}

export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
