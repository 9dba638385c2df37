import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestProgram } from './programs/build.js';
import { spawnInPty, type CliSession } from './pty.js';

// The I/O layer's terminal and JSON hosts in a real pseudo-terminal: a small program (programs/io-host.tsx) wired
// like main.ts drives a host through live messages, questions and Ctrl-C, in a shell that saves the terminal
// settings before and after, so each test also checks the terminal was given back as it was found.
let program = '';
const dir = mkdtempSync(join(tmpdir(), 'cdw-io-'));

beforeAll(async () => {
  program = await buildTestProgram('io-host');
});

let session: CliSession | undefined;
let run = 0;
afterEach(() => {
  session?.dispose();
  session = undefined;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the program with `args` in a shell that records `stty -g` before and after, and the exit status (the shell
 * traps SIGINT so that it survives a Ctrl-C meant for the program; the program gets the default disposition).
 */
function start(...args: string[]): { session: CliSession; sttyBefore: string; sttyAfter: string } {
  run += 1;
  const sttyBefore = join(dir, `stty-before-${run}`);
  const sttyAfter = join(dir, `stty-after-${run}`);
  const command = `trap : INT; stty -g > ${sttyBefore}; "${process.execPath}" "${program}" ${args.join(' ')}; echo "exit=$?"; stty -g > ${sttyAfter}`;
  session = spawnInPty('sh', ['-c', command], { cols: 80, rows: 24, keyDelayMs: 60 });
  return { session, sttyBefore, sttyAfter };
}

/** Everything written, without escape sequences (lines that scrolled away too). */
const transcript = (cli: CliSession) => stripVTControlCharacters(cli.raw()).replace(/\r/g, '');

async function exitStatus(cli: CliSession): Promise<number> {
  await cli.exited(5_000);
  const match = /exit=(\d+)/.exec(transcript(cli));
  if (!match?.[1]) throw new Error(`no exit status in the output:\n${cli.screen()}`);
  return Number(match[1]);
}

/** The whole screen as `lines`, where {s} stands for the seconds a step took ("1s") and {s?} for maybe those. */
function screenPattern(...lines: string[]): RegExp {
  const escaped = lines.map((line) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{s\\?\\}', '( \\d+s)?').replace('\\{s\\}', '\\d+s'));
  return new RegExp(`^${escaped.join('\n')}$`);
}

/** The screen without the empty rows below the last line. */
const shown = (cli: CliSession) => cli.screen().replace(/\n+$/, '');

/** Raw mode off and echo on again (stty identical), and the cursor shown after it was last hidden. */
function expectRestored(cli: CliSession, sttyBefore: string, sttyAfter: string): void {
  const before = readFileSync(sttyBefore, 'utf8');
  expect(before).toMatch(/^[0-9a-f:]+\n$/);
  expect(readFileSync(sttyAfter, 'utf8')).toBe(before);
  const raw = cli.raw();
  expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThanOrEqual(raw.lastIndexOf('\u001b[?25l'));
}

describe('terminal host', () => {
  it('shows live lines, closes them for a question, shows more, then the result; the terminal is given back', async () => {
    const { session: cli, sttyBefore, sttyAfter } = start('flow');
    await cli.waitFor(/Creating role web-role/, 10_000);
    // The live line says how long its step has run, and ends as a finished line with the time.
    await cli.waitFor(/✓ Created role web-role \ds/);
    await cli.waitFor('Name of the deployment group');
    expect(cli.screen()).not.toContain('Looking at the instances');
    // A person takes a moment to answer: the process must still be waiting (stdin referenced for the question),
    // and what the program says meanwhile must not cut through the question.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(cli.screen()).not.toContain('d-1');
    await cli.press('enter');
    // After the answer, the held line, and the live line in a new live area.
    await cli.waitFor('Polling d-1');
    await cli.waitFor('RESULT group=prod');
    expect(await exitStatus(cli)).toBe(0);
    // No blank line where the live area was; the name's escape sequence shown, not obeyed.
    expect(shown(cli)).toMatch(
      screenPattern(
        '✓ Created role web-role {s}',
        '✔ Name of the deployment group prod',
        'Deployment d-1 is still running',
        '✓ Found 2 instances',
        '✓ Polled d-1{s?}',
        '✓ Created deployment group prod',
        '! Instance i-1 is named "\\u001b[2Jevil"',
        'RESULT group=prod',
        'exit=0',
      ),
    );
    expectRestored(cli, sttyBefore, sttyAfter);
  });

  it('Ctrl-C in the live area: the first asks for a soft stop, the second quits at once with the message (130)', async () => {
    const { session: cli, sttyBefore, sttyAfter } = start('soft');
    await cli.waitFor('Creating deployment group prod', 10_000);
    await cli.press('ctrl-c');
    await cli.waitFor('Stopping after the steps in flight; Ctrl-C again quits now.');
    await cli.press('ctrl-c');
    expect(await exitStatus(cli)).toBe(130);
    // The step in flight stays in the last frame, stopped; the notice does not.
    expect(shown(cli)).toMatch(
      screenPattern(
        '✓ Created role web-role',
        '… Creating deployment group prod{s?}',
        '✗ Interrupted.',
        '  Done: 2 of 5 changes are made',
        '  Still running in AWS: deployment d-A1B2C3D4E goes on',
        '  To resume: cd-wizard setup --answers cd-wizard.json',
        'exit=130',
      ),
    );
    expectRestored(cli, sttyBefore, sttyAfter);
  });

  it('a soft stop lets the step finish, then the command says it was interrupted (130)', async () => {
    const { session: cli, sttyBefore, sttyAfter } = start('soft', 'finish');
    await cli.waitFor('Creating deployment group prod', 10_000);
    await cli.press('ctrl-c');
    expect(await exitStatus(cli)).toBe(130);
    expect(shown(cli)).toBe(
      [
        '✓ Created role web-role',
        '✓ Created deployment group prod',
        '✗ Interrupted.',
        '  Done: 2 of 5 changes are made',
        '  Still running in AWS: deployment d-A1B2C3D4E goes on',
        '  To resume: cd-wizard setup --answers cd-wizard.json',
        'exit=130',
      ].join('\n'),
    );
    expectRestored(cli, sttyBefore, sttyAfter);
  });

  it('Ctrl-C at a question says the same thing through fail() (130)', async () => {
    const { session: cli, sttyBefore, sttyAfter } = start('question');
    await cli.waitFor('Apply these 3 changes?', 10_000);
    await cli.press('ctrl-c');
    expect(await exitStatus(cli)).toBe(130);
    // The live line went with the question and does not come back for the message.
    expect(shown(cli)).toBe(['? Apply these 3 changes?', '› (y/N)', '✗ Interrupted.', '  To resume: cd-wizard setup --app web', 'exit=130'].join('\n'));
    expectRestored(cli, sttyBefore, sttyAfter);
  });

  it('Ctrl-C with no live area and no question is a SIGINT: the same message (130)', async () => {
    const { session: cli, sttyBefore, sttyAfter } = start('sigint');
    await cli.waitFor('Waiting for the deployment', 10_000);
    await cli.press('ctrl-c');
    expect(await exitStatus(cli)).toBe(130);
    expect(shown(cli)).toBe(['Waiting for the deployment', '^C', '✗ Interrupted.', '  Done: answers saved in cd-wizard.json', 'exit=130'].join('\n'));
    expectRestored(cli, sttyBefore, sttyAfter);
  });
});

describe('plain host', () => {
  it('SIGTERM (a CI runner cancelling the job) stops the run like Ctrl-C: what was done, then 130', async () => {
    const child = spawn(process.execPath, [program, 'sigint'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const waiting = new Promise<void>((resolve) => {
      const take = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Waiting for the deployment')) resolve();
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waiting;
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(output).toContain('✗ Interrupted.\n  Done: answers saved in cd-wizard.json');
  });
});

describe('JSON host', () => {
  it('SIGINT: an NDJSON interrupted event on stderr and the interrupted document on stdout (130)', async () => {
    const { session: cli } = start('sigint', '--json');
    await cli.waitFor('"event":"wait"', 10_000);
    await cli.press('ctrl-c');
    expect(await exitStatus(cli)).toBe(130);
    const text = transcript(cli);
    expect(text).toContain('{"event":"interrupted","level":"error","text":"Interrupted.\\n  Done: answers saved in cd-wizard.json","done":"answers saved in cd-wizard.json"}');
    expect(text).toContain('{\n  "interrupted": {\n    "done": "answers saved in cd-wizard.json"\n  }\n}');
  });
});
