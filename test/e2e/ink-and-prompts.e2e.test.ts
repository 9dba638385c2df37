import { afterEach, beforeAll, expect, it } from 'vitest';
import { buildTestProgram } from './programs/build.js';
import { spawnInPty, type CliSession } from './pty.js';

// ink and @inquirer/prompts take turns on one stdin (src/ui/ink-session.ts): a regression test for the
// stdin calls that make that work, with a small program bundled the way scripts/build.mjs bundles the CLI.
let program = '';

beforeAll(async () => {
  program = await buildTestProgram('ink-then-prompt');
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
