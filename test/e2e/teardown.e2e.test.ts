/**
 * `cd-wizard teardown` end to end: the BUILT binary (run `npm run build` first; `npm test` does) against the fake AWS
 * in this process, after a real `cd-wizard setup`. The account is compared as a whole (IAM, EC2 associations and
 * tags, CodeDeploy, S3, Auto Scaling hooks) before setup and after teardown. Being killed at every removal is tested
 * exhaustively over the in-memory AWS (test/unit/commands/teardown/interrupted.test.ts); here a sample of removals
 * loses its request or its response through the real SDK and two processes.
 */
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { isMutatingAction, type FakeAws, type FakeState, type Seed } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { startLossyProxy } from './helpers/lossy-proxy.js';
import { describeRun } from './helpers/run-cli.js';
import { BUCKET, INSTANCES, SETUP_FLAGS, STACK_FRAME, callName, cleanupDirs, pick, runSetupCli, startSeededFake, tempDir } from './helpers/setup-world.js';
import { spawnCli } from './pty.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

/** Two untagged instances without a profile and no bucket: setup creates every piece, the bucket too. */
const FRESH: Seed = { ec2: { instances: INSTANCES.map((id, i) => ({ id, name: `web-${i + 1}` })) } };

type TagList = ReadonlyArray<{ Key: string; Value: string }>;
const tagMap = (tags: TagList) => Object.fromEntries([...tags].sort((a, b) => a.Key.localeCompare(b.Key)).map((tag) => [tag.Key, tag.Value]));

/** Everything setup may touch, without ids and times. */
function accountView(state: FakeState) {
  return {
    roles: Object.values(state.iam.roles)
      .map((role) => ({ name: role.name, trust: role.trustPolicy, tags: tagMap(role.tags), attached: role.attachedPolicies, inline: role.inlinePolicies }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    instanceProfiles: Object.values(state.iam.instanceProfiles).map((profile) => ({ name: profile.name, roles: profile.roles, tags: tagMap(profile.tags) })),
    instances: Object.values(state.ec2.instances).map((instance) => ({ id: instance.id, state: instance.state, tags: tagMap(instance.tags) })),
    associations: Object.values(state.ec2.associations).map((association) => ({ instanceId: association.instanceId, profileArn: association.profileArn })),
    applications: Object.values(state.codedeploy.applications).map((app) => ({ name: app.name, tags: tagMap(app.tags) })),
    deploymentGroups: Object.keys(state.codedeploy.deploymentGroups),
    buckets: Object.values(state.s3.buckets).map((bucket) => ({ name: bucket.name, tags: tagMap(bucket.tags ?? []), objects: Object.keys(bucket.objects) })),
    hooks: Object.values(state.autoscaling.groups).map((group) => ({ name: group.name, hooks: group.lifecycleHooks.map((hook) => hook.name) })),
    oidcProviders: Object.values(state.iam.oidcProviders).map((provider) => ({ url: provider.url, clientIds: provider.clientIds, tags: tagMap(provider.tags) })),
  };
}

const TEARDOWN = ['teardown', '--yes', '--delete-bucket'] as const;

/** Setup in a new folder; the folder. */
async function setUp(expect: typeof import('vitest').expect, aws: FakeAws): Promise<string> {
  const dir = tempDir();
  const run = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir });
  expect(run.code, describeRun(run)).toBe(0);
  return dir;
}

