import { loadSource, type SourceProblem } from './source.js';
import { buildIndex, serializeIndex } from './search.js';
import { headOf, type KbHead } from './head.js';
import type { KbFile } from './kb.js';

/**
 * Build step: validate content/ and serialise the articles (dist/kb.json), their search index
 * (dist/kb-index.json) and the start of the list (dist/kb-head.json).
 */
export function buildKbFile(contentDir: string): { file?: KbFile; index?: string; head?: KbHead; problems: SourceProblem[] } {
  const { articles, problems } = loadSource(contentDir);
  if (problems.length > 0) return { problems };
  return { file: { format: 2, articles }, index: serializeIndex(buildIndex(articles)), head: headOf(articles), problems };
}
