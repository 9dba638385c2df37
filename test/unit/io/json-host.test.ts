import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../../src/errors.js';
import { PromptCancelledError } from '../../../src/prompt/prompter.js';
import { settle, testHost } from './helpers.js';

// The JSON host as a program reading it sees it: NDJSON on stderr, one document on stdout.

/** Every stderr line must be one JSON object. */
const events = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('JSON host: events', () => {
  it('writes one JSON object per message on stderr: event, level, text, then the data', () => {
    const { host, stderr, stdout } = testHost({ json: true });
    expect(host.mode).toBe('json');
    host.emit({ code: 'setup.step.done', level: 'success', text: 'Created role web-role', data: { step: 'service-role', arn: 'arn:aws:iam::123456789012:role/web-role' } });
    host.emit({ code: 'setup.answers', level: 'info', text: 'Using the answers in cd-wizard.json' });
    expect(stderr.lines()).toEqual([
      '{"event":"setup.step.done","level":"success","text":"Created role web-role","step":"service-role","arn":"arn:aws:iam::123456789012:role/web-role"}',
      '{"event":"setup.answers","level":"info","text":"Using the answers in cd-wizard.json"}',
    ]);
    expect(stdout.text()).toBe('');
  });

  it('data never overrides event, level or text', () => {
    const { host, stderr } = testHost({ json: true });
    host.emit({ code: 'real', level: 'warning', text: 'the text', data: { event: 'fake', level: 'info', text: 'other', extra: 1 } });
    expect(events(stderr.text())).toEqual([{ event: 'real', level: 'warning', text: 'the text', extra: 1 }]);
  });

  it('dedupes live messages by key and text; the message that ends a live line always comes', () => {
    const { host, stderr } = testHost({ json: true });
    const live = (key: string, text: string, done = false) => host.emit({ code: 'fix.wait.target', level: 'info', text, data: { instance: key }, live: { key, ...(done ? { done } : {}) } });
    live('i-1', 'i-1: Install');
    live('i-1', 'i-1: Install');
    live('i-2', 'i-2: Install');
    live('i-1', 'i-1: ApplicationStart');
    live('i-1', 'i-1: ApplicationStart', true);
    expect(events(stderr.text()).map((event) => event.text)).toEqual(['i-1: Install', 'i-2: Install', 'i-1: ApplicationStart', 'i-1: ApplicationStart']);
  });

  it('masks secrets, escapes control characters in text and data, and shortens absurdly long values', () => {
    const { host, stderr } = testHost({ json: true });
    const html = `<html>${'x'.repeat(5000)}</html>`;
    host.emit({
      code: 'aws.error',
      level: 'error',
      text: 'Name "\u001b]52;c;ZXZpbA==\u0007web"',
      data: { body: html, credentials: { key: 'AKIAIOSFODNN7EXAMPLE' }, tags: ['\u001b[2J'], when: new Date(0), skipped: undefined },
    });
    const [event] = events(stderr.text());
    expect(event).toEqual({
      event: 'aws.error',
      level: 'error',
      text: 'Name "\\u001b]52;c;ZXZpbA==\\u0007web"',
      body: `<html>${'x'.repeat(114)}… (5013 characters)`,
      credentials: { key: 'AKIA************MPLE' },
      tags: ['\\u001b[2J'],
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('debug events only with debug, like every host', () => {
    const quiet = testHost({ json: true });
    quiet.host.emit({ code: 'aws.call', level: 'debug', text: 'iam:GetRole' });
    expect(quiet.stderr.text()).toBe('');
    const loud = testHost({ json: true, debug: true });
    loud.host.emit({ code: 'aws.call', level: 'debug', text: 'iam:GetRole' });
    expect(events(loud.stderr.text())).toEqual([{ event: 'aws.call', level: 'debug', text: 'iam:GetRole' }]);
  });
});

describe('JSON host: the one document', () => {
  it('result() writes the document pretty-printed on stdout, once; the text is not printed', () => {
    const { host, stdout, stderr } = testHost({ json: true });
    host.result({ text: 'Setup is done.', json: { answersFile: 'cd-wizard.json', plan: { steps: [] } } });
    host.result({ text: 'again', json: { again: true } });
    expect(stdout.text()).toBe('{\n  "answersFile": "cd-wizard.json",\n  "plan": {\n    "steps": []\n  }\n}\n');
    expect(stderr.text()).toBe('');
  });

  it('masks secrets in the document but keeps long values whole (it is the contract)', () => {
    const { host, stdout } = testHost({ json: true });
    const policy = JSON.stringify({ Statement: Array.from({ length: 20 }, (_, index) => ({ Sid: `S${index}`, Effect: 'Allow' })) });
    host.result({ text: '', json: { policy, secret: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
    expect(JSON.parse(stdout.text())).toEqual({ policy, secret: 'aws_secret_access_key=****' });
  });

  it('fail(UserError): an error event on stderr and {"error": …} on stdout; the exit code', () => {
    const { host, stdout, stderr } = testHost({ json: true });
    const code = host.fail(new UserError('No AWS region is set.', { hint: 'Give --region.', guide: 'region', exitCode: 2 }));
    expect(code).toBe(2);
    expect(events(stderr.text())).toEqual([
      { event: 'error', level: 'error', text: 'No AWS region is set.\n  Give --region.\n  Read more: cd-wizard guide --show region', message: 'No AWS region is set.', hint: 'Give --region.', guide: 'region' },
    ]);
    expect(JSON.parse(stdout.text())).toEqual({ error: { message: 'No AWS region is set.', hint: 'Give --region.', guide: 'region' } });
  });

  it('a question without a default fails like the plain host, naming its flag', async () => {
    const { host, stdout } = testHost({ json: true });
    const error = await host.prompter.input({ id: 'app', message: 'Application', flag: '--app' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect(host.fail(error)).toBe(2);
    expect(JSON.parse(stdout.text())).toMatchObject({ error: { message: '--app is required when cd-wizard cannot ask (no terminal, --no-input or CI).' } });
  });

  it('an unexpected error is a document too', () => {
    const { host, stdout } = testHost({ json: true });
    expect(host.fail(new Error('boom'))).toBe(1);
    expect(JSON.parse(stdout.text())).toEqual({ error: { message: 'boom', unexpected: true } });
  });

  it('after the result, an error still reports on stderr but writes no second document', () => {
    const { host, stdout, stderr } = testHost({ json: true });
    host.result({ text: '', json: { ok: true } });
    host.fail(new UserError('late'));
    expect(JSON.parse(stdout.text())).toEqual({ ok: true });
    expect(events(stderr.text())).toHaveLength(1);
  });
});

describe('JSON host: Ctrl-C', () => {
  it('SIGINT: an interrupted event and the {"interrupted": …} document, exit 130', async () => {
    const { host, stdout, stderr, runtime } = testHost({ json: true });
    host.onInterrupt(() => ({ done: '2 of 5 changes are made', running: 'deployment d-A1B2C3D4E goes on', resume: 'cd-wizard setup' }));
    runtime.sigint();
    await settle();
    expect(events(stderr.text())).toEqual([
      {
        event: 'interrupted',
        level: 'error',
        text: 'Interrupted.\n  Done: 2 of 5 changes are made\n  Still running in AWS: deployment d-A1B2C3D4E goes on\n  To resume: cd-wizard setup',
        done: '2 of 5 changes are made',
        running: 'deployment d-A1B2C3D4E goes on',
        resume: 'cd-wizard setup',
      },
    ]);
    expect(JSON.parse(stdout.text())).toEqual({ interrupted: { done: '2 of 5 changes are made', running: 'deployment d-A1B2C3D4E goes on', resume: 'cd-wizard setup' } });
    expect(runtime.exits).toEqual([130]);
  });

  it('the soft stop notice is an event; nothing registered is an empty interrupted document', async () => {
    const { host, stdout, stderr, runtime } = testHost({ json: true });
    const unregister = host.onInterrupt(() => ({ softStop: () => undefined }));
    runtime.sigint();
    expect(events(stderr.text())).toEqual([{ event: 'stopping', level: 'warning', text: 'Stopping after the steps in flight; Ctrl-C again quits now.' }]);
    unregister();
    runtime.sigint();
    await settle();
    expect(events(stderr.text())[1]).toEqual({ event: 'interrupted', level: 'error', text: 'Interrupted; nothing was changed.' });
    expect(JSON.parse(stdout.text())).toEqual({ interrupted: {} });
  });

  it('Ctrl-C in a question, through fail(): the same event and document', () => {
    const { host, stdout } = testHost({ json: true });
    host.onInterrupt(() => ({ resume: 'cd-wizard setup --app web' }));
    expect(host.fail(new PromptCancelledError('apply'))).toBe(130);
    expect(JSON.parse(stdout.text())).toEqual({ interrupted: { resume: 'cd-wizard setup --app web' } });
  });
});
