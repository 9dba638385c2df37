// Search latency on the shipped guide and on a generated 10,000-article corpus, against a baseline measured in the
// same run: the search as it was before (MiniSearch, which scores every matching article; typo tolerance on every
// word of every query, AND then OR).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { Kb, kbFromFile, type KbFile } from '../src/kb/kb.js';
import type { Article } from '../src/kb/types.js';

const QUERIES = ['missing credentials', 'appspec.yaml', 'appspec not found', 'instance profile', 'deploy group tags', 'permision denied', 'script timed out', '인스턴스 프로파일', 'health constraints', 'agnet log', 'depl', 'blue green traffic'];

/** The previous search, kept here only as the baseline. */
const BEFORE: SearchOptions = {
  boost: { title: 4, aliases: 3, tags: 2, summary: 1.5, body: 1 },
  prefix: (term, index, terms) => (index === terms.length - 1 && term.length >= 2) || /\p{Script=Hangul}/u.test(term),
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 2,
};
type BeforeIndex = MiniSearch<Record<string, string>>;

function indexBefore(articles: readonly Article[]): BeforeIndex {
  const index = new MiniSearch<Record<string, string>>({ idField: 'id', fields: ['title', 'aliases', 'tags', 'summary', 'body'], storeFields: [] });
  index.addAll(articles.map((a) => ({ id: a.id, title: a.title, aliases: a.aliases.join(' \n '), tags: a.tags.join(' '), summary: a.summary, body: a.body })));
  return index;
}

function searchBefore(index: BeforeIndex, query: string): unknown[] {
  const results = index.search(query, { ...BEFORE, combineWith: 'AND' });
  return results.length > 0 ? results : index.search(query, { ...BEFORE, combineWith: 'OR' });
}

interface Latency {
  p50: number;
  p99: number;
}

/**
 * p50 and p99 over `rounds` × QUERIES, best of `batches` batches: other processes on a shared machine only ever
 * add time, so the lowest batch is the closest to what the code costs.
 */
function measure(search: (query: string) => unknown, rounds: number, batches = 5): Latency {
  let best: Latency = { p50: Infinity, p99: Infinity };
  for (let batch = 0; batch < batches; batch += 1) {
    const samples: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      for (const query of QUERIES) {
        const started = performance.now();
        search(query);
        samples.push(performance.now() - started);
      }
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)] ?? 0;
    if (at(99) < best.p99) best = { p50: at(50), p99: at(99) };
  }
  return best;
}

function generated(count: number, base: readonly Article[]): Article[] {
  // Recombine real words from the guide so the vocabulary and term statistics look like real articles.
  const words = base.flatMap((article) => article.body.split(/\s+/)).filter((word) => /^[a-zA-Z][a-zA-Z-]{2,}$/.test(word));
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)] ?? 'deploy').join(' ');
  return Array.from({ length: count }, (_, i) => ({
    id: `generated-${i}`,
    title: pick(6),
    summary: pick(20),
    tags: [pick(1), pick(1)],
    aliases: [pick(3)],
    causes: [],
    related: [],
    rules: [],
    body: pick(160),
  }));
}

const fmt = (latency: Latency, digits: number) => `p50 ${latency.p50.toFixed(digits)} ms, p99 ${latency.p99.toFixed(digits)} ms`;
const ratio = (now: Latency, before: Latency) => `p99 ${(now.p99 / before.p99).toFixed(2)}x the baseline`;

export function run(kbPath: string): string[] {
  const lines: string[] = [];
  const loadStarted = performance.now();
  const file = JSON.parse(readFileSync(kbPath, 'utf8')) as KbFile;
  const shipped = kbFromFile(file, () => readFileSync(join(dirname(kbPath), 'kb-index.json'), 'utf8'));
  shipped.prepareSearch();
  const loadMs = performance.now() - loadStarted;
  const shippedIndex = indexBefore(shipped.articles);
  // The baseline's load: its serialised index parsed back (what `guide` paid before).
  const beforeJson = JSON.stringify(shippedIndex);
  const beforeLoadStarted = performance.now();
  MiniSearch.loadJSON(beforeJson, { idField: 'id', fields: ['title', 'aliases', 'tags', 'summary', 'body'], storeFields: [] });
  const beforeLoadMs = performance.now() - beforeLoadStarted;
  const small = measure((query) => shipped.search(query, 20), 100);
  const smallBefore = measure((query) => searchBefore(shippedIndex, query), 100);
  lines.push(
    `search, shipped guide (${shipped.articles.length} articles): ${fmt(small, 3)} | baseline ${fmt(smallBefore, 3)} (${ratio(small, smallBefore)}); load ${loadMs.toFixed(1)} ms, baseline ${beforeLoadMs.toFixed(1)} ms  (target p99 <= 1 ms)`,
  );
  const articles = generated(10_000, shipped.articles);
  const buildStarted = performance.now();
  const large = new Kb(articles);
  large.prepareSearch();
  const buildMs = performance.now() - buildStarted;
  const largeIndex = indexBefore(articles);
  const big = measure((query) => large.search(query, 20), 5);
  const bigBefore = measure((query) => searchBefore(largeIndex, query), 5);
  lines.push(`search, 10,000 generated articles: ${fmt(big, 2)} | baseline ${fmt(bigBefore, 2)} (${ratio(big, bigBefore)}); index build ${buildMs.toFixed(0)} ms  (target p99 <= 15 ms)`);
  return lines;
}
