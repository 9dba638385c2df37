import MiniSearch, { type Options, type SearchOptions, type SearchResult } from 'minisearch';
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

const BOOST = { title: 4, aliases: 3, tags: 2, summary: 1.5, body: 1 };

/**
 * What reaches the index is capped, so any input costs time linear in its size and bounded work in the index:
 * a pasted log line or a 65,535-character "word" is cut here, never handed to the fuzzy matcher whole (its
 * edit-distance tables grow with the word's length).
 */
export const QUERY_LIMITS = {
  /** Characters of the query that are searched; the rest is ignored. */
  chars: 256,
  /** Words searched; a longer query keeps its first words. */
  words: 12,
  /** Words longer than this match only exactly (no prefix, no typo tolerance). */
  flexibleWordChars: 32,
} as const;

/** Fewer results than this, and the next (more tolerant) pass runs. */
const ENOUGH = 3;

const HANGUL = /\p{Script=Hangul}/u;

/** The query as the index will see it: at most QUERY_LIMITS.chars characters and QUERY_LIMITS.words words. */
export function capQuery(query: string): string {
  const words = query.slice(0, QUERY_LIMITS.chars).trim().split(/\s+/).filter((word) => word !== '');
  return words.slice(0, QUERY_LIMITS.words).join(' ');
}

const flexible = (term: string) => term.length <= QUERY_LIMITS.flexibleWordChars;

const EXACT: SearchOptions = {
  boost: BOOST,
  // Search-as-you-type: only the word being typed (the last) is a prefix; the others are finished words.
  // Korean words take particles (프로파일을, 그룹에서), so a Hangul word always matches as a prefix.
  prefix: (term, index, terms) => flexible(term) && ((index === terms.length - 1 && term.length >= 2) || HANGUL.test(term)),
};

/** Typo tolerance, only for a query the exact pass found nothing for: one edit in words of 4+ letters, two in 9+. */
const FUZZY: SearchOptions = {
  ...EXACT,
  fuzzy: (term) => (term.length >= 4 && flexible(term) ? (term.length >= 9 ? 2 : 1) : false),
  maxFuzzy: 2,
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

/**
 * Ranked search, cheapest first: every word (AND) exactly or, for the word being typed, as a prefix; then the
 * same with typo tolerance; then any word (OR), exactly and then with typos. Most queries stop after the first
 * pass; typo tolerance, which expands each word against the whole vocabulary, runs only when a pass found fewer
 * than ENOUGH articles (a word with an inflection the exact pass misses: "received" for "receive").
 */
export function searchIndex(index: SearchIndex, query: string, limit = 20): SearchHit[] {
  const capped = capQuery(query);
  if (capped === '') return [];
  const passes: SearchOptions[] = [
    { ...EXACT, combineWith: 'AND' },
    { ...FUZZY, combineWith: 'AND' },
    { ...EXACT, combineWith: 'OR' },
    { ...FUZZY, combineWith: 'OR' },
  ];
  let results: SearchResult[] = [];
  for (const options of passes) {
    const found = index.search(capped, options);
    // A more tolerant pass that finds more articles ranks them all (what the earlier pass found is among them).
    if (found.length > results.length) results = found;
    if (results.length >= ENOUGH) break;
  }
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
