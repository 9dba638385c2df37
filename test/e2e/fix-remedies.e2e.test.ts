/**
 * `cd-wizard fix` remedies and --wait, end to end: the BUILT binary in a pseudo-terminal (questions answered
 * one key at a time) or a pipe, against the fake AWS. Each remedy is confirmed on screen, changes exactly what it
 * showed (the fake's state and call log), and a second `fix` reports the check passing. --wait follows a
 * deployment the fake moves along its clock.
 */
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, CODEDEPLOY_ROLE_ARN, FAILED_DEPLOYMENT, INSTANCES, INSTANCE_PROFILE, INSTANCE_ROLE, SERVICE_ROLE, baseSeed } from '../fake-aws/scenarios.js';
import { requireBuild } from './built.js';
import { describeRun } from './helpers/run-cli.js';
import { parseJson, startWorld, type FixWorld } from './helpers/fix-world.js';

beforeAll(requireBuild);

const mutations = (world: FixWorld) => world.aws.mutatingCalls().map((call) => `${call.service}:${call.action}`);
const checkStatus = async (world: FixWorld, id: string) => parseJson(await world.run(['--json'])).checks.filter((check) => check.id === id).map((check) => check.status);

/** Runs `fix` in a terminal, says yes to the question showing `question`, and waits for the program to end. */
async function confirmIn(world: FixWorld, question: string, answers: Array<'y' | 'n' | 'enter'> = ['y'], args: string[] = []) {
  const cli = world.pty(args);
  try {
    await cli.waitFor(question, 20_000);
    for (const answer of answers) await cli.press(...(answer === 'enter' ? (['enter'] as const) : ([answer, 'enter'] as const)));
    const status = await cli.exited(20_000);
    return { status, screen: cli.screen(), raw: cli.raw() };
  } finally {
    cli.dispose();
  }
}

