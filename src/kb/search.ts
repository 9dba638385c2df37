import { Charset, Document, Encoder } from 'flexsearch';
import type { Article } from './types.js';

/**
 * Full-text search over the guide with FlexSearch, whose index keeps each word's documents ranked and so stops
 * after the top results (searching 10,000 articles costs about what 50 do). Titles, aliases, tags and summaries
 * match as prefixes too (search as you type); the body matches whole words. Typo tolerance is ours and runs only
 * when a search finds too little: each unknown word is corrected to the vocabulary's words one edit away. The
 * same module builds the index (scripts/build.mjs, into dist/kb.json) and loads it at run time.
 */
type FieldName = 'title' | 'aliases' | 'tags' | 'summary' | 'body';
type IndexedDoc = Record<FieldName, string> & { id: string };

const FIELDS: readonly { name: FieldName; boost: number; tokenize: 'forward' | 'strict' }[] = [
  { name: 'title', boost: 4, tokenize: 'forward' },
  { name: 'aliases', boost: 3, tokenize: 'strict' },
  { name: 'tags', boost: 2, tokenize: 'forward' },
  { name: 'summary', boost: 1.5, tokenize: 'forward' },
  // Every prefix of every body word would double the index for little gain while typing.
  { name: 'body', boost: 1, tokenize: 'strict' },
];
const BOOST = new Map<string, number>(FIELDS.map((field) => [field.name, field.boost]));
const FIELD_NAMES = FIELDS.map((field) => field.name);

/** The part of FlexSearch's Document this module uses (its typings are generic beyond what this needs). */
interface DocumentIndex {
  add(document: IndexedDoc): unknown;
  search(query: string, options: { index: FieldName[]; limit: number; suggest: boolean }): { field?: string; result: (string | number)[] }[];
  export(handler: (key: string, data: string) => void): unknown;
  import(key: string, data: string): unknown;
}

export interface SearchIndex {
  readonly documents: DocumentIndex;
  /** Every word of the guide as the encoder writes it (lowercase, doubled letters single): what typos are corrected to. */
  readonly vocabulary: ReadonlySet<string>;
  readonly encoder: Encoder;
}

const createEncoder = () => new Encoder(Charset.Default);

function createDocuments(): DocumentIndex {
  const options = { document: { id: 'id', index: FIELDS.map((field) => ({ field: field.name, tokenize: field.tokenize, encoder: Charset.Default })) } };
  // The cast narrows FlexSearch's generic Document to the four methods above.
  return new Document(options) as unknown as DocumentIndex;
}

/**
 * What reaches the index is capped, so any input costs time linear in its size and bounded work in the index:
 * a pasted log line or a 65,535-character "word" is cut here.
 */
export const QUERY_LIMITS = {
  /** Characters of the query that are searched; the rest is ignored. */
  chars: 256,
  /** Words searched; a longer query keeps its first words. */
  words: 12,
  /** Words longer than this are never corrected. */
  flexibleWordChars: 32,
} as const;

/** Fewer results than this, and typos are corrected. */
const ENOUGH = 3;
/** Corrections kept per unknown word. */
const CORRECTIONS = 3;

/** The query as the index will see it: at most QUERY_LIMITS.chars characters and QUERY_LIMITS.words words. */
export function capQuery(query: string): string {
  const words = query.slice(0, QUERY_LIMITS.chars).trim().split(/\s+/).filter((word) => word !== '');
  return words.slice(0, QUERY_LIMITS.words).join(' ');
}

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
  const documents = createDocuments();
  const encoder = createEncoder();
  const vocabulary = new Set<string>();
  for (const article of articles) {
    const doc = toDoc(article);
    documents.add(doc);
    for (const field of FIELD_NAMES) for (const word of encoder.encode(doc[field])) vocabulary.add(word);
  }
  return { documents, vocabulary, encoder };
}

/** The index as one string for dist/kb.json. */
export function serializeIndex(index: SearchIndex): string {
  const parts: Record<string, string> = {};
  index.documents.export((key, data) => {
    parts[key] = data;
  });
  return JSON.stringify({ parts, vocabulary: [...index.vocabulary] });
}

export function loadIndex(serialized: string): SearchIndex {
  const { parts, vocabulary } = JSON.parse(serialized) as { parts: Record<string, string>; vocabulary: string[] };
  const documents = createDocuments();
  for (const [key, data] of Object.entries(parts)) documents.import(key, data);
  return { documents, vocabulary: new Set(vocabulary), encoder: createEncoder() };
}

export interface SearchHit {
  id: string;
  score: number;
  /** The query's words as searched (corrected when they had typos), for highlighting snippets. */
  terms: string[];
}

/**
 * Each field's best `limit` articles (all query words first, then those matching fewer), merged: an article's
 * score adds each field's boost, discounted by its rank in that field.
 */
function rank(index: SearchIndex, query: string, limit: number): SearchHit[] {
  const perField = index.documents.search(query, { index: FIELD_NAMES, limit, suggest: true });
  const scores = new Map<string, number>();
  for (const { field, result } of perField) {
    const boost = BOOST.get(field ?? '') ?? 1;
    result.forEach((id, position) => scores.set(String(id), (scores.get(String(id)) ?? 0) + boost / (1 + 0.1 * position)));
  }
  const terms = query.toLowerCase().split(' ');
  return [...scores]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id, score]) => ({ id, score, terms }));
}

/** Words one edit (a letter dropped, added, changed, or two swapped) from `word`. */
function oneEditAway(word: string): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const out: string[] = [];
  for (let at = 0; at <= word.length; at += 1) {
    const [head, tail] = [word.slice(0, at), word.slice(at)];
    if (tail) out.push(head + tail.slice(1));
    if (tail.length > 1) out.push(head + (tail[1] ?? '') + (tail[0] ?? '') + tail.slice(2));
    for (const letter of letters) {
      if (tail) out.push(head + letter + tail.slice(1));
      out.push(head + letter + tail);
    }
  }
  return out;
}

/** The query with each word the guide does not contain replaced by its words one edit away; undefined if none. */
function corrected(index: SearchIndex, query: string): string | undefined {
  let changed = false;
  const words = query.split(' ').map((word) => {
    const encoded = index.encoder.encode(word);
    if (encoded.every((each) => index.vocabulary.has(each))) return word;
    const fixes = encoded.flatMap((each) => {
      if (index.vocabulary.has(each) || each.length < 4 || each.length > QUERY_LIMITS.flexibleWordChars) return [each];
      const near = [...new Set(oneEditAway(each).filter((candidate) => index.vocabulary.has(candidate)))].slice(0, CORRECTIONS);
      if (near.length > 0) changed = true;
      return near.length > 0 ? near : [each];
    });
    return fixes.join(' ');
  });
  return changed ? words.join(' ') : undefined;
}

/**
 * Ranked search: the query as typed (the last word may be unfinished: it matches titles, aliases, tags and
 * summaries as a prefix); when that finds fewer than ENOUGH articles and some words are not in the guide, again
 * with those words corrected.
 */
export function searchIndex(index: SearchIndex, query: string, limit = 20): SearchHit[] {
  // A word of one repeated character (xxxx, ----) says nothing, and the encoder would shorten it to one letter
  // that prefixes half the guide.
  const capped = capQuery(query)
    .split(' ')
    .filter((word) => !/^(.)\1+$/u.test(word))
    .join(' ');
  if (capped === '') return [];
  const first = rank(index, capped, limit);
  if (first.length >= ENOUGH) return first;
  const fixed = corrected(index, capped);
  if (fixed === undefined) return first;
  const second = rank(index, fixed, limit);
  return second.length > first.length ? second : first;
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
