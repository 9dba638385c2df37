// Search latency on the shipped guide and on a generated 10,000-article corpus.
import { Kb, kbFromFile, type KbFile } from '../src/kb/kb.js';
import type { Article } from '../src/kb/types.js';
import { readFileSync } from 'node:fs';

const QUERIES = ['missing credentials', 'appspec.yaml', 'appspec not found', 'instance profile', 'deploy group tags', 'permision denied', 'script timed out', '인스턴스 프로파일', 'health constraints', 'agnet log', 'depl', 'blue green traffic'];

function measure(kb: Kb, rounds: number): { p50: number; p99: number } {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const query of QUERIES) {
      const started = performance.now();
      kb.search(query, 20);
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)] ?? 0;
  return { p50: at(50), p99: at(99) };
}

function generated(count: number, base: readonly Article[]): Article[] {
  // Recombine real sentences from the guide so the vocabulary and term statistics look like real articles.
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

export function run(kbPath: string): string[] {
  const lines: string[] = [];
  const loadStarted = performance.now();
  const shipped = kbFromFile(JSON.parse(readFileSync(kbPath, 'utf8')) as KbFile);
  shipped.search('agent'); // the index is deserialised on first use
  const loadMs = performance.now() - loadStarted;
  const small = measure(shipped, 200);
  lines.push(`search, shipped guide (${shipped.articles.length} articles): load ${loadMs.toFixed(1)} ms, p50 ${small.p50.toFixed(3)} ms, p99 ${small.p99.toFixed(3)} ms  (target p99 <= 2 ms)`);
  const articles = generated(10_000, shipped.articles);
  const buildStarted = performance.now();
  const large = new Kb(articles);
  large.search('agent'); // the index is built on first use
  const buildMs = performance.now() - buildStarted;
  const big = measure(large, 10);
  lines.push(`search, 10,000 generated articles: index build ${buildMs.toFixed(0)} ms, p50 ${big.p50.toFixed(2)} ms, p99 ${big.p99.toFixed(2)} ms  (target p99 <= 25 ms)`);
  return lines;
}
