/**
 * The interactive `cd-wizard setup`: the BUILT binary (run `npm run build` first; `npm test` does) in a real
 * pseudo-terminal (100×30), against the loopback fake AWS in this process. Every prompt is answered key by key
 * (one key per write), and the tests look at what the user sees and at what the fake recorded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws, type Seed } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { cleanupDirs, tempDir } from './helpers/setup-world.js';
import { BIN, spawnInPty, type CliSession, type KeyName } from './pty.js';

const ACCOUNT = '123456789012';
const WEB_1 = 'i-0aaaaaaaaaaaaaaa1';
const WEB_2 = 'i-0aaaaaaaaaaaaaaa2';
const BATCH = 'i-0aaaaaaaaaaaaaaa3';

/** Two running instances (one tagged Env=prod), a stopped one, an Auto Scaling group, and the revision bucket. */
const SEED: Seed = {
  ec2: {
    instances: [
      { id: WEB_1, name: 'web-1', tags: { Env: 'prod' } },
      { id: WEB_2, name: 'web-2' },
      { id: BATCH, name: 'batch-1', state: 'stopped', tags: { Team: 'data' } },
    ],
  },
  autoscaling: { groups: [{ name: 'web-asg', launchTemplate: { name: 'web-lt', version: '$Latest' }, instances: ['i-0bbbbbbbbbbbbbbb1'] }] },
  s3: { buckets: [{ name: 'my-revisions', region: 'us-east-1' }] },
};

let cli: CliSession | undefined;
let aws: FakeAws | undefined;

beforeAll(requireBuild);
afterEach(async () => {
  cli?.dispose();
  cli = undefined;
  await aws?.close();
  aws = undefined;
});
afterAll(cleanupDirs);

/**
 * `cd-wizard setup …` in a shell that saves the terminal settings before and after (stty -g) to files in `dir`,
 * so a test can check the CLI gave the terminal back as it found it (raw mode off, echo on).
 */
function startSetup(fake: FakeAws, dir: string, args: readonly string[] = []): CliSession {
  const command = `stty -g > stty-before; "${process.execPath}" "${BIN}" setup ${args.join(' ')}; echo "exit=$?"; stty -g > stty-after`;
  return spawnInPty('sh', ['-c', command], {
    cols: 100,
    rows: 30,
    cwd: dir,
    keyDelayMs: 50,
    env: { ...fake.env(), AWS_RETRY_MODE: 'standard', AWS_PROFILE: undefined },
  });
}

/** Everything the CLI wrote, without escape sequences: the lines that scrolled off the screen too. */
const transcript = (session: CliSession) => stripVTControlCharacters(session.raw()).replace(/\r/g, '');

/** The exit status the shell printed, once the CLI and the shell are done. */
async function exitStatus(session: CliSession, timeoutMs = 30_000): Promise<number> {
  await session.exited(timeoutMs);
  const match = /exit=(\d+)/.exec(transcript(session));
  if (!match?.[1]) throw new Error(`no exit status in the output:\n${session.screen()}`);
  return Number(match[1]);
}

/** Waits for a question on the screen, then answers it one key per write. */
async function answer(session: CliSession, question: string | RegExp, ...keys: KeyName[]): Promise<void> {
  await session.waitFor(question, 15_000);
  await session.press(...keys);
}

/** Setup with every answer as a flag: confirms the plan and waits until the progress view shows the IAM wait. */
async function applyUntilIamWait(session: CliSession): Promise<void> {
  await answer(session, /Apply these \d+ changes\?/, 'y', 'enter');
  await session.waitFor('IAM changes are still spreading', 15_000);
}
const FLAGS = ['--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', '--instances', WEB_1];

/**
 * Ctrl-C starts no further step: every change AWS saw after it is one it had already seen before (a step in flight,
 * retrying while IAM catches up). Returns the changes that broke that rule.
 */
function startedAfter(fake: FakeAws, pressedAt: number): string[] {
  const calls = fake.mutatingCalls();
  const before = new Set(calls.filter((call) => call.at < pressedAt).map((call) => call.action));
  return calls.filter((call) => call.at >= pressedAt && !before.has(call.action)).map((call) => call.action);
}

