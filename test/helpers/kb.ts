import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Kb } from '../../src/kb/kb.js';
import { loadSource } from '../../src/kb/source.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CONTENT_DIR = join(ROOT, 'content');
export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures');

let cached: Kb | undefined;
/** The knowledge base built from content/ (the same code the build runs), shared across a test file. */
export function sourceKb(): Kb {
  if (!cached) {
    const { articles, problems: all } = loadSource(CONTENT_DIR);
    // Cross-references are content.test.ts's business; diagnosis and search tests only need valid articles.
    const problems = all.filter((problem) => !problem.message.startsWith('related id'));
    if (problems.length > 0) throw new Error(`content/ has problems:\n${problems.map((p) => `${p.file}: ${p.message}`).join('\n')}`);
    cached = new Kb(articles);
  }
  return cached;
}

export interface CauseExample {
  name: string;
  text: string;
  /** For positives: whether the cause must be the first finding (default true). */
  first?: boolean;
}

export interface CauseFixture {
  file: string;
  cause: string;
  positive: CauseExample[];
  negative: CauseExample[];
}

export function causeFixtures(): CauseFixture[] {
  const dir = join(FIXTURES_DIR, 'causes');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => ({ file: name, ...(parseYaml(readFileSync(join(dir, name), 'utf8')) as Omit<CauseFixture, 'file'>) }));
}
