// Runs the project's fake AWS (test/fake-aws/) as a standalone process: bundles test/fake-aws/cli.ts with
// esbuild into node_modules/.cache, then starts it. The first line of stdout is
// `fake-aws listening on http://127.0.0.1:PORT`. Options: `node scripts/fake-aws.mjs --help`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules', '.cache', 'cd-wizard');
const outfile = join(cache, 'fake-aws.mjs');
mkdirSync(cache, { recursive: true });
await build({
  entryPoints: [join(root, 'test/fake-aws/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'error',
});
const { main } = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`fake-aws: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
