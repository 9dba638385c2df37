/**
 * `cd-wizard setup` end to end: the BUILT binary (run `npm run build` first; `npm test` does) in a child process
 * with pipes and stdin closed, against the loopback fake AWS (test/fake-aws) in this process. Every case looks at
 * what the user sees (exit code, stdout, stderr) and at the calls the fake recorded. Lost connections:
 * setup-interrupted.e2e.test.ts.
 *
 * Each test starts its own fake, so all of them run concurrently: the slow IAM-propagation cases (10 s of waiting
 * each) overlap with the rest instead of adding up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Seed } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { describeRun } from './helpers/run-cli.js';
import {
  ACCOUNT,
  BUCKET,
  INSTANCES,
  REGION,
  SEED,
  SETUP_FLAGS,
  STACK_FRAME,
  cleanupDirs,
  duplicatesIn,
  effectiveChanges,
  runSetupCli,
  setupView,
  startSeededFake,
  tempDir,
  writeJson,
} from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

const readAnswers = (dir: string, name = 'cd-wizard.json') => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { schemaVersion: number; answers: Record<string, unknown>; state: Record<string, unknown> };

// First, so their 10 s waits start at once and overlap with everything below.
describe.concurrent('setup under throttling and slow IAM propagation', () => {
  const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'SlowDown']);
  const faults = { throttlingRate: 0.3, throttlingSeed: 42, iamPropagationSeconds: 10 };

  it('waits for a new instance profile to reach EC2, through 30% throttling', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    // The instances get the profile one level after the role went into it (the deployment group, in that level,
    // does not wait: its service role is long there and CodeDeploy is not throttled), so well inside the 10 s.
    const serviceRole = { name: 'CodeDeployServiceRole', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'] };
    const aws = await startSeededFake(onTestFinished, { faults: { ...faults, throttleServices: ['ec2'] }, seed: { ...SEED, iam: { roles: [serviceRole] } } });
    const run = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: tempDir(), timeoutMs: 55_000 });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('Setup is done.');
    expect(duplicatesIn(aws.state)).toEqual([]);
    expect(Object.keys(aws.state.codedeploy.deploymentGroups)).toEqual(['web/prod']);

    expect(aws.calls.filter((call) => THROTTLED.has(call.errorCode ?? '')).length).toBeGreaterThan(0);
    const associations = aws.callsTo('ec2', 'AssociateIamInstanceProfile');
    const rejected = associations.filter((call) => call.errorCode === 'InvalidParameterValue');
    expect(rejected.length, run.stderr).toBeGreaterThan(0);
    expect(rejected[0]?.errorMessage).toMatch(/Invalid IAM Instance Profile name/);
    // Each instance ends up associated, after the rejections.
    for (const id of INSTANCES) {
      expect(associations.filter((call) => (call.params as { InstanceId?: string }).InstanceId === id).at(-1)?.status, id).toBe(200);
    }
    expect(run.stderr).toMatch(/Attaching CodeDeployInstanceProfile to i-0aaaaaaaaaaaaaaa1\n {2}IAM changes are still spreading; retrying in \d+ s \(attempt 2\)/);
  });

  it('waits for a new service role to reach CodeDeploy, through 30% throttling', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    // Instances chosen by a tag they already carry, already using a profile of the name setup wants: nothing to
    // associate, so the deployment group comes right after the role, well inside the 10 s.
    const seeded = INSTANCES.map((id) => ({ id, tags: { Env: 'prod' }, instanceProfile: 'CodeDeployInstanceProfile' }));
    const aws = await startSeededFake(onTestFinished, { faults, seed: { ...SEED, ec2: { instances: seeded } } });
    const run = await runSetupCli(aws, ['setup', '--app', 'web', '--group', 'prod', '--bucket', BUCKET, '--tag', 'Env=prod', '--yes'], { cwd: tempDir(), timeoutMs: 55_000 });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('Setup is done.');
    expect(Object.keys(aws.state.codedeploy.deploymentGroups)).toEqual(['web/prod']);
    expect(Object.keys(aws.state.iam.roles).sort()).toEqual(['CodeDeployInstanceRole', 'CodeDeployServiceRole']);

    expect(aws.calls.filter((call) => THROTTLED.has(call.errorCode ?? '')).length).toBeGreaterThan(0);
    // Every CreateDeploymentGroup sent while the new role was still "spreading" (within 10 s of its creation, on
    // the fake's clock) was refused and retried; the last one went through. How many fall inside the window
    // depends on how long throttling retries took, so the check is on that rule rather than on a count.
    const roleCreatedAt = aws.callsTo('iam', 'CreateRole').find((call) => (call.params as { RoleName?: string }).RoleName === 'CodeDeployServiceRole' && call.status === 200)?.at ?? 0;
    const groups = aws.callsTo('codedeploy', 'CreateDeploymentGroup').filter((call) => !THROTTLED.has(call.errorCode ?? ''));
    const early = groups.filter((call) => call.at - roleCreatedAt < 10_000);
    for (const call of early) expect(call.errorCode).toBe('InvalidRoleException');
    if (early.length > 0) {
      expect(early[0]?.errorMessage).toBe('Cannot assume role provided.');
      expect(run.stderr).toMatch(/Creating deployment group prod\n {2}IAM changes are still spreading; retrying in \d+ s \(attempt 2\)/);
    }
    expect(groups.at(-1)?.status).toBe(200);
  });
});

describe.concurrent('cd-wizard setup against the fake AWS', () => {
  it('saves the answers without secrets, then replays them in a fresh account with --answers --yes', async ({ expect, onTestFinished }) => {
    const key = 'AKIAE2ESETUPKEY00001';
    const secret = 'e2eSecret/DoNotStoreThis+0000000000000000';
    const aws = await startSeededFake(onTestFinished, { credentials: { [key]: secret } });
    // The keys come from a named profile, as on a laptop; neither the keys nor the profile may reach the file.
    const home = tempDir();
    const credentials = writeJson(join(home, 'credentials'), `[e2e-laptop]\naws_access_key_id = ${key}\naws_secret_access_key = ${secret}\n`);
    const config = writeJson(join(home, 'config'), `[profile e2e-laptop]\nregion = ${REGION}\n`);
    const dir = tempDir();
    const first = await runSetupCli(aws, ['--profile', 'e2e-laptop', ...SETUP_FLAGS, '--yes'], {
      cwd: dir,
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials },
    });
    expect(first.code, describeRun(first)).toBe(0);
    expect(first.stderr).toContain('Answers saved to cd-wizard.json.');
    expect(first.stdout).toContain('Setup is done.');

    const text = readFileSync(join(dir, 'cd-wizard.json'), 'utf8');
    for (const forbidden of [key, secret, 'e2e-laptop', 'aws_secret_access_key', 'AKIA']) expect(text).not.toContain(forbidden);
    const file = readAnswers(dir);
    expect(file.schemaVersion).toBe(1);
    expect(file.answers).toEqual({
      region: REGION,
      app: 'web',
      group: 'prod',
      bucket: BUCKET,
      instances: [...INSTANCES],
      tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]],
      asg: [],
      instanceRole: 'CodeDeployInstanceRole',
      instanceProfile: 'CodeDeployInstanceProfile',
      ssm: false,
    });
    // The group's settings were not answered: they stay open, so a later run keeps what the group has (adoption).
    expect(file.answers).not.toHaveProperty('deploymentConfig');
    const state = aws.state;
    const association = (id: string) => Object.values(state.ec2.associations).find((a) => a.instanceId === id)?.id;
    expect(file.state).toMatchObject({
      account: ACCOUNT,
      partition: 'aws',
      region: REGION,
      serviceRole: { name: 'CodeDeployServiceRole', arn: state.iam.roles.CodeDeployServiceRole?.arn, status: 'created' },
      instanceRole: { name: 'CodeDeployInstanceRole', arn: state.iam.roles.CodeDeployInstanceRole?.arn, status: 'created' },
      instanceProfile: { name: 'CodeDeployInstanceProfile', arn: state.iam.instanceProfiles.CodeDeployInstanceProfile?.arn, status: 'created' },
      application: { name: 'web', id: state.codedeploy.applications.web?.id, status: 'created' },
      deploymentGroup: {
        name: 'prod',
        id: state.codedeploy.deploymentGroups['web/prod']?.id,
        arn: `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:web/prod`,
        status: 'created',
      },
      instances: Object.fromEntries(
        INSTANCES.map((id) => [id, { profile: 'CodeDeployInstanceProfile', associationId: association(id), profileStatus: 'associated', tags: { 'cd-wizard:group': 'web/prod' } }]),
      ),
    });
    expect(file.state.serviceRole).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole` });

    // Replay: another account seeded the same way, only the file, no flags, no terminal.
    const other = await startSeededFake(onTestFinished);
    const replayDir = tempDir();
    writeFileSync(join(replayDir, 'answers.json'), text);
    const replay = await runSetupCli(other, ['setup', '--answers', 'answers.json', '--yes'], { cwd: replayDir });
    expect(replay.code, describeRun(replay)).toBe(0);
    expect(replay.stderr).toContain('Using the answers in answers.json');
    expect(replay.stdout).toContain('11 changes, 1 reused.');
    expect(replay.stdout).toContain('Setup is done.');
    expect(effectiveChanges(other.calls)).toEqual(effectiveChanges(aws.calls));
    expect(setupView(other.state)).toEqual(setupView(aws.state));
    expect(readAnswers(replayDir, 'answers.json').state).toMatchObject({ deploymentGroup: { id: other.state.codedeploy.deploymentGroups['web/prod']?.id, status: 'created' } });
  });

  it('says "Nothing to change" on a re-run and makes no mutating call', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const dir = tempDir();
    const first = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir });
    expect(first.code, describeRun(first)).toBe(0);
    const after = setupView(aws.state);

    aws.clearCalls();
    const again = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stdout).toContain('Nothing to change: everything is already set up.');
    expect(again.stdout).toContain('Already set up.');
    expect(again.stdout).not.toMatch(/^\s+[+~!] /m);
    expect(again.stderr).not.toMatch(/Creating|Attaching|Tagging/);
    expect(aws.mutatingCalls()).toEqual([]);
    expect(aws.calls.length).toBeGreaterThan(0);

    // The replay form, with JSON: the same, machine-readable.
    aws.clearCalls();
    const replay = await runSetupCli(aws, ['--json', 'setup', '--answers', 'cd-wizard.json', '--yes'], { cwd: dir });
    expect(replay.code, describeRun(replay)).toBe(0);
    const out = JSON.parse(replay.stdout) as { plan: { nothingToChange: boolean; changes: number }; result: { ok: boolean; done: string[] } };
    expect(out.plan).toMatchObject({ nothingToChange: true, changes: 0 });
    expect(out.result).toMatchObject({ ok: true, done: [] });
    expect(aws.mutatingCalls()).toEqual([]);
    expect(setupView(aws.state)).toEqual(after);
  });

  it('--dry-run prints the plan and changes nothing; with --json the plan is JSON', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const dir = tempDir();
    const before = setupView(aws.state);
    const run = await runSetupCli(aws, [...SETUP_FLAGS, '--dry-run'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain(`Plan for account ${ACCOUNT} in ${REGION}`);
    expect(run.stdout).toContain('  + Create service role CodeDeployServiceRole\n      + Attach AWSCodeDeployRole to CodeDeployServiceRole\n');
    expect(run.stdout).toContain('+ Create deployment group prod');
    expect(run.stdout).toContain('3 policy documents folded: --verbose shows them statement by statement.');
    expect(run.stdout).not.toContain('Allow sts:AssumeRole');
    expect(run.stdout).toContain('11 changes, 1 reused.');
    expect(run.stdout).toContain('Dry run: nothing was changed and cd-wizard.json was not written.');
    expect(aws.mutatingCalls()).toEqual([]);
    expect(setupView(aws.state)).toEqual(before);

    aws.clearCalls();
    const json = await runSetupCli(aws, ['--json', ...SETUP_FLAGS, '--dry-run'], { cwd: dir });
    expect(json.code, describeRun(json)).toBe(0);
    const out = JSON.parse(json.stdout) as { dryRun: boolean; plan: { changes: number; nothingToChange: boolean; steps: Array<{ id: string; calls: string[] }>; arns: Record<string, string> } };
    expect(out.dryRun).toBe(true);
    expect(out.plan.nothingToChange).toBe(false);
    expect(out.plan.changes).toBe(11);
    expect(out.plan.steps.map((step) => step.id)).toEqual([
      'service-role',
      'service-role-policy',
      'instance-role',
      'instance-role-s3',
      'instance-profile',
      'instance-profile-role',
      `instance-profile:${INSTANCES[0]}`,
      `instance-profile:${INSTANCES[1]}`,
      'instance-tags',
      'bucket',
      'application',
      'deployment-group',
    ]);
    expect(out.plan.arns.serviceRole).toBe(`arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`);
    expect(aws.mutatingCalls()).toEqual([]);
    expect(setupView(aws.state)).toEqual(before);
  });
});

/** Instances already tagged, and two Auto Scaling groups: one with a launch template, one with a launch configuration. */
const RICH_SEED: Seed = {
  ec2: {
    instances: [
      { id: INSTANCES[0], name: 'web-1', tags: { Env: 'prod', Role: 'web' } },
      { id: INSTANCES[1], name: 'api-1', tags: { Env: 'prod', Role: 'api' } },
    ],
  },
  autoscaling: {
    groups: [
      { name: 'web-asg', launchTemplate: { name: 'web-lt', version: '$Latest' }, instances: ['i-0bbbbbbbbbbbbbbb1'] },
      { name: 'old-asg', launchConfigurationName: 'old-lc', instances: [] },
    ],
  },
  s3: SEED.s3 ?? {},
};

