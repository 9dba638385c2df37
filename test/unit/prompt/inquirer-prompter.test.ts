import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createInquirerPrompter } from '../../../src/prompt/inquirer-prompter.js';
import { PromptCancelledError } from '../../../src/prompt/prompter.js';

/**
 * The terminal prompter driven through streams: keys in, the text a terminal would show out (escape
 * sequences stripped). Each test looks at what the user sees while a question is open and once it is answered.
 */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const prompter = createInquirerPrompter<string>({ input, output, rows: 30, color: false });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 15));
  return {
    prompter,
    /** One key per write, as a person types. */
    async keys(...keys: string[]) {
      await settle();
      for (const key of keys) {
        input.write(key);
        await settle();
      }
    },
    text: () => stripVTControlCharacters(written),
  };
}

const ENTER = '\r';
const DOWN = '\u001b[B';
const SPACE = ' ';

describe('inquirer prompter', () => {
  it('input: message, help and default on the answer line; Enter takes the default', async () => {
    const t = terminal();
    const answer = t.prompter.input({ id: 'group', message: 'Name of the new deployment group', help: 'Usually the environment.', default: 'production' });
    await t.keys(ENTER);
    await expect(answer).resolves.toBe('production');
    expect(t.text()).toContain('? Name of the new deployment group');
    expect(t.text()).toContain('  Usually the environment.\n› (production)');
    expect(t.text()).toContain('✔ Name of the new deployment group production');
  });

  it('input: shows the problem as the value is typed, keeps the value on a bad Enter, and the note once valid', async () => {
    const t = terminal();
    const answer = t.prompter.input({
      id: 'bucket',
      message: 'Bucket',
      validate: (value) => (value.length < 3 ? `"${value}" is too short.` : undefined),
      note: (value) => `${value.length} characters`,
    });
    await t.keys('a', 'b');
    expect(t.text()).toContain('  ✗ "ab" is too short.\n› ab');
    await t.keys(ENTER);
    // The live line already says it; the Enter does not add a second copy.
    expect(t.text()).not.toMatch(/› ab\n✗/);
    await t.keys('c');
    expect(t.text()).toContain('  3 characters\n› abc');
    await t.keys(ENTER);
    await expect(answer).resolves.toBe('abc');
    expect(t.text()).toContain('✔ Bucket abc  3 characters');
  });

  it('select: hints next to the labels, the highlighted choice described under the list', async () => {
    const t = terminal();
    const answer = t.prompter.select({
      id: 'deploymentConfig',
      message: 'How should a deployment roll out?',
      help: 'Move through the choices.',
      choices: [
        { label: 'OneAtATime', value: 'one', hint: 'safest', description: '3 instances: one at a time.' },
        { label: 'AllAtOnce', value: 'all', hint: 'fastest', description: '3 instances: all at once.' },
      ],
      default: 'one',
    });
    await t.keys(DOWN);
    expect(t.text()).toContain('  Move through the choices.\n  OneAtATime  safest\n❯ AllAtOnce  fastest');
    expect(t.text()).toContain('3 instances: all at once.');
    await t.keys(ENTER);
    await expect(answer).resolves.toBe('all');
    expect(t.text()).toContain('✔ How should a deployment roll out? AllAtOnce');
  });

  it('multiSelect: a header aligned with the labels; the answer lists the short names, or "none"', async () => {
    const t = terminal();
    const answer = t.prompter.multiSelect({
      id: 'instances',
      message: 'Instances to deploy to',
      header: 'INSTANCE  NAME',
      choices: [
        { label: 'i-01      web-1', value: 'i-01', short: 'i-01 (web-1)' },
        { label: 'i-02      web-2', value: 'i-02', short: 'i-02 (web-2)' },
      ],
    });
    await t.keys(DOWN, SPACE);
    expect(t.text()).toContain('   INSTANCE  NAME\n ◯ i-01      web-1\n❯◉ i-02      web-2');
    await t.keys(ENTER);
    await expect(answer).resolves.toEqual(['i-02']);
    expect(t.text()).toContain('✔ Instances to deploy to i-02 (web-2)');

    const u = terminal();
    const none = u.prompter.multiSelect({ id: 'asg', message: 'Auto Scaling groups', choices: [{ label: 'web-asg', value: 'web-asg' }] });
    await u.keys(ENTER);
    await expect(none).resolves.toEqual([]);
    expect(u.text()).toContain('✔ Auto Scaling groups none');
  });

  it('confirm: details and help while open, the (y/N) hint on the answer line; Enter takes the default', async () => {
    const t = terminal();
    const answer = t.prompter.confirm({ id: 'confirmReplace', message: 'Replace the instance profile of 1 instance?', details: ['i-01 (web-1): loses Old, gets New'], help: 'No keeps it.', default: false });
    await t.keys(ENTER);
    await expect(answer).resolves.toBe(false);
    expect(t.text()).toContain('? Replace the instance profile of 1 instance?\n  i-01 (web-1): loses Old, gets New\n  No keeps it.\n› (y/N)');
    expect(t.text()).toContain('✔ Replace the instance profile of 1 instance? No');
  });

  it('Ctrl-C rejects with PromptCancelledError naming the question', async () => {
    const t = terminal();
    const answer = t.prompter.input({ id: 'bucket', message: 'Bucket' }).catch((reason: unknown) => reason);
    await t.keys('\u0003');
    const error = await answer;
    expect(error).toBeInstanceOf(PromptCancelledError);
    expect(error).toMatchObject({ questionId: 'bucket', message: 'Cancelled; nothing was changed.' });
  });

  it('multiSelect, filterable: typing narrows the list, Space picks, Backspace widens it, Enter keeps hidden picks', async () => {
    const t = terminal();
    const choices = [
      { label: 'i-1  web-1', value: 'i-1', short: 'i-1 (web-1)', keywords: 'Env=prod' },
      { label: 'i-2  web-2', value: 'i-2', short: 'i-2 (web-2)', keywords: 'Env=staging' },
      { label: 'i-3  batch', value: 'i-3', short: 'i-3 (batch)' },
    ];
    const answer = t.prompter.multiSelect({ id: 'instances', message: 'Instances', choices, filterable: true, noun: 'instances' });
    await t.keys('s', 't', 'a', 'g');
    expect(t.text()).toContain('Filter: stag  1 of 3 instances');
    await t.keys(SPACE, '\u007f', '\u007f', '\u007f', '\u007f', 'b', 'a', 't', SPACE, ENTER);
    await expect(answer).resolves.toEqual(['i-2', 'i-3']);
    expect(t.text()).toContain('✔ Instances i-2 (web-2), i-3 (batch)');
  });
});
