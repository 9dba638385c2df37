import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { settle, testHost } from './helpers.js';

// Which host a run gets, decided once from the terminal facts and the global flags.

describe('createHost', () => {
  it('json under --json, even on a terminal', () => {
    expect(testHost({ json: true, tty: true }).host.mode).toBe('json');
  });

  it('terminal when stdout and stdin are terminals', () => {
    const { host } = testHost({ tty: true });
    expect(host.mode).toBe('terminal');
    expect(host.interactive).toBe(true);
    expect(host.style.enabled).toBe(true);
    expect(host.columns).toBe(100);
  });

  it('plain with --no-input, under CI, or in a pipe', () => {
    expect(testHost({ tty: true, input: false }).host.mode).toBe('plain');
    expect(testHost({ tty: true, env: { CI: 'true' } }).host.mode).toBe('plain');
    expect(testHost({ tty: true, env: { CI: 'false' } }).host.mode).toBe('terminal');
    expect(testHost().host.mode).toBe('plain');
  });

  it('no colour under --json, with --no-color, or with NO_COLOR', () => {
    expect(testHost({ json: true, tty: true }).host.style.enabled).toBe(false);
    expect(testHost({ tty: true, color: false }).host.style.enabled).toBe(false);
    expect(testHost({ tty: true, env: { NO_COLOR: '1' } }).host.style.enabled).toBe(false);
  });

  it('debug messages with --debug or CD_WIZARD_DEBUG, not otherwise', () => {
    const cases = [
      [{ debug: true }, 'iam GetRole 200 12 ms\n'],
      [{ env: { CD_WIZARD_DEBUG: '1' } }, 'iam GetRole 200 12 ms\n'],
      [{}, ''],
    ] as const;
    for (const [options, shown] of cases) {
      const { host, stderr } = testHost(options);
      host.emit({ code: 'aws.call', level: 'debug', text: 'iam GetRole 200 12 ms' });
      expect(stderr.text()).toBe(shown);
    }
  });
});

describe('terminal host without a live area', () => {
  it('prints final messages as lines on stderr, like the plain host, and the result on stdout', () => {
    const { host, stdout, stderr } = testHost({ tty: true, color: false });
    host.emit({ code: 'done', level: 'success', text: 'Created role web-role' });
    host.emit({ code: 'note', level: 'info', text: 'Region us-east-1 (from AWS_REGION)' });
    host.result({ text: 'Setup is done.', json: {} });
    expect(stderr.lines()).toEqual(['✓ Created role web-role', 'Region us-east-1 (from AWS_REGION)']);
    expect(stdout.text()).toBe('Setup is done.\n');
  });

  it('errors and SIGINT in the same shape; the SIGINT message starts below the echoed ^C, and the cursor is shown', async () => {
    const { host, stderr, runtime } = testHost({ tty: true, color: false });
    expect(host.fail(new UserError('Bucket my-revisions does not exist.'))).toBe(1);
    host.onInterrupt(() => ({ done: 'answers saved' }));
    runtime.sigint();
    await settle();
    expect(stderr.text()).toBe('✗ Bucket my-revisions does not exist.\n\n✗ Interrupted.\n  Done: answers saved\n\u001b[?25h');
    expect(runtime.exits).toEqual([130]);
  });
});
