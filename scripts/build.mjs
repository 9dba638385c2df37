// Builds dist/: validates content/ into dist/kb.json (articles), dist/kb-index.json (their search index) and
// the first articles' titles (dist/kb-head.json), then bundles the CLI with esbuild as ESM with code splitting, so
// ink, marked and the AWS SDK load only in the chunks that use them.
// `--if-stale` (npm start) does nothing when dist/ was built from exactly the files there are now.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inputsDigest, STAMP_FILE, stampedDigest } from './build-inputs.mjs';
import { sdkSchemaPlugin } from './sdk-schemas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Taken before reading anything: a file edited while the build runs makes the next --if-stale build again.
const inputs = inputsDigest(root);
if (process.argv.includes('--if-stale') && stampedDigest(dist) === inputs) process.exit(0);
// The cause and article ids the code is typed against, from content/ (writes only when they changed).
await import('./gen-ids.mjs');
const { build } = await import('esbuild');
const cache = join(root, 'node_modules', '.cache', 'cd-wizard');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = Date.now();

// 1. The knowledge base. The builder is TypeScript shared with the tests, so compile it first.
mkdirSync(cache, { recursive: true });
const builder = join(cache, 'build-kb.mjs');
await build({
  entryPoints: [join(root, 'src/kb/build-kb.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: builder,
  logLevel: 'error',
});
const { buildKbFile } = await import(`${pathToFileURL(builder).href}?t=${Date.now()}`);
const { file, index, head, problems } = buildKbFile(join(root, 'content'));
if (problems.length > 0) {
  console.error(`content/ has ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  ${problem.file}: ${problem.message}`);
  process.exit(1);
}

// 2. The CLI bundle, built beside dist/ and swapped in at the end, so a test run reading dist/ meanwhile
// never sees it half-written or missing.
const staging = `${dist}.staging-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
writeFileSync(join(staging, 'kb.json'), JSON.stringify(file));
writeFileSync(join(staging, 'kb-index.json'), index);
// The first frame of the interactive guide lists the first articles before the whole guide is read.
writeFileSync(join(staging, 'kb-head.json'), JSON.stringify(head));
const stub = (name) => join(root, 'src', 'stubs', `${name}.ts`);
const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  jsx: 'automatic',
  define: {
    'process.env.NODE_ENV': '"production"',
    __CD_WIZARD_VERSION__: JSON.stringify(pkg.version),
  },
  logLevel: 'warning',
};
// What bin/ loads before main to draw the home menu's or the guide's first frame at once: one file, no chunks
// (each module costs a load), sharing nothing with main but a process-wide slot (src/ui/first-frame.ts).
await build({
  ...shared,
  entryPoints: [join(root, 'src/first-frame-entry.ts')],
  outfile: join(staging, 'first-frame.js'),
  alias: { 'string-width': stub('string-width') },
});
const result = await build({
  ...shared,
  entryPoints: { main: join(root, 'src/main.ts') },
  outdir: staging,
  splitting: true,
  // The AWS SDK's ESM build (dist-es) keeps named exports working across split chunks.
  mainFields: ['module', 'main'],
  chunkNames: '[name]-[hash]',
  // Only the SDK schemas the commands reach (see sdk-schemas.mjs).
  plugins: [sdkSchemaPlugin],
  metafile: true,
  // CommonJS dependencies (react, signal-exit) call require(); ESM output needs one.
  banner: { js: "import { createRequire as __cdwCreateRequire } from 'node:module'; const require = __cdwCreateRequire(import.meta.url);" },
  alias: {
    'react-devtools-core': stub('react-devtools-core'),
    // ink, wrap-ansi and the article renderer measure text with src/stubs/string-width.ts (see there).
    'string-width': stub('string-width'),
  },
});
writeFileSync(join(cache, 'meta.json'), JSON.stringify(result.metafile));
// Last into staging, so a dist/ with a stamp is always a complete build.
writeFileSync(join(staging, STAMP_FILE), JSON.stringify({ inputs }));
const previous = `${dist}.previous-${process.pid}`;
rmSync(previous, { recursive: true, force: true });
try {
  renameSync(dist, previous);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
const entry = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('/main.js'))?.[1];
console.error(
  `built dist/ in ${Date.now() - started} ms: ${file.articles.length} articles, entry ${(entry.bytes / 1024).toFixed(0)} KiB, ` +
    `${Object.keys(result.metafile.outputs).length} files`,
);
