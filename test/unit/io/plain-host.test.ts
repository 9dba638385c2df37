import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError, UserError } from '../../../src/errors.js';
import { PromptCancelledError } from '../../../src/prompt/prompter.js';
import { settle, testHost } from './helpers.js';

// The plain host as a user sees it in a pipe or CI log: stderr lines, the result on stdout, exit codes.

// node:util styleText (behind Style) only colours when process.stdout is a terminal or FORCE_COLOR is set; the
// colour tests set it so that they see the sequences a terminal would get.
afterEach(() => {
  vi.unstubAllEnvs();
});
const GREEN = (text: string) => `\u001b[32m${text}\u001b[39m`;

describe('plain host: messages', () => {
  it('prints one line per message on stderr, the level as a symbol, no colour in a pipe', () => {
    const { host, stdout, stderr } = testHost();
    expect(host.mode).toBe('plain');
    expect(host.interactive).toBe(false);
    host.emit({ code: 'setup.answers', level: 'info', text: 'Using the answers in cd-wizard.json' });
    host.emit({ code: 'setup.step.done', level: 'success', text: 'Created role web-role' });
    host.emit({ code: 'setup.plan.warning', level: 'warning', text: 'web-asg has no instance profile' });
    host.emit({ code: 'setup.step.failed', level: 'error', text: 'Creating the group failed: AccessDenied' });
    host.emit({ code: 'setup.debug', level: 'debug', text: 'called iam:GetRole' });
    expect(stderr.lines()).toEqual([
      'Using the answers in cd-wizard.json',
      '✓ Created role web-role',
      '! web-asg has no instance profile',
      '✗ Creating the group failed: AccessDenied',
    ]);
    expect(stdout.text()).toBe('');
  });

  it('colours the symbol by level when colour is on, and shows debug lines dim only with debug', () => {
    vi.stubEnv('FORCE_COLOR', '1');
    const { stderr, host } = testHost({ env: { FORCE_COLOR: '1' }, debug: true });
    host.emit({ code: 'done', level: 'success', text: 'Created role web-role' });
    host.emit({ code: 'warn', level: 'warning', text: 'Careful' });
    host.emit({ code: 'fail', level: 'error', text: 'Failed' });
    host.emit({ code: 'debug', level: 'debug', text: 'called iam:GetRole' });
    expect(stderr.lines()).toEqual([`${GREEN('✓')} Created role web-role`, '\u001b[33m!\u001b[39m Careful', '\u001b[31m✗\u001b[39m Failed', '\u001b[2mcalled iam:GetRole\u001b[22m']);
  });

  it('--no-color wins over FORCE_COLOR', () => {
    const { stderr, host } = testHost({ env: { FORCE_COLOR: '1' }, color: false });
    host.emit({ code: 'done', level: 'success', text: 'Created role web-role' });
    expect(stderr.text()).toBe('✓ Created role web-role\n');
  });

  it('prints a live message only when its text changed for its key, and always the message that ends it', () => {
    const { host, stderr } = testHost();
    const live = (text: string, key = 'group') => host.emit({ code: 'fix.wait.target', level: 'info', text, live: { key } });
    live('i-1: BeforeInstall', 'i-1');
    live('i-2: BeforeInstall', 'i-2');
    live('i-1: BeforeInstall', 'i-1');
    live('i-1: Install', 'i-1');
    host.emit({ code: 'fix.wait.target', level: 'success', text: 'i-1: Install', live: { key: 'i-1', done: true } });
    live('i-1: Install', 'i-1');
    expect(stderr.lines()).toEqual(['i-1: BeforeInstall', 'i-2: BeforeInstall', 'i-1: Install', '✓ i-1: Install', 'i-1: Install']);
  });

  it('masks secrets and shows control characters escaped in what it prints', () => {
    const { host, stderr } = testHost();
    host.emit({ code: 'tag', level: 'warning', text: 'Instance i-1 is named "\u001b[2Jweb" and has aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(stderr.text()).toBe('! Instance i-1 is named "\\u001b[2Jweb" and has aws_secret_access_key=****\n');
  });
});

describe('plain host: the result', () => {
  it('writes the result text on stdout, ending with a newline', () => {
    const { host, stdout, stderr } = testHost();
    host.result({ text: 'Setup is done.\n  Next: cd-wizard fix', json: { ok: true } });
    expect(stdout.text()).toBe('Setup is done.\n  Next: cd-wizard fix\n');
    expect(stderr.text()).toBe('');
  });

  it('keeps the colours of host.style in the result when colour is on, and escapes any other sequence', () => {
    vi.stubEnv('FORCE_COLOR', '1');
    const { host, stdout } = testHost({ env: { FORCE_COLOR: '1' } });
    host.result({ text: `${host.style.green('✓')} Setup is done for web\u001b[8m hidden`, json: {} });
    expect(stdout.text()).toBe(`${GREEN('✓')} Setup is done for web\\u001b[8m hidden\n`);
  });
});

describe('plain host: questions', () => {
  it('answers every question with its default', async () => {
    const { host } = testHost();
    await expect(host.prompter.input({ id: 'group', message: 'Deployment group', default: 'prod', flag: '--group' })).resolves.toBe('prod');
    await expect(host.prompter.select({ id: 'config', message: 'Config', choices: [{ label: 'One', value: 1 }, { label: 'Two', value: 2 }], default: 2 })).resolves.toBe(2);
    await expect(host.prompter.multiSelect({ id: 'asg', message: 'Groups', choices: [{ label: 'a', value: 'a' }], default: ['a'] })).resolves.toEqual(['a']);
    await expect(host.prompter.confirm({ id: 'apply', message: 'Apply?', default: false })).resolves.toBe(false);
  });

  it('fails naming the flag when a question has no default', async () => {
    const { host } = testHost();
    const asked = host.prompter.input({ id: 'app', message: 'CodeDeploy application name', flag: '--app' });
    await expect(asked).rejects.toBeInstanceOf(UsageError);
    await expect(asked).rejects.toThrow('--app is required when cd-wizard cannot ask (no terminal, --no-input or CI).');
    await expect(asked).rejects.toMatchObject({ hint: 'It answers "CodeDeploy application name". Give --app, or run in a terminal without --no-input to be asked.' });
    await expect(host.prompter.select({ id: 'x', message: 'Pick one', choices: [] })).rejects.toThrow('"Pick one" needs an answer, and cd-wizard cannot ask here');
  });

  it('fails when the default breaks the question’s own rule', async () => {
    const { host } = testHost();
    const asked = host.prompter.input({ id: 'bucket', message: 'Bucket', flag: '--bucket', default: 'Bad_Name', validate: (value) => (/^[a-z0-9.-]+$/.test(value) ? undefined : 'use lowercase letters, digits, dots and hyphens') });
    await expect(asked).rejects.toThrow('The default answer to --bucket is not valid: use lowercase letters, digits, dots and hyphens');
  });

  it('says which default it took, at debug level', async () => {
    const { host, stderr } = testHost({ debug: true });
    await host.prompter.input({ id: 'group', message: 'Deployment group', default: 'prod', flag: '--group' });
    expect(stderr.lines()).toEqual(['--group: prod (the default; cd-wizard cannot ask here)']);
  });
});

describe('plain host: errors', () => {
  it('fail(UserError) prints the message, hint and guide article and returns its exit code', () => {
    const { host, stderr, stdout } = testHost();
    const code = host.fail(new UserError('The service role cannot be assumed by CodeDeploy.', { hint: 'Run cd-wizard setup to repair its trust.', guide: 'service-role-trust' }));
    expect(code).toBe(1);
    expect(stderr.text()).toBe('✗ The service role cannot be assumed by CodeDeploy.\n  Run cd-wizard setup to repair its trust.\n  Read more: cd-wizard guide --show service-role-trust\n');
    expect(stdout.text()).toBe('');
    expect(host.fail(new UsageError('--tag must be KEY=VALUE'))).toBe(2);
  });

  it('fail(anything else) is an unexpected error; the stack only with debug', () => {
    const plain = testHost();
    expect(plain.host.fail(new TypeError('x is undefined'))).toBe(1);
    expect(plain.stderr.lines()).toEqual(['✗ cd-wizard hit an unexpected error: x is undefined', '  Run again with CD_WIZARD_DEBUG=1 for the stack trace, and please report it.']);
    const debug = testHost({ debug: true });
    debug.host.fail(new TypeError('x is undefined'));
    expect(debug.stderr.lines()[1]).toBe('TypeError: x is undefined');
  });
});

describe('plain host: Ctrl-C', () => {
  it('SIGINT with nothing registered: one line, exit 130', async () => {
    const { host, stderr, runtime } = testHost();
    host.emit({ code: 'wait', level: 'info', text: 'Waiting' });
    runtime.sigint();
    await settle();
    expect(stderr.lines()).toEqual(['Waiting', '✗ Interrupted; nothing was changed.']);
    expect(runtime.exits).toEqual([130]);
  });

  it('SIGINT: what was done, what still runs in AWS and how to resume, from the latest registration', async () => {
    const { host, stderr, runtime } = testHost();
    host.onInterrupt(() => ({ done: 'nothing yet' }));
    let changes = 2;
    host.onInterrupt(() => ({ done: `${changes} of 5 changes are made`, running: 'deployment d-A1B2C3D4E goes on', resume: 'cd-wizard setup' }));
    changes = 3;
    runtime.sigint();
    await settle();
    expect(stderr.text()).toBe(
      ['✗ Interrupted.', '  Done: 3 of 5 changes are made', '  Still running in AWS: deployment d-A1B2C3D4E goes on', '  To resume: cd-wizard setup', ''].join('\n'),
    );
    expect(runtime.exits).toEqual([130]);
  });

  it('unregistering brings back the registration before it', async () => {
    const { host, stderr, runtime } = testHost();
    host.onInterrupt(() => ({ resume: 'cd-wizard fix --wait' }));
    const unregister = host.onInterrupt(() => ({ resume: 'cd-wizard setup' }));
    unregister();
    runtime.sigint();
    await settle();
    expect(stderr.text()).toBe('✗ Interrupted.\n  To resume: cd-wizard fix --wait\n');
  });

  it('a soft stop: the first Ctrl-C asks the command to stop; the second quits at once', async () => {
    const { host, stderr, runtime } = testHost();
    let stops = 0;
    host.onInterrupt(() => ({ done: '1 of 4 changes are made', softStop: () => (stops += 1) }));
    runtime.sigint();
    await settle();
    expect(stops).toBe(1);
    expect(runtime.exits).toEqual([]);
    expect(stderr.lines()).toEqual(['! Stopping after the steps in flight; Ctrl-C again quits now.']);
    runtime.sigint();
    await settle();
    expect(stops).toBe(1);
    expect(runtime.exits).toEqual([130]);
    expect(stderr.lines().slice(1)).toEqual(['✗ Interrupted.', '  Done: 1 of 4 changes are made']);
  });

  it('a command that stopped after its soft stop says so with interrupted(), which returns 130', () => {
    const { host, stderr, runtime } = testHost();
    host.onInterrupt(() => ({ done: '2 of 4 changes are made', resume: 'cd-wizard setup' }));
    expect(host.interrupted()).toBe(130);
    expect(stderr.text()).toBe('✗ Interrupted.\n  Done: 2 of 4 changes are made\n  To resume: cd-wizard setup\n');
    expect(runtime.exits).toEqual([]);
  });

  it('Ctrl-C in a question (PromptCancelledError) through fail(): the same message, 130, no exit of its own', () => {
    const { host, stderr, runtime } = testHost();
    host.onInterrupt(() => ({ resume: 'cd-wizard setup --app web' }));
    expect(host.fail(new PromptCancelledError('apply'))).toBe(130);
    expect(stderr.text()).toBe('✗ Interrupted.\n  To resume: cd-wizard setup --app web\n');
    expect(runtime.exits).toEqual([]);
  });

  it('close() stops listening for SIGINT', async () => {
    const { host, runtime } = testHost();
    expect(runtime.listening()).toBe(true);
    await host.close();
    expect(runtime.listening()).toBe(false);
  });
});

describe('plain host: after a hard stop', () => {
  it('the interruption is the last word: later messages and results from the still-running command are dropped', async () => {
    const { host, stderr, stdout, runtime } = testHost();
    runtime.sigint();
    host.emit({ code: 'done', level: 'success', text: 'Created role web-role' });
    host.result({ text: 'Setup is done.', json: {} });
    await settle();
    expect(stderr.text()).toBe('✗ Interrupted; nothing was changed.\n');
    expect(stdout.text()).toBe('');
    expect(runtime.exits).toEqual([130]);
  });
});
