import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../pty.js';

/**
 * Bundles test/e2e/programs/<name>.tsx the way scripts/build.mjs bundles the CLI (ESM, react and ink inside,
 * devtools stubbed, production React) and returns the path of the program to run with node.
 */
export async function buildTestProgram(name: string): Promise<string> {
  const outfile = join(ROOT, 'node_modules', '.cache', 'cd-wizard', 'e2e', `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'test', 'e2e', 'programs', `${name}.tsx`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cdwCreateRequire } from 'node:module'; const require = __cdwCreateRequire(import.meta.url);" },
    alias: { 'react-devtools-core': join(ROOT, 'src', 'stubs', 'react-devtools-core.ts') },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return outfile;
}
