import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ROOT, spawnInPty, type CliSession } from './pty.js';

// ink and @inquirer/prompts take turns on one stdin (src/ui/ink-session.ts): a regression test for the
// stdin calls that make that work, with a small program bundled the way scripts/build.mjs bundles the CLI.
const program = join(ROOT, 'node_modules', '.cache', 'cd-wizard', 'e2e', 'ink-then-prompt.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [join(ROOT, 'test', 'e2e', 'programs', 'ink-then-prompt.tsx')],
    outfile: program,
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
});

let session: CliSession | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

it('hands the keyboard from ink to an inquirer prompt and back, then exits', async () => {
  session = spawnInPty(process.execPath, [program]);
  await session.waitFor('First ink menu', 10_000);
  await session.press('down', 'enter');
  await session.waitFor('Inquirer select');
  await session.press('down', 'enter');
  await session.waitFor('Second ink menu');
  await session.press('enter');
  // Exiting at all matters: a stdin left referenced keeps the process alive.
  expect((await session.exited()).exitCode).toBe(0);
  expect(session.screen()).toContain('RESULT beta blue alpha');
});