describe.concurrent('remedies, confirmed in a terminal', () => {
  it('attaches AWSCodeDeployRole; the second fix sees the check pass', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'service-role-permissions' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, `Attach AWSCodeDeployRole to ${SERVICE_ROLE}?`);
    expect(status.exitCode, screen).toBe(0);
    expect(screen).toContain(`will change: iam:AttachRolePolicy ${SERVICE_ROLE} ← ${CODEDEPLOY_ROLE_ARN}`);
    expect(screen).toContain(`✓ Attached AWSCodeDeployRole to ${SERVICE_ROLE}`);
    expect(screen).toMatch(/re-check: ✓ Service role has AWSCodeDeployRole/);
    expect(mutations(world)).toEqual(['iam:AttachRolePolicy']);
    expect(world.aws.state.iam.roles[SERVICE_ROLE]?.attachedPolicies).toEqual([CODEDEPLOY_ROLE_ARN]);
    expect(await checkStatus(world, 'service-role-policy')).toEqual(['ok']);
  });

  it('the default answer is No: Enter changes nothing', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'service-role-permissions' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, `Attach AWSCodeDeployRole to ${SERVICE_ROLE}?`, ['enter']);
    expect(status.exitCode, screen).toBe(0);
    expect(mutations(world)).toEqual([]);
    expect(world.aws.state.iam.roles[SERVICE_ROLE]?.attachedPolicies).toEqual([]);
  });

  it('attaches the instance profile to the instances without one, and reminds to restart the agent', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'agent-missing-credentials' });
    onTestFinished(() => world.close());
    const { status, screen, raw } = await confirmIn(world, `Attach instance profile ${INSTANCE_PROFILE} to 2 instances?`);
    expect(status.exitCode, screen).toBe(0);
    for (const id of INSTANCES) expect(screen).toContain(`will change: ec2:AssociateIamInstanceProfile ${id} ← ${INSTANCE_PROFILE}`);
    expect(screen).toContain('re-check: ✓ Every target instance has an instance profile');
    expect(raw).toContain('so it picks up the credentials: sudo systemctl restart codedeploy-agent');
    expect(mutations(world)).toEqual(['ec2:AssociateIamInstanceProfile', 'ec2:AssociateIamInstanceProfile']);
    const associated = Object.values(world.aws.state.ec2.associations).map((a) => `${a.instanceId} ${a.profileArn.split('/').pop() ?? ''}`).sort();
    expect(associated).toEqual(INSTANCES.map((id) => `${id} ${INSTANCE_PROFILE}`));
    expect(await checkStatus(world, 'instance-profiles')).toEqual(['ok']);
  });

  it("repairs the service role's trust policy, keeping its other statements", async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'service-role-trust' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, `Let CodeDeploy assume ${SERVICE_ROLE} (trust policy)?`);
    expect(status.exitCode, screen).toBe(0);
    expect(mutations(world)).toEqual(['iam:UpdateAssumeRolePolicy']);
    const trust = JSON.parse(world.aws.state.iam.roles[SERVICE_ROLE]?.trustPolicy ?? '{}') as { Statement: Array<{ Principal: { Service: string } }> };
    expect(trust.Statement.map((statement) => statement.Principal.Service)).toEqual(['ec2.amazonaws.com', 'codedeploy.amazonaws.com']);
    expect(await checkStatus(world, 'service-role-trust')).toEqual(['ok']);
  });

  it('lets the instance role read the revision bucket with a policy of its own (a role setup did not record: a person\'s yes)', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 's3-access-denied' });
    onTestFinished(() => world.close());
    const { status, screen, raw } = await confirmIn(world, `Let ${INSTANCE_ROLE} read the revisions in ${BUCKET}?`);
    expect(status.exitCode, screen).toBe(0);
    expect(screen).toContain(`will change: iam:PutRolePolicy ${INSTANCE_ROLE}`);
    expect(screen).toContain('re-check: ✓ Instance role can read the revision');
    expect(raw).toContain('Start a new deployment: the failed one does not retry by itself.');
    expect(mutations(world)).toEqual(['iam:PutRolePolicy']);
    const written = world.aws.state.iam.roles[INSTANCE_ROLE]?.inlinePolicies['cd-wizard-revision-read'];
    expect(JSON.parse(written ?? '{}')).toMatchObject({ Statement: [{ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: [`arn:aws:s3:::${BUCKET}/*`, 'arn:aws:s3:::aws-codedeploy-us-east-1/*'] }, { Action: 's3:ListBucket' }] });
    expect(await checkStatus(world, 'revision-readable')).toEqual(['ok']);
  });

  it('makes a deleted service role again under its name; the group works without being changed', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'service-role-missing' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, `Create service role ${SERVICE_ROLE} again`);
    expect(status.exitCode, screen).toBe(0);
    expect(screen).toContain('re-check: ✓ Service role exists');
    expect(screen).toContain('re-check: ✓ CodeDeploy may assume the service role');
    expect(mutations(world)).toEqual(['iam:CreateRole', 'iam:AttachRolePolicy']);
    expect(world.aws.state.iam.roles[SERVICE_ROLE]?.attachedPolicies).toEqual([CODEDEPLOY_ROLE_ARN]);
    const checks = parseJson(await world.run(['--json'])).checks;
    expect(checks.filter((check) => check.id.startsWith('service-role')).map((check) => `${check.id} ${check.status}`)).toEqual(['service-role ok', 'service-role-trust ok', 'service-role-policy ok']);
  });

  it('tags the instances from cd-wizard.json so the group matches them', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'no-instances' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, 'Tag 2 instances so the deployment group matches them?');
    expect(status.exitCode, screen).toBe(0);
    expect(screen).toContain(`will change: ec2:CreateTags ${INSTANCES[0]} + Env=production`);
    expect(mutations(world)).toEqual(['ec2:CreateTags']);
    for (const id of INSTANCES) expect(world.aws.state.ec2.instances[id]?.tags).toContainEqual({ Key: 'Env', Value: 'production' });
    expect(await checkStatus(world, 'instances-match')).toEqual(['ok']);
  });

  it('asks before running the agent check over SSM, then restarts the agent and shows it running', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'agent-not-running' });
    onTestFinished(() => world.close());
    const cli = world.pty([]);
    onTestFinished(() => cli.dispose());
    await cli.waitFor('It sends one AWS-RunShellScript command; nothing on the instances is changed.', 20_000);
    expect(mutations(world)).toEqual([]);
    await cli.press('y', 'enter');
    await cli.waitFor(`Restart the CodeDeploy agent on ${INSTANCES.join(', ')} (SSM)?`, 20_000);
    await cli.press('y', 'enter');
    const status = await cli.exited(20_000);
    expect(status.exitCode, cli.screen()).toBe(0);
    expect(cli.screen()).toContain(`re-check: ✓ CodeDeploy agent is installed and running (${INSTANCES[0]})`);
    expect(mutations(world)).toEqual(['ssm:SendCommand', 'ssm:SendCommand', 'ssm:SendCommand']);
  });

  it('redeploys the same revision with ignoreApplicationStopFailures, once', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'application-stop-failing' });
    onTestFinished(() => world.close());
    const { status, screen } = await confirmIn(world, 'with ignoreApplicationStopFailures=true?');
    expect(status.exitCode, screen).toBe(0);
    expect(mutations(world)).toEqual(['codedeploy:CreateDeployment']);
    const created = Object.values(world.aws.state.codedeploy.deployments).find((d) => d.id !== FAILED_DEPLOYMENT);
    expect(created).toMatchObject({ ignoreApplicationStopFailures: true, revision: { revisionType: 'S3', s3Location: { bucket: 'shop-revisions', key: 'releases/shop-42.zip' } } });
    expect(screen).toContain(`Follow it: cd-wizard fix --wait --deployment ${created?.id ?? ''}`);
    // Idempotent: applied again, it finds the redeploy instead of starting another.
    const again = await world.run(['--yes', '--json']);
    expect(parseJson(again).remedies[0]).toMatchObject({ kind: 'redeploy', status: 'unchanged' });
    expect(mutations(world)).toEqual(['codedeploy:CreateDeployment']);
  });

  it('without cd-wizard.json, picks the application, then the group showing its latest deployment', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'script-failed', answers: null });
    onTestFinished(() => world.close());
    const cli = world.pty(['--no-ssm']);
    onTestFinished(() => cli.dispose());
    await cli.waitFor('Which application?', 20_000);
    await cli.press('enter');
    await cli.waitFor(`Failed ${FAILED_DEPLOYMENT}`, 20_000);
    expect(cli.screen()).toContain('Which deployment group of shop?');
    await cli.press('enter');
    const status = await cli.exited(20_000);
    expect(status.exitCode, cli.screen()).toBe(0);
    expect(cli.raw()).toContain('[script-failed]');
  });

  it('--json in a terminal asks nothing and changes nothing', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'agent-not-running' });
    onTestFinished(() => world.close());
    const cli = world.pty(['--json']);
    onTestFinished(() => cli.dispose());
    const status = await cli.exited(20_000);
    expect(status.exitCode).toBe(0);
    expect(cli.raw()).toContain('"status": "not-allowed"');
    expect(mutations(world)).toEqual([]);
  });
});

