/**
 * The end-to-end tests run the BUILT binary (bin/cd-wizard.js → dist/). `npm test` builds first
 * (`npm run -s build && vitest run`); when running vitest directly, run `npm run build` yourself.
 * There is deliberately no vitest globalSetup that builds: one build per `npm test` is enough, and a build
 * hidden inside a test run would also hide a broken content/ behind a long timeout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KbFile } from '../../src/kb/kb.js';
import type { Article } from '../../src/kb/types.js';
import { BIN, cliEnv, ROOT } from './pty.js';

const DIST_MAIN = join(ROOT, 'dist', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Fails when dist/ is missing; warns when src/ or content/ changed after the last build. */
export function requireBuild(): void {
  if (!existsSync(DIST_MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (`npm test` does it for you).');
  const built = statSync(DIST_MAIN).mtimeMs;
  if (Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'content'))) > built) {
    console.warn('warning: src/ or content/ changed after the last build; these tests run the old dist/. Run `npm run build`.');
  }
}

/** The articles the binary under test was built with (dist/kb.json). */
export function builtArticles(): Article[] {
  return (JSON.parse(readFileSync(join(ROOT, 'dist', 'kb.json'), 'utf8')) as KbFile).articles;
}

export function builtArticle(id: string): Article {
  const article = builtArticles().find((candidate) => candidate.id === id);
  if (!article) throw new Error(`dist/kb.json has no article ${id}`);
  return article;
}

export interface PlainRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with pipes (not a terminal), the way scripts and CI see it. */
export function runPlain(args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): PlainRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(options.env), input: options.input ?? '', encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