function expectTerminalRestored(dir: string): void {
  const before = readFileSync(join(dir, 'stty-before'), 'utf8');
  expect(before).toMatch(/^[0-9a-f:]+\n$/);
  expect(readFileSync(join(dir, 'stty-after'), 'utf8')).toBe(before);
}

describe('cd-wizard setup on a terminal', () => {
  it('asks every question with a default and help, shows the plan, confirms, shows progress and sets everything up', async () => {
    aws = await startFakeAws({ seed: SEED, faults: { iamPropagationSeconds: 2 } });
    const dir = tempDir('cdw-wizard-');
    const session = (cli = startSetup(aws, dir));

    // Who and where, first.
    await session.waitFor(`Set up CodeDeploy in account ${ACCOUNT}, region us-east-1?`, 15_000);
    expect(session.screen()).toContain(`Caller   arn:aws:iam::${ACCOUNT}:user/cd-wizard-tester`);
    expect(session.screen()).toContain('Region   us-east-1 (from AWS_REGION)');
    expect(session.screen()).toContain('› (Y/n)');
    await session.press('enter');

    // Names: the application defaults to the folder's name; the group to "production".
    await session.waitFor('Name of the new application');
    expect(session.screen()).toMatch(/› \(cdw-wizard-\w+\)/);
    await session.type('web');
    await session.press('enter');
    await answer(session, '› (production)', 'enter');

    // Roles and the instance profile: create the recommended ones.
    await answer(session, '❯ Create CodeDeployServiceRole  recommended', 'enter');
    await answer(session, 'Instance role (the role the agent on the instances uses)', 'enter');
    await answer(session, 'Instance profile (hands the instance role to the instances)', 'enter');

    // The bucket: the account's buckets are offered; a new name is validated as it is typed.
    await session.waitFor('S3 bucket for your revisions');
    expect(session.screen()).toContain('The instances may read only this bucket');
    expect(session.screen()).toContain('my-revisions  existing');
    await session.press('down', 'enter');
    await session.waitFor('Name of the revision bucket');
    await session.type('My');
    await session.waitFor('✗ Bucket name "My" must be 3 to 63 characters long.');
    await session.press('backspace', 'backspace');
    await session.type('my-revisions');
    await session.press('enter');
    await answer(session, /Also attach AmazonSSMManagedInstanceCore to the instance role\?\n.*\n› \(y\/N\)/, 'enter');

    // Targets: the instance table, then the Auto Scaling groups.
    await session.waitFor('Instances to deploy to');
    const table = session.lines();
    expect(table).toContainEqual(expect.stringMatching(/^ {3}INSTANCE +NAME +STATE +INSTANCE PROFILE +TAGS$/));
    expect(table).toContainEqual(expect.stringMatching(new RegExp(`^❯◯ ${WEB_1} +web-1 +running +— +Env=prod$`)));
    expect(table).toContainEqual(expect.stringMatching(new RegExp(`^ ◯ ${BATCH} +batch-1 +stopped +— +Team=data$`)));
    await session.press('space', 'down', 'space', 'enter');
    await session.waitFor(`✔ Instances to deploy to ${WEB_1} (web-1), ${WEB_2} (web-2)`);
    await session.waitFor('Auto Scaling groups to deploy to');
    expect(session.screen()).toContain('web-asg  1 instance');
    await session.press('enter');
    await session.waitFor('✔ Auto Scaling groups to deploy to none');

    // The tag: OR/AND explained, and a live count of what it matches.
    await session.waitFor('Instance tag (KEY=VALUE)');
    expect(session.screen()).toContain('ANY matches (OR). Several groups must ALL match (AND).');
    expect(session.screen()).toContain('0 instances match cd-wizard:group=web/production (+2 picked, tagged by setup)');
    await session.type('Env=prod');
    await session.waitFor('1 instance matches Env=prod (+1 picked, tagged by setup)');
    await session.press('enter');
    await answer(session, 'Add another tag group?', 'enter');

    // The rollout, explained with the number of instances.
    await session.waitFor('How should a deployment roll out?');
    expect(session.screen()).toContain('2 instances: one at a time; the deployment fails if any instance but the last fails.');
    await session.press('down');
    await session.waitFor('2 instances: 1 at a time; at least 1 must succeed, or the deployment fails.');
    await session.press('enter');
    await answer(session, /Roll back automatically when a deployment fails\?\n.*\n› \(Y\/n\)/, 'enter');
    await answer(session, 'Take instances out of a load balancer target group while deploying?', 'enter');
    await answer(session, /Let a GitHub Actions workflow deploy \(OIDC, no access keys\)\?\n.*\n› \(y\/N\)/, 'enter');

    // The plan, then the confirmation (default no).
    await session.waitFor('Apply these 11 changes?', 15_000);
    expect(session.screen()).toContain('+ Tag i-0aaaaaaaaaaaaaaa2 with Env=prod');
    expect(session.screen()).toContain('+ Create deployment group production for instances tagged Env=prod (HalfAtATime, rollback on\n    failure on)');
    expect(session.screen()).toContain('› (y/N)');
    expect(aws.mutatingCalls()).toEqual([]);
    await session.press('y', 'enter');

    // Progress: the IAM wait is visible while it lasts (the new service role, for the deployment group, in the
    // second level); finished steps stay as ✓ lines.
    await session.waitFor('IAM changes are still spreading; retrying in', 15_000);
    expect(session.screen()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Creating deployment group production.*\n {2}IAM changes are still spreading; retrying in \d+ s \(attempt \d\)/);
    expect(session.screen()).toContain('✓ Created service role CodeDeployServiceRole');

    expect(await exitStatus(session)).toBe(0);
    const text = transcript(session);
    const progress = text.slice(text.lastIndexOf('✔ Apply these 11 changes? Yes'));
    for (const line of [
      '✓ Created service role CodeDeployServiceRole',
      '✓ Attached AWSCodeDeployRole to CodeDeployServiceRole',
      '✓ Created instance profile CodeDeployInstanceProfile',
      `✓ ${WEB_1} uses CodeDeployInstanceProfile`,
      `✓ ${WEB_2} uses CodeDeployInstanceProfile`,
      '✓ Tagged 1 instance',
      '✓ Created application web',
      '✓ Created deployment group production',
      '✓ Setup is done.',
      'Deployment group: production (created)',
    ]) {
      expect(progress).toContain(line);
    }
    expect(session.screen()).toContain('cd-wizard fix --log codedeploy-agent.log');
    expectTerminalRestored(dir);

    // What exists in the fake now.
    const state = aws.state;
    expect(Object.keys(state.iam.roles).sort()).toEqual(['CodeDeployInstanceRole', 'CodeDeployServiceRole']);
    expect(state.iam.roles.CodeDeployServiceRole?.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole']);
    expect(Object.keys(state.iam.roles.CodeDeployInstanceRole?.inlinePolicies ?? {})).toEqual(['cd-wizard-revision-read']);
    expect(state.iam.instanceProfiles.CodeDeployInstanceProfile?.roles).toEqual(['CodeDeployInstanceRole']);
    const associated = Object.values(state.ec2.associations).map((association) => [association.instanceId, association.profileArn]);
    expect(associated.sort()).toEqual([
      [WEB_1, `arn:aws:iam::${ACCOUNT}:instance-profile/CodeDeployInstanceProfile`],
      [WEB_2, `arn:aws:iam::${ACCOUNT}:instance-profile/CodeDeployInstanceProfile`],
    ]);
    expect(state.ec2.instances[WEB_2]?.tags).toContainEqual({ Key: 'Env', Value: 'prod' });
    expect(state.ec2.instances[BATCH]?.tags.map((tag) => tag.Key).sort()).toEqual(['Name', 'Team']);
    expect(Object.keys(state.codedeploy.applications)).toEqual(['web']);
    const group = Object.values(state.codedeploy.deploymentGroups)[0];
    expect(group).toMatchObject({
      application: 'web',
      name: 'production',
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
      ec2TagFilters: [{ Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
      serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`,
    });
    expect(group?.passthrough.autoRollbackConfiguration).toMatchObject({ enabled: true });

    // The answers file: the answers given, and what was created.
    const file = JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')) as { answers: Record<string, unknown>; state: Record<string, unknown> };
    expect(file.answers).toMatchObject({
      region: 'us-east-1',
      app: 'web',
      group: 'production',
      bucket: 'my-revisions',
      instances: [WEB_1, WEB_2],
      asg: [],
      tagGroups: [[{ key: 'Env', value: 'prod' }]],
      deploymentConfig: 'CodeDeployDefault.HalfAtATime',
      rollback: true,
      ssm: false,
    });
    expect(file.state).toMatchObject({ account: ACCOUNT, deploymentGroup: { name: 'production', status: 'created' } });
  }, 90_000);

  it('Ctrl-C at the first question exits 130, changes nothing and gives the terminal back', async () => {
    aws = await startFakeAws({ seed: SEED });
    const dir = tempDir('cdw-wizard-');
    const session = (cli = startSetup(aws, dir));
    await session.waitFor('Set up CodeDeploy in account', 15_000);
    await session.press('ctrl-c');
    expect(await exitStatus(session)).toBe(130);
    expect(session.screen()).toContain('✗ Interrupted; nothing was changed.');
    expect(session.screen()).not.toMatch(/Error|at .*\.js:\d+/);
    expect(aws.mutatingCalls()).toEqual([]);
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(false);
    expectTerminalRestored(dir);
  });

  it('Ctrl-C during progress stops after the steps in flight; running setup again finishes the job', async () => {
    aws = await startFakeAws({ seed: SEED, faults: { iamPropagationSeconds: 2 } });
    const dir = tempDir('cdw-wizard-');
    // Every answer as a flag: only the plan's confirmation is asked.
    const session = (cli = startSetup(aws, dir, FLAGS));
    await applyUntilIamWait(session);
    const pressedAt = Date.now();
    await session.press('ctrl-c');
    await session.waitFor('Stopping after the steps in flight; Ctrl-C again quits now.');
    expect(await exitStatus(session)).toBe(130);
    // The one Ctrl-C shape: what was done, how to resume.
    expect(session.screen()).toContain('✗ Interrupted.');
    expect(session.screen()).toMatch(/Done: \d+ of \d+ changes are made and recorded in cd-wizard\.json/);
    expect(session.screen()).toContain('To resume: cd-wizard setup');
    // The deployment group was in flight (waiting for its role): it finished; no step started after the Ctrl-C.
    expect(session.screen()).toContain('✓ Created deployment group prod');
    expect(aws.mutatingCalls().map((call) => call.action)).toContain('CreateApplication');
    expect(startedAfter(aws, pressedAt)).toEqual([]);
    expectTerminalRestored(dir);

    // The same command again finishes the job without redoing what was done.
    session.dispose();
    const again = (cli = startSetup(aws, dir, [...FLAGS, '--yes']));
    expect(await exitStatus(again)).toBe(0);
    expect(transcript(again)).toContain('✓ Setup is done.');
    expect(transcript(again)).not.toContain('Creating deployment group');
    // Changes that went through, each once over the two runs.
    const all = aws.mutatingCalls().filter((call) => call.status === 200).map((call) => call.action);
    expect(all.filter((action) => action === 'CreateRole')).toHaveLength(2);
    expect(all.filter((action) => action === 'AssociateIamInstanceProfile')).toHaveLength(1);
    expect(all).toContain('CreateDeploymentGroup');
  }, 60_000);

  it('a second Ctrl-C during progress quits at once and still gives the terminal back', async () => {
    // IAM never settles within the test: the step would wait for minutes.
    aws = await startFakeAws({ seed: SEED, faults: { iamPropagationSeconds: 600 } });
    const dir = tempDir('cdw-wizard-');
    const session = (cli = startSetup(aws, dir, FLAGS));
    await applyUntilIamWait(session);
    const pressedAt = Date.now();
    await session.press('ctrl-c');
    await session.waitFor('Stopping after the steps in flight; Ctrl-C again quits now.');
    await session.press('ctrl-c');
    expect(await exitStatus(session, 5_000)).toBe(130);
    expect(session.screen()).toContain('✗ Interrupted.');
    expect(session.screen()).toContain('To resume: cd-wizard setup');
    expect(startedAfter(aws, pressedAt)).toEqual([]);
    expectTerminalRestored(dir);
  }, 60_000);
});
