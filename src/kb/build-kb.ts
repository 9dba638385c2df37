import { loadSource, type SourceProblem } from './source.js';
import { buildIndex } from './search.js';
import { headOf, type KbHead } from './head.js';
import type { KbFile } from './kb.js';

/** Build step: validate content/ and serialise the articles with their search index into dist/kb.json. */
export function buildKbFile(contentDir: string): { file?: KbFile; head?: KbHead; problems: SourceProblem[] } {
  const { articles, problems } = loadSource(contentDir);
  if (problems.length > 0) return { problems };
  const index = buildIndex(articles);
  return { file: { format: 1, articles, index: JSON.stringify(index) }, head: headOf(articles), problems };
}
