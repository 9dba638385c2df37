// `npm run bench -- accuracy`: top-1 accuracy of the diagnosis on the real-world corpus, per source kind, and the
// share of look-alikes left unclaimed (bench/accuracy-bench.ts). ACCURACY_VERBOSE=1 lists every miss.
import { join } from 'node:path';
import { ROOT, loadTs } from './lib.mjs';

export async function runAccuracyBench(print) {
  // The corpus loader finds its files next to itself (import.meta.dirname); bundled, it must be told where that is.
  const { run } = await loadTs('bench/accuracy-bench.ts', { 'import.meta.dirname': JSON.stringify(join(ROOT, 'test', 'corpus')) });
  for (const line of run(join(ROOT, 'content'), process.env.ACCURACY_VERBOSE === '1')) print(line);
}