describe.concurrent('cd-wizard teardown against the fake AWS', () => {
  it('setup → teardown leaves the account as it was; a second teardown says nothing is left', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const before = accountView(aws.state);
    const dir = await setUp(expect, aws);
    expect(accountView(aws.state)).not.toEqual(before);
    aws.clearCalls();

    const run = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('✓ Teardown is done: 12 removals.');
    expect(run.stderr).toContain('✓ Deleted revision bucket my-revisions');
    expect(accountView(aws.state)).toEqual(before);
    // Every removal was accepted by AWS at the first try: the order is one AWS takes.
    expect(aws.mutatingCalls().filter((call) => call.status >= 300).map(callName)).toEqual([]);

    const again = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stdout).toBe('Nothing to tear down: cd-wizard.json records nothing that setup created.\n');
  });

  it('setup with GitHub Actions → teardown removes the deploy role, then the OIDC provider; the account is as it was', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const before = accountView(aws.state);
    const dir = tempDir();
    const made = await runSetupCli(aws, [...SETUP_FLAGS, '--github-repo', 'my-org/shop', '--github-branch', 'main', '--yes'], { cwd: dir });
    expect(made.code, describeRun(made)).toBe(0);
    expect(Object.keys(aws.state.iam.oidcProviders)).toEqual(['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com']);
    aws.clearCalls();

    const run = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('- Delete GitHub Actions deploy role cd-wizard-deploy-web   iam:DeleteRole');
    expect(run.stdout).toContain('- Delete the GitHub OIDC identity provider token.actions.githubusercontent.com   iam:DeleteOpenIDConnectProvider');
    expect(run.stdout).toContain('✓ Teardown is done: 15 removals.');
    expect(accountView(aws.state)).toEqual(before);
    // Accepted at the first try, the role before the provider its trust names.
    const changes = aws.mutatingCalls();
    expect(changes.filter((call) => call.status >= 300).map(callName)).toEqual([]);
    expect(changes.map(callName).slice(-4)).toEqual(['iam:DeleteRolePolicy', 'iam:DeleteRole', 'iam:DeleteOpenIDConnectProvider', 's3:DeleteBucket']);
  });

  it('a role and a bucket setup reused survive teardown; the account is as it was', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, {
      seed: {
        ...FRESH,
        iam: { roles: [{ name: 'CodeDeployServiceRole', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'] }] },
        s3: { buckets: [{ name: BUCKET, region: 'us-east-1', objects: [{ key: 'releases/app.zip', body: 'zip' }] }] },
      },
    });
    const before = accountView(aws.state);
    const dir = await setUp(expect, aws);
    const run = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('= kept: service role CodeDeployServiceRole was reused, not created by cd-wizard');
    expect(accountView(aws.state)).toEqual(before);
  });

  it('a deployment in progress blocks it with the way out; nothing is changed', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const dir = await setUp(expect, aws);
    aws.seed({ codedeploy: { deployments: [{ id: 'd-RUNNING01', application: 'web', deploymentGroup: 'prod', status: 'InProgress' }] } });
    aws.clearCalls();
    const run = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('✗ Teardown cannot go on; nothing was changed:');
    expect(run.stderr).toContain('Deployment d-RUNNING01 is still running in web/prod');
    expect(run.stderr).toContain('aws deploy stop-deployment --deployment-id d-RUNNING01');
    expect(aws.mutatingCalls().map(callName)).toEqual([]);
  });

  it('on a terminal it asks once and the default is No: Enter changes nothing', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const dir = await setUp(expect, aws);
    const before = accountView(aws.state);
    aws.clearCalls();
    const cli = spawnCli(['teardown'], { cwd: dir, cols: 100, rows: 40, env: { ...aws.env(), AWS_RETRY_MODE: 'standard', AWS_PROFILE: undefined } });
    onTestFinished(() => cli.dispose());
    await cli.waitFor('Remove these 11 things from account 123456789012?', 15_000);
    expect(cli.screen()).toContain('- Delete deployment group prod of application web');
    await cli.press('enter');
    await cli.waitFor('Cancelled: nothing was changed and cd-wizard.json is as it was.', 15_000);
    expect((await cli.exited(15_000)).exitCode).toBe(0);
    expect(aws.mutatingCalls().map(callName)).toEqual([]);
    expect(accountView(aws.state)).toEqual(before);
  });
});

