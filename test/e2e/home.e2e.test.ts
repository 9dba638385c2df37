import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { expectRestored } from './restored.js';
import { spawnCli, type CliSession } from './pty.js';

// `cd-wizard` with no arguments on a terminal: the home menu, driven through the built binary at 80×24.
beforeAll(requireBuild);

let cli: CliSession | undefined;
afterEach(() => {
  cli?.dispose();
  cli = undefined;
});

const QUESTION = 'What would you like to do?';

async function openHome(options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliSession> {
  cli = spawnCli([], { cols: 80, rows: 24, ...options });
  await cli.waitFor(QUESTION, 10_000);
  return cli;
}

/** The menu entry shown in inverse video (the selection bar). */
function selected(session: CliSession): string | undefined {
  return session.highlightedText().find((run) => run.includes('›'));
}

describe('the home screen', () => {
  it('offers the five choices with the first one selected', async () => {
    const session = await openHome();
    const screen = session.screen();
    for (const label of ['1. Set up CodeDeploy', '2. Fix a failed deployment', '3. Diagnose a pasted error or log', '4. Browse the troubleshooting guide', '5. Quit']) {
      expect(screen).toContain(label);
    }
    expect(selected(session)).toContain('› 1. Set up CodeDeploy');
    await session.press('q');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('opens the guide in the same process and comes back to the menu, then quits', async () => {
    const session = await openHome();
    await session.press('down', 'down', 'down');
    await session.waitUntil(() => selected(session)?.includes('› 4. Browse the troubleshooting guide') === true, 'the guide entry selected');
    await session.press('enter');
    await session.waitFor('Search:');
    await session.type('clock skew');
    await session.waitFor('Search: clock skew');
    await session.press('enter');
    await session.waitFor(/lines 1–\d+|all \d+ lines/);
    await session.press('esc');
    await session.waitFor('Search: clock skew');
    await session.press('esc');
    await session.waitFor(QUESTION);
    // Back on the menu, keys reach it again: move to Quit and choose it.
    await session.press('up');
    await session.waitUntil(() => selected(session)?.includes('› 5. Quit') === true, 'Quit selected (wrapping up from the top)');
    await session.press('enter');
    expect((await session.exited()).exitCode).toBe(0);
    expectRestored(session);
  });

  it('starts the setup wizard and the fix flow in the same process', async () => {
    const aws = await startFakeAws({ seed: { codedeploy: { applications: [{ name: 'shop' }] } } });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cdw-home-'));
      const env = { ...aws.env(), AWS_RETRY_MODE: 'standard', AWS_PROFILE: undefined };
      const setup = await openHome({ env, cwd: dir });
      await setup.press('enter');
      // The wizard's first question, with the account and region the fake answers for.
      await setup.waitFor('Set up CodeDeploy in account 123456789012, region us-east-1?', 15_000);
      await setup.press('ctrl-c');
      expect((await setup.exited()).exitCode).toBe(130);
      expect(aws.mutatingCalls()).toEqual([]);
      setup.dispose();

      const fix = await openHome({ env, cwd: dir });
      await fix.press('2');
      // No cd-wizard.json here, so fix asks which application to look at.
      await fix.waitFor('Which application?', 15_000);
      await fix.press('ctrl-c');
      expect((await fix.exited()).exitCode).toBe(130);
      expectRestored(fix);
    } finally {
      await aws.close();
    }
  });

  it('Fix with no region set asks for one, checks it, and goes on in it', async () => {
    const aws = await startFakeAws({ seed: { codedeploy: { applications: [{ name: 'shop' }] } } });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cdw-home-'));
      // No region anywhere: not in the environment, no profile (the config file does not exist), no answers file.
      const session = await openHome({ env: { ...aws.env(), AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined }, cwd: dir });
      await session.press('2');
      await session.waitFor('AWS region to work in', 15_000);
      expect(session.screen()).toContain('No region is set (--region, AWS_REGION or your profile).');
      expect(session.screen()).toContain('› (us-east-1)');
      await session.type('us-esat-1');
      await session.waitFor('✗ "us-esat-1" is not an AWS region cd-wizard knows; did you mean us-east-1');
      for (let i = 0; i < 'us-esat-1'.length; i += 1) await session.press('backspace');
      await session.press('enter');
      await session.waitFor('Working in us-east-1. Next time give --region us-east-1 or set AWS_REGION');
      // Fix goes on in that region: it lists the applications there and asks which one.
      await session.waitFor('Which application?', 15_000);
      await session.press('ctrl-c');
      expect((await session.exited()).exitCode).toBe(130);
      expectRestored(session);
    } finally {
      await aws.close();
    }
  });

  it('exits with 130 on Ctrl-C, also from the guide it opened', async () => {
    const menu = await openHome();
    await menu.press('ctrl-c');
    expect((await menu.exited()).exitCode).toBe(130);
    expectRestored(menu);
    menu.dispose();

    const guide = await openHome();
    await guide.press('4');
    await guide.waitFor('Search:');
    await guide.press('ctrl-c');
    expect((await guide.exited()).exitCode).toBe(130);
    expectRestored(guide);
    expect(guide.screen()).not.toContain('cd-wizard setup');
  });
});

describe('diagnosing a pasted error or log from the home screen', () => {
  const LOG = [
    '2024-09-10T18:01:57 INFO  [codedeploy-agent(33869)]: Version file found in /opt/codedeploy-agent/.version',
    '',
    '2024-09-10T18:01:58 ERROR [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Missing credentials - please check if this instance was started with an IAM instance profile',
  ].join('\r');

  async function openDiagnose(): Promise<CliSession> {
    const session = await openHome();
    await session.press('3');
    await session.waitFor('End with Enter on an empty line (or Ctrl-D); Esc cancels.');
    // Reading starts once bracketed paste is on: the terminal then wraps pasted text in ESC[200~ … ESC[201~.
    await session.waitUntil(() => session.raw().includes('\u001b[?2004h'), 'bracketed paste turned on');
    return session;
  }

  it('reads a bracketed paste with blank lines until Enter on an empty line, then prints the offline report', async () => {
    const session = await openDiagnose();
    // What a terminal sends for a paste, in one write.
    session.write(`\u001b[200~${LOG}\r\u001b[201~`);
    await session.waitFor('Missing credentials - please check');
    await session.press('enter');
    await session.waitFor('[agent-missing-credentials]');
    // The report reaches the terminal in more than one write: wait for its last lines, not just the first.
    await session.waitFor('cd-wizard guide --show agent-missing-credentials');
    expect((await session.exited()).exitCode).toBe(0);
    expect(session.raw()).toContain('\u001b[?2004l');
    expect(session.inAltScreen()).toBe(false);
  });

  it('ends a typed message with Ctrl-D', async () => {
    const session = await openDiagnose();
    await session.type('The specified key does not exist.');
    await session.press('ctrl-d');
    expect((await session.exited()).exitCode).toBe(0);
    expect(session.raw()).toContain('[s3-key-not-found]');
  });

  it('Esc cancels without a diagnosis (exit 130)', async () => {
    const session = await openDiagnose();
    await session.type('half a message');
    await session.press('esc');
    await session.waitFor('Cancelled; nothing was diagnosed.');
    expect((await session.exited()).exitCode).toBe(130);
  });
});