describe.concurrent('re-running other configurations', () => {
  it.for([
    { name: 'tag groups (AND of ORs)', args: ['--tag-group', 'Env=prod', '--tag-group', 'Role=web,Role=api'] },
    { name: 'a key-only tag', args: ['--tag', 'Env'] },
    { name: 'Auto Scaling groups, --ssm, --no-rollback, AllAtOnce', args: ['--asg', 'web-asg,old-asg', '--ssm', '--no-rollback', '--deployment-config', 'AllAtOnce'] },
    { name: 'an instance with a target group', args: ['--instances', INSTANCES[0], '--target-group', `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/0123456789abcdef`] },
    { name: 'an instance and two tags', args: ['--instances', INSTANCES[0], '--tag', 'Role=web', '--tag', 'Role=api'] },
  ])('$name: the second run changes nothing', async ({ args }, { expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: RICH_SEED });
    const dir = tempDir();
    const command = ['setup', '--app', 'web', '--group', 'prod', '--bucket', BUCKET, ...args, '--yes'];
    const first = await runSetupCli(aws, command, { cwd: dir });
    expect(first.code, describeRun(first)).toBe(0);
    expect(aws.mutatingCalls().length).toBeGreaterThan(0);
    if (args.includes('--asg')) {
      expect(first.stdout).toContain('New instances of web-asg get their profile from launch template web-lt');
      expect(first.stdout).toContain('New instances of old-asg get their profile from launch configuration old-lc, which cannot be edited');
    }
    aws.clearCalls();
    const again = await runSetupCli(aws, command, { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stdout).toContain('Nothing to change: everything is already set up.');
    expect(aws.mutatingCalls().map((call) => `${call.service}:${call.action}`)).toEqual([]);
  });
});