describe('cd-wizard teardown and Ctrl-C', () => {
  it('the first Ctrl-C stops after the removal in flight, says what is done and how to resume; the re-run finishes', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const before = accountView(aws.state);
    const dir = await setUp(expect, aws);
    // Slow calls, so that Ctrl-C lands while removals are under way.
    aws.setFaults({ latencyMs: 250 });
    const cli = spawnCli(['teardown', '--yes'], { cwd: dir, cols: 100, rows: 40, env: { ...aws.env(), AWS_RETRY_MODE: 'standard', AWS_PROFILE: undefined } });
    onTestFinished(() => cli.dispose());
    await cli.waitFor('Deleted deployment group prod', 20_000);
    await cli.press('ctrl-c');
    await cli.waitFor('To resume: cd-wizard teardown --yes', 20_000);
    // Said while the removal in flight finishes (the live line then gives way to the result).
    expect(stripVTControlCharacters(cli.raw())).toContain('Stopping after the steps in flight; Ctrl-C again quits now.');
    expect(cli.screen()).toMatch(/Done: \d+ of 11 removals (is|are) done and recorded in cd-wizard.json/);
    expect((await cli.exited(20_000)).exitCode).toBe(130);
    expect(aws.state.codedeploy.deploymentGroups).toEqual({});
    expect(Object.keys(aws.state.iam.roles).length).toBeGreaterThan(0);

    aws.setFaults({ latencyMs: 0 });
    const again = await runSetupCli(aws, TEARDOWN, { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(accountView(aws.state)).toEqual(before);
  });
});

/** The positions of teardown's changes in an uninterrupted run, after a fresh setup. */
async function teardownChanges(expect: typeof import('vitest').expect, aws: FakeAws): Promise<{ before: ReturnType<typeof accountView>; calls: string[]; changes: number[] }> {
  aws.reset();
  const before = accountView(aws.state);
  const dir = await setUp(expect, aws);
  aws.clearCalls();
  const run = await runSetupCli(aws, TEARDOWN, { cwd: dir });
  expect(run.code, describeRun(run)).toBe(0);
  const calls = aws.calls.map(callName);
  return { before, calls, changes: calls.flatMap((name, index) => (isMutatingAction(name.split(':')[1] ?? '') ? [index] : [])) };
}

// Two kill points each way: a lost request at the middle and the last removal, a lost response at the first and the middle.
describe.concurrent('cd-wizard teardown interrupted, then run again', () => {
  it('request lost at a removal: a clear failure, then the re-run converges', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const wanted = await teardownChanges(expect, aws);
    expect(wanted.changes.length).toBe(12);
    for (const n of pick(wanted.changes, ['middle', 'last'])) {
      aws.reset();
      const dir = await setUp(expect, aws);
      aws.clearCalls();
      aws.setFaults({ dropConnectionAfter: n });
      const broken = await runSetupCli(aws, TEARDOWN, { cwd: dir, env: { AWS_MAX_ATTEMPTS: '1' } });
      const lost = aws.calls.find((call) => call.dropped);
      const context = `dropped call ${n} (${lost ? callName(lost) : 'none'})\n${describeRun(broken)}`;
      expect(lost && callName(lost), context).toBe(wanted.calls[n]);
      expect(broken.code, context).toBe(1);
      expect(broken.stderr, context).toContain('Run the same command again (cd-wizard teardown --yes): teardown continues where it stopped');
      expect(broken.stderr, context).not.toMatch(STACK_FRAME);

      const again = await runSetupCli(aws, TEARDOWN, { cwd: dir });
      expect(again.code, `${context}\n${describeRun(again)}`).toBe(0);
      expect(accountView(aws.state), context).toEqual(wanted.before);
    }
  });

  it('response lost after a removal was made: a clear failure, then the re-run converges', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: FRESH });
    const proxy = await startLossyProxy(aws.url);
    onTestFinished(() => proxy.close());
    const wanted = await teardownChanges(expect, aws);
    for (const n of pick(wanted.changes, ['first', 'middle'])) {
      aws.reset();
      const dir = await setUp(expect, aws);
      aws.clearCalls();
      proxy.loseResponseAfter(n);
      const broken = await runSetupCli(aws, TEARDOWN, { cwd: dir, env: { AWS_MAX_ATTEMPTS: '1', AWS_ENDPOINT_URL: proxy.url } });
      const lost = aws.calls[n];
      const context = `lost the response of call ${n} (${lost ? callName(lost) : '?'})\n${describeRun(broken)}`;
      expect(proxy.lost, context).toBe(true);
      expect(lost?.status, context).toBeLessThan(300);
      expect(broken.code, context).toBe(1);

      const again = await runSetupCli(aws, TEARDOWN, { cwd: dir, env: { AWS_ENDPOINT_URL: proxy.url } });
      expect(again.code, `${context}\n${describeRun(again)}`).toBe(0);
      expect(accountView(aws.state), context).toEqual(wanted.before);
      expect(aws.mutatingCalls().filter((call) => call.status >= 300).map(callName), context).toEqual([]);
    }
  });
});
