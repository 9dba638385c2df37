import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnswersStore } from '../../../src/context.js';
import { UserError } from '../../../src/errors.js';
import { loadAnswersFile, parseAnswersFile, saveAnswersFile } from '../../../src/store/answers-file.js';

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}


describe('the answers file', () => {
  it('lists every bad field at once, by name and flag', () => {
    const error = thrown(() =>
      parseAnswersFile(
        {
          schemaVersion: 2,
          answers: {
            app: 42,
            group: 'bad group',
            bucket: 'Bad_Bucket',
            instances: ['i-0123456789abcdef0', 7, 'i-xyz'],
            rollback: 'yes',
            tagGroups: [[{ key: 'aws:reserved', value: 'x' }]],
            aplication: 'typo',
          },
        },
        'cd-wizard.json',
      ),
    );
    const lines = error.message.split('\n').slice(1);
    expect(error.message).toMatch(/^cd-wizard\.json has 8 problems:/);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"schemaVersion".*should be 1, not 2/),
        expect.stringMatching(/"app" \(--app\).*should be string, not number 42/),
        expect.stringMatching(/"instances\.1" \(--instances\).*should be string, not number 7/),
        expect.stringMatching(/"rollback" \(--no-rollback\).*should be boolean, not string "yes"/),
        expect.stringMatching(/unknown field "aplication"/),
        expect.stringMatching(/"group" \(--group\).*Deployment group name "bad group"/),
        expect.stringMatching(/"bucket" \(--bucket\).*capital letters/),
        expect.stringMatching(/"tagGroups" \(--tag\).*reserves/),
      ]),
    );
    expect(error.exitCode).toBe(2);
  });

  it('round-trips through save and load, and holds no secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-answers-'));
    const path = join(dir, 'cd-wizard.json');
    saveAnswersFile(path, {
      schemaVersion: 1,
      answers: { region: 'eu-west-1', app: 'web', group: 'prod', bucket: 'my-revisions', deploymentConfig: 'CodeDeployDefault.OneAtATime' },
      state: { account: '123456789012', serviceRole: { name: 'R', arn: 'arn:aws:iam::123456789012:role/R', status: 'created' } },
    });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/AKIA|aws_secret|SessionToken|profile/i);
    expect(loadAnswersFile(path, true)).toEqual({
      schemaVersion: 1,
      answers: { region: 'eu-west-1', app: 'web', group: 'prod', bucket: 'my-revisions', deploymentConfig: 'CodeDeployDefault.OneAtATime' },
      state: { account: '123456789012', serviceRole: { name: 'R', arn: 'arn:aws:iam::123456789012:role/R', status: 'created' } },
    });
  });

  it('reads with a bound, names folders, and accepts a UTF-8 byte-order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-answers-'));
    // /dev/zero never ends: the read stops at the bound instead of filling the memory.
    expect(thrown(() => loadAnswersFile('/dev/zero', true, '/dev/zero')).message).toBe('/dev/zero is larger than 1 MiB, so it is not a cd-wizard answers file (they are a few KB).');
    expect(thrown(() => loadAnswersFile(dir, true, 'some-folder')).message).toBe('some-folder is a folder, not an answers file.');
    // A 1 GiB file (sparse: nothing is written) is refused after reading 1 MiB + 1 byte, not loaded whole.
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    const before = process.memoryUsage().arrayBuffers;
    expect(thrown(() => loadAnswersFile(big, true, 'big.json')).message).toBe('big.json is larger than 1 MiB, so it is not a cd-wizard answers file (they are a few KB).');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ schemaVersion: 1, answers: { app: 'web' } })}`);
    expect(loadAnswersFile(join(dir, 'bom.json'), true)?.answers).toEqual({ app: 'web' });
  });

  it('answers piped in (a FIFO, /dev/stdin) are read from there but saved to ./cd-wizard.json; nothing is renamed over a stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-answers-'));
    const fifo = join(dir, 'answers.fifo');
    execFileSync('mkfifo', [fifo]);
    const store = createAnswersStore(dir, fifo);
    expect(store).toMatchObject({ path: join(dir, 'cd-wizard.json'), shown: 'cd-wizard.json', named: false, source: fifo });
    expect(createAnswersStore(dir, 'mine.json')).toMatchObject({ path: join(dir, 'mine.json'), shown: 'mine.json', named: true });
    expect(createAnswersStore(dir, 'mine.json').source).toBeUndefined();
    // Saving straight to it is refused, and it is still a FIFO.
    expect(thrown(() => saveAnswersFile(fifo, { schemaVersion: 1, answers: {}, state: {} })).message).toBe(`Cannot save the answers to ${fifo}: it is not a regular file.`);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('is optional by default but required with --answers, and must be JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-answers-'));
    expect(loadAnswersFile(join(dir, 'none.json'), false)).toBeUndefined();
    expect(thrown(() => loadAnswersFile(join(dir, 'none.json'), true)).message).toMatch(/Cannot read .*none\.json: no such file/);
    writeFileSync(join(dir, 'bad.json'), '{ "schemaVersion": 1, ');
    expect(thrown(() => loadAnswersFile(join(dir, 'bad.json'), true)).message).toMatch(/is not valid JSON/);
  });

  it('says on one line why a file is not JSON, named as the user gave it, and that AWS was not touched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-answers-'));
    const yaml = join(dir, 'answers.json');
    writeFileSync(yaml, 'app: web\ngroup: prod\n');
    const error = thrown(() => loadAnswersFile(yaml, true, 'answers.json'));
    // V8 says: Unexpected token 'a', "app: web\ng"... is not valid JSON (a raw newline, and "not valid JSON" twice).
    expect(error.message).toBe("answers.json is not valid JSON: Unexpected token 'a'.");
    expect(error.hint).toBe('Fix the file (or delete it to start over); nothing was changed in AWS.');
    expect(error.exitCode).toBe(2);
    writeFileSync(yaml, '{\n  "schemaVersion": 1\n  "answers": {}\n}');
    expect(thrown(() => loadAnswersFile(yaml, true, 'answers.json')).message).toBe(
      "answers.json is not valid JSON: Expected ',' or '}' after property value at line 3, column 3.",
    );
    writeFileSync(yaml, '{"schemaVersion": 1}\n}');
    expect(thrown(() => loadAnswersFile(yaml, true, 'answers.json')).message).toBe('answers.json is not valid JSON: Unexpected non-whitespace character after JSON at line 2, column 1.');
    writeFileSync(yaml, '');
    expect(thrown(() => loadAnswersFile(yaml, true, 'answers.json')).message).toBe('answers.json is not valid JSON: Unexpected end of JSON input.');
  });
});