/** Valid flags for everything but the one a case breaks. */
const GOOD = { app: 'web', group: 'prod', bucket: BUCKET, instances: INSTANCES.join(',') };
const flags = (bad: Record<string, string>) => ['setup', ...Object.entries({ ...GOOD, ...bad }).flatMap(([name, value]) => [`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value]), '--yes'];
const goodAnswers = { region: REGION, app: 'web', group: 'prod', bucket: BUCKET, instances: [...INSTANCES] };

interface BadCase {
  name: string;
  /** The command line; `answers` is written to answers.json first. */
  args: string[];
  answers?: unknown;
  /** Each must appear on stderr. */
  says: Array<string | RegExp>;
}

const BAD_CASES: BadCase[] = [
  { name: 'role name of 65 characters', args: flags({ serviceRole: 'R'.repeat(65) }), says: [`--service-role: Role name "${'R'.repeat(65)}" is 65 characters; IAM allows at most 64.`] },
  { name: 'role name with illegal characters', args: flags({ instanceRole: 'deploy role!' }), says: ['--instance-role: Role name "deploy role!" has characters IAM does not allow (space, "!")'] },
  { name: 'instance profile name of 129 characters', args: flags({ instanceProfile: 'p'.repeat(129) }), says: ['--instance-profile: Instance profile name', 'is 129 characters; IAM allows at most 128.'] },
  { name: 'instance profile name with a slash', args: flags({ instanceProfile: 'team/profile' }), says: ['--instance-profile: Instance profile name "team/profile" has characters IAM does not allow ("/")'] },
  { name: 'application name of 101 characters', args: flags({ app: 'a'.repeat(101) }), says: ['--app: Application name', 'is 101 characters; CodeDeploy allows at most 100.'] },
  { name: 'application name with illegal characters', args: flags({ app: 'my app#1' }), says: ['--app: Application name "my app#1" has characters CodeDeploy does not allow (space, "#")'] },
  { name: 'deployment group name of 101 characters', args: flags({ group: 'g'.repeat(101) }), says: ['--group: Deployment group name', 'is 101 characters; CodeDeploy allows at most 100.'] },
  { name: 'deployment group name with illegal characters', args: flags({ group: 'prod/eu' }), says: ['--group: Deployment group name "prod/eu" has characters CodeDeploy does not allow ("/")'] },
  { name: 'tag key of 129 characters', args: flags({ tag: `${'k'.repeat(129)}=v` }), says: ['--tag: Tag key', 'is 129 characters; at most 128.'] },
  { name: 'tag value of 257 characters', args: flags({ tag: `Env=${'v'.repeat(257)}` }), says: ['--tag: The value of tag Env is 257 characters; at most 256.'] },
  { name: 'bucket name in uppercase', args: flags({ bucket: 'My-Revisions' }), says: ['--bucket: Bucket name "My-Revisions" has capital letters; bucket names are lowercase.'] },
  { name: 'bucket name too short', args: flags({ bucket: 'ab' }), says: ['--bucket: Bucket name "ab" must be 3 to 63 characters long.'] },
  { name: 'bucket name like an IP address', args: flags({ bucket: '192.168.10.20' }), says: ['--bucket: Bucket name "192.168.10.20" looks like an IP address, which S3 does not allow.'] },
  { name: 'bucket name with the xn-- prefix', args: flags({ bucket: 'xn--revisions' }), says: ['--bucket: Bucket name "xn--revisions" starts with "xn--", which S3 reserves.'] },
  { name: 'unknown region', args: [...flags({}), '--region', 'eu-wset-1'], says: ['--region: "eu-wset-1" is not an AWS region cd-wizard knows; did you mean eu-west-1?'] },
  { name: 'malformed instance id', args: flags({ instances: 'i-123,web-1' }), says: ['--instances: "i-123" is not an EC2 instance id', '--instances: "web-1" is not an EC2 instance id'] },
  {
    name: 'a deployment config that is no valid name',
    args: flags({ deploymentConfig: 'two at a time!' }),
    says: ['--deployment-config: Deployment config "two at a time!" is neither one of CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce nor a valid custom configuration name'],
  },
  {
    name: 'several bad flags at once',
    args: flags({ app: 'my app', bucket: 'UPPER', serviceRole: 'R'.repeat(65) }),
    says: ['The flags have 3 problems:', '--app: Application name "my app"', '--bucket: Bucket name "UPPER"', '--service-role: Role name'],
  },
  {
    name: 'answers file with several bad fields',
    args: ['setup', '--answers', 'answers.json', '--yes'],
    answers: { schemaVersion: 1, answers: { ...goodAnswers, region: 'mars-1', app: 'bad app!', bucket: 'Bad_Bucket', instances: ['i-xyz'], serviceRole: 'R'.repeat(65) } },
    says: [
      'answers.json has 5 problems:',
      '"region" (--region): "mars-1" is not an AWS region cd-wizard knows',
      '"app" (--app): Application name "bad app!"',
      '"serviceRole" (--service-role): Role name',
      '"bucket" (--bucket): Bucket name "Bad_Bucket"',
      '"instances" (--instances): "i-xyz" is not an EC2 instance id',
    ],
  },
  {
    name: 'answers file with a field of the wrong type',
    args: ['setup', '--answers', 'answers.json', '--yes'],
    answers: { schemaVersion: 1, answers: { ...goodAnswers, instances: INSTANCES[0], rollback: 'yes' } },
    says: ['answers.json has 2 problems:', `"instances" (--instances): should be array, not string "${INSTANCES[0]}".`, '"rollback" (--no-rollback): should be boolean, not string "yes".'],
  },
  { name: 'answers file that is not JSON', args: ['setup', '--answers', 'answers.json', '--yes'], answers: 'app: web\ngroup: prod\n', says: ["✗ answers.json is not valid JSON: Unexpected token 'a'.\n"] },
  {
    name: 'answers file with an unknown field',
    args: ['setup', '--answers', 'answers.json', '--yes'],
    answers: { schemaVersion: 1, answers: { ...goodAnswers, colour: 'blue' } },
    says: ['"answers": has unknown field "colour" (known: region, app, group,'],
  },
  {
    name: 'answers file of another schema version',
    args: ['setup', '--answers', 'answers.json', '--yes'],
    answers: { schemaVersion: 2, answers: goodAnswers },
    says: ['"schemaVersion": should be 1, not 2.'],
  },
];

describe.concurrent('setup with malformed answers', () => {
  it.for(BAD_CASES)('$name → exit 2, names the flag or field, no AWS call', async ({ args, answers, says }, { expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const dir = tempDir();
    if (answers !== undefined) writeJson(join(dir, 'answers.json'), answers);
    const run = await runSetupCli(aws, args, { cwd: dir, timeoutMs: 10_000 });
    expect(run.code, describeRun(run)).toBe(2);
    for (const text of says) {
      if (typeof text === 'string') expect(run.stderr).toContain(text);
      else expect(run.stderr).toMatch(text);
    }
    expect(run.stderr).toContain('nothing was changed');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).toBe('');
    // Validation comes before any AWS call, and a bad answer is never saved over the file.
    expect(aws.calls).toEqual([]);
    if (answers === undefined) expect(() => readFileSync(join(dir, 'cd-wizard.json'))).toThrow(/ENOENT/);
    else expect(readFileSync(join(dir, 'answers.json'), 'utf8')).toBe(typeof answers === 'string' ? answers : `${JSON.stringify(answers, null, 2)}\n`);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.concurrent('setup when it cannot go on', () => {
  it('without a terminal and with answers missing: names the flags at once, never waits for input', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    // stdin stays open: a CLI that waited for an answer would hang until the timeout.
    const run = await runSetupCli(aws, ['setup', '--app', 'web', '--yes'], { cwd: tempDir(), holdStdin: true, timeoutMs: 10_000 });
    expect(run.timedOut, describeRun(run)).toBe(false);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('Setup needs 3 more answers and cannot ask for them here (no terminal, or --no-input):');
    expect(run.stderr).toContain('--group: the deployment group name');
    expect(run.stderr).toContain('--bucket: the S3 bucket your revisions are uploaded to');
    expect(run.stderr).toContain('--instances, --tag or --asg: which instances to deploy to');
    expect(run.stderr).toContain('Give them as flags, or in cd-wizard.json (cd-wizard setup --answers FILE).');
    expect(aws.calls).toEqual([]);
  });

  it('with the plan not confirmed and no terminal: refuses to change anything without --yes', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const run = await runSetupCli(aws, SETUP_FLAGS, { cwd: tempDir(), holdStdin: true, timeoutMs: 10_000 });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('The plan has 11 changes and there is no terminal to confirm them; nothing was changed.');
    expect(run.stderr).toContain('Run again with --yes');
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('with --json and a missing answers file: the error as JSON on stdout, exit 2', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const run = await runSetupCli(aws, ['--json', 'setup', '--answers', 'nope.json', '--yes'], { cwd: tempDir() });
    expect(run.code, describeRun(run)).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { message: 'Cannot read nope.json: no such file.', hint: 'Check the path, or run setup with flags (or on a terminal) to create it.' },
    });
    // Under --json, stderr is NDJSON too: the error is one event.
    expect(run.stderr.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ event: 'error', level: 'error', message: 'Cannot read nope.json: no such file.' }),
    ]);
    expect(aws.calls).toEqual([]);
  });

  it('without credentials: exit 1 with `aws configure` as the next step, no AWS call', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const home = tempDir();
    const config = writeJson(join(home, 'config'), '');
    const credentials = writeJson(join(home, 'credentials'), '');
    const run = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], {
      cwd: tempDir(),
      env: { HOME: home, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials },
    });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('✗ AWS credentials are missing, so cd-wizard cannot call STS GetCallerIdentity.');
    expect(run.stderr).toContain('No AWS credentials are configured. Set them up: aws configure (or aws configure sso), then try again.');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(aws.calls).toEqual([]);
  });

  it('with --endpoint-url at a closed port: exit 1 naming the endpoint', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    // AWS_ENDPOINT_URL still points at the fake: the flag must win.
    const run = await runSetupCli(aws, ['--endpoint-url', endpoint, ...SETUP_FLAGS, '--yes'], { cwd: tempDir() });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(`✗ Cannot reach STS at ${endpoint} (from --endpoint-url): connection refused.`);
    expect(run.stderr).toContain(`Is the server at ${endpoint} running? Check --endpoint-url.`);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(aws.calls).toEqual([]);
  });

  it('with --endpoint-url at a web server that is not AWS: a sentence and the next step, never the SDK’s error', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const server = createHttpServer((request, response) => {
      request.resume();
      response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await runSetupCli(aws, ['--endpoint-url', endpoint, ...SETUP_FLAGS, '--dry-run'], { cwd: tempDir(), env: { AWS_MAX_ATTEMPTS: '1' } });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(`✗ STS GetCallerIdentity got an answer that is not from AWS (HTTP 404, an HTML page) at ${endpoint} (from --endpoint-url).`);
    expect(run.stderr).toContain('Check --endpoint-url: it must point at AWS or at an emulator that serves STS');
    expect(run.stderr).not.toMatch(/SyntaxError|Deserialization|\$response|Unknown/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
