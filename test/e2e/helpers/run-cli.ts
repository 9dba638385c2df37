/**
 * Runs the BUILT binary (bin/cd-wizard.js → dist/) as a child process with pipes, the way CI and scripts see
 * it: no terminal, stdin closed at once, a hard timeout. Asynchronous on purpose: a fake AWS server running in
 * the test's own process must keep answering while the child runs (spawnSync would block its event loop).
 *
 *   const run = await runCli(['setup', '--dry-run'], { env: aws.env(), cwd: dir });
 *   expect(run.code).toBe(0);
 *
 * The child's environment is this process's minus everything that changes the CLI's behaviour under test
 * (CI, colours, vitest's variables, CD_WIZARD_NO_AUTORUN, NODE_OPTIONS) and minus every AWS_* variable, so a
 * developer's profile or keys never leak into a test; `env` adds to it (undefined removes a variable).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'cd-wizard.js');

const SCRUBBED = ['CI', 'CD_WIZARD_NO_AUTORUN', 'CD_WIZARD_DEBUG', 'NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'TERM'];

export interface RunOptions {
  /** Added to the scrubbed environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kills the child (SIGKILL) after this long; the result then has timedOut = true. Default 20 s. */
  timeoutMs?: number;
  /** Written to stdin, which is then closed. Default: stdin closed at once. */
  input?: string;
  /** Keep stdin open (and empty) until the child exits: a program that waits for input hangs until the timeout. */
  holdStdin?: boolean;
}

export interface CliRun {
  /** Exit code; null when the child was killed by a signal (see timedOut). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Wall time of the child in milliseconds. */
  ms: number;
}

/** The environment the CLI runs with under test (see the file comment). */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (SCRUBBED.includes(name) || name.startsWith('VITEST') || name.startsWith('AWS_')) continue;
    env[name] = value;
  }
  Object.assign(env, extra);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
    // EPIPE when the child exits before reading its input is not the test's concern.
    child.stdin.on('error', () => undefined);
    if (options.holdStdin) child.stdin.write(options.input ?? '');
    else child.stdin.end(options.input ?? '');
  });
}

/** One line for an assertion message: how the run ended and what it printed. */
export function describeRun(run: CliRun): string {
  return `exit ${run.code ?? run.signal}${run.timedOut ? ' (timed out)' : ''} after ${run.ms.toFixed(0)} ms\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}