describe.concurrent('--wait follows a deployment on the fake clock', () => {
  const OUTCOME = { failAt: 'AfterInstall', errorCode: 'ScriptFailed', scriptName: 'scripts/migrate.sh', message: 'Script at specified location: scripts/migrate.sh run as user root failed with exit code 3' };

  async function startRun(failing: boolean) {
    const seed = baseSeed({ deployment: null });
    const world = await startWorld({ seed: { ...seed, codedeploy: { ...seed.codedeploy, deploymentDurationMs: 60_000, outcomes: failing ? [OUTCOME] : [] } }, answers: null });
    const client = new CodeDeployClient({ ...world.aws.clientConfig(), maxAttempts: 1 });
    const { deploymentId = '' } = await client.send(
      new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'prod', revision: { revisionType: 'S3', s3Location: { bucket: 'shop-revisions', key: 'releases/shop-42.zip', bundleType: 'zip' } } }),
    );
    client.destroy();
    return { world, deploymentId };
  }

  /** Lets the CLI poll a few times, moving the fake clock halfway, then to the end. */
  async function driveClock(world: FixWorld) {
    const polls = () => world.aws.callsTo('codedeploy', 'GetDeployment').length;
    const until = async (n: number) => {
      for (let i = 0; i < 400 && polls() < n; i += 1) await new Promise((done) => setTimeout(done, 25));
    };
    await until(2);
    world.aws.advanceClock(35_000);
    await until(polls() + 2);
    world.aws.advanceClock(30_000);
  }

  it('a deployment that fails: live progress, then the diagnosis and exit 1', async ({ onTestFinished }) => {
    const { world, deploymentId } = await startRun(true);
    onTestFinished(() => world.close());
    const running = world.run(['--wait', '--app', 'shop', '--group', 'prod', '--no-ssm']);
    await driveClock(world);
    const run = await running;
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(`${deploymentId} InProgress`);
    // In a pipe, a line per instance each time it moves on, a mark per lifecycle event; each end said once.
    expect(run.stderr).toMatch(new RegExp(`${INSTANCES[0]} ✓+…·* InProgress \\w+`));
    expect(run.stderr.split('\n').filter((line) => line.includes(`${INSTANCES[0]} ✓✓✓✓✗`))).toEqual([`✗ ${INSTANCES[0]} ✓✓✓✓✗-- Failed AfterInstall ScriptFailed`]);
    expect(run.stderr).toContain(`${deploymentId} Failed`);
    expect(run.stdout).toContain(`Deployment ${deploymentId} (shop/prod) Failed: HEALTH_CONSTRAINTS`);
    expect(run.stdout).toMatch(/✗ .+ \[script-failed\]/);
    expect(run.stdout).toContain('scripts/migrate.sh run as user root failed with exit code 3');
  });

  it('a deployment that succeeds: exit 0', async ({ onTestFinished }) => {
    const { world, deploymentId } = await startRun(false);
    onTestFinished(() => world.close());
    const running = world.run(['--wait', '--deployment', deploymentId, '--json']);
    await driveClock(world);
    const run = await running;
    expect(run.code, describeRun(run)).toBe(0);
    expect(parseJson(run)).toMatchObject({ deployment: { id: deploymentId, status: 'Succeeded' }, findings: [] });
    // --json: NDJSON progress on stderr, the same events setup sends.
    const events = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { event: string; status?: string });
    expect(events.find((event) => event.event === 'fix.wait.deployment' && event.status === 'Succeeded')).toBeDefined();
    expect(events.filter((event) => event.event === 'fix.wait.target').length).toBeGreaterThan(0);
  });

  it('Ctrl-C while waiting stops watching only, in the one interruption shape: what goes on in AWS, how to watch again', async ({ onTestFinished }) => {
    const { world, deploymentId } = await startRun(true);
    onTestFinished(() => world.close());
    const cli = world.pty(['--wait', '--deployment', deploymentId, '--no-ssm']);
    onTestFinished(() => cli.dispose());
    await cli.waitFor(new RegExp(`${INSTANCES[0]} [✓…·]+ InProgress`), 20_000);
    await cli.press('ctrl-c');
    const status = await cli.exited(10_000);
    expect(status.exitCode).toBe(130);
    const screen = cli.screen();
    expect(screen).toContain('✗ Interrupted.');
    expect(screen).toContain(`Still running in AWS: deployment ${deploymentId} goes on`);
    expect(screen).toContain(`To resume: cd-wizard fix --wait --deployment ${deploymentId}`);
    // Only the test's own CreateDeployment: watching changed nothing.
    expect(world.aws.mutatingCalls().map((call) => call.action)).toEqual(['CreateDeployment']);
  });

  it('in a terminal, one live line per instance with a mark per lifecycle event', async ({ onTestFinished }) => {
    const { world, deploymentId } = await startRun(true);
    onTestFinished(() => world.close());
    const cli = world.pty(['--wait', '--deployment', deploymentId, '--no-ssm']);
    onTestFinished(() => cli.dispose());
    await cli.waitFor(new RegExp(`${INSTANCES[0]} [✓…·]+ InProgress`), 20_000);
    await driveClock(world);
    const status = await cli.exited(20_000);
    expect(status.exitCode).toBe(1);
    expect(cli.raw()).toMatch(new RegExp(`${INSTANCES[0]} .*✓.*✗.* Failed AfterInstall`));
  });
});
