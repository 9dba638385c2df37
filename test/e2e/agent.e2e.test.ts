/**
 * `cd-wizard agent` and setup's agent and GitHub parts, end to end: the BUILT binary against the loopback fake AWS.
 * Two instances: web-1 is managed by Systems Manager; web-2's role lacks AmazonSSMManagedInstanceCore, so SSM does
 * not manage it. The fake answers the agent report "not installed" until AWS-ConfigureAWSPackage ran on the
 * instance, then "running".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CallRecord, FakeAws, Seed } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { AGENT_RULES } from './helpers/agent-world.js';
import { describeRun } from './helpers/run-cli.js';
import { ACCOUNT, BUCKET, INSTANCES, SEED, SETUP_FLAGS, awsEnv, cleanupDirs, runSetupCli, startSeededFake, tempDir, writeJson } from './helpers/setup-world.js';
import { BIN, spawnInPty } from './pty.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

const [WEB_1, WEB_2] = INSTANCES;
const EC2_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function agentSeed(extraRules: NonNullable<Seed['ssm']>['commandRules'] = []): Seed {
  return {
    iam: {
      roles: [
        { name: 'CodeDeployInstanceRole', trustPolicy: EC2_TRUST, attachedPolicies: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] },
        { name: 'LegacyRole', trustPolicy: EC2_TRUST },
      ],
      instanceProfiles: [
        { name: 'CodeDeployInstanceProfile', role: 'CodeDeployInstanceRole' },
        { name: 'LegacyProfile', role: 'LegacyRole' },
      ],
    },
    ec2: {
      instances: [
        { id: WEB_1, name: 'web-1', tags: { Env: 'prod' }, instanceProfile: 'CodeDeployInstanceProfile' },
        { id: WEB_2, name: 'web-2', tags: { Env: 'prod' }, instanceProfile: 'LegacyProfile' },
      ],
    },
    s3: SEED.s3 ?? {},
    ssm: { instances: [{ instanceId: WEB_1 }], commandRules: [...extraRules, ...AGENT_RULES] },
  };
}

/** A folder with the answers file setup would have written for both instances (selected by Env=prod). */
function answersDir(): string {
  const dir = tempDir('cdw-e2e-agent-');
  writeJson(join(dir, 'cd-wizard.json'), { schemaVersion: 1, answers: { region: 'us-east-1', app: 'web', group: 'prod', bucket: BUCKET, instances: [], tagGroups: [[{ key: 'Env', value: 'prod' }]] } });
  return dir;
}

const runAgent = (aws: FakeAws, args: readonly string[], cwd: string) => runSetupCli(aws, ['agent', ...args], { cwd, env: { CD_WIZARD_POLL_MS: '50' } });
const sent = (aws: FakeAws) =>
  aws.callsTo('ssm', 'SendCommand').map((call: CallRecord) => {
    const params = call.params as { DocumentName: string; InstanceIds: string[]; Parameters: Record<string, string[]> };
    return { document: params.DocumentName, instances: params.InstanceIds, parameters: params.Parameters, status: call.status };
  });

// Sequential: each case starts the binary one to three times; run side by side they starve a 2-core machine.
describe('cd-wizard agent', { timeout: 60_000 }, () => {
  it('install --yes: the managed instance installs with live progress and is checked; the unmanaged one gets the reason and the commands for its OS and region', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: agentSeed([{ document: 'AWS-ConfigureAWSPackage', durationMs: 400 }]) });
    const run = await runAgent(aws, ['install', '--yes'], answersDir());
    // web-2 is left without an agent: the install is not done everywhere.
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toContain('The CodeDeploy agent on 2 instances in us-east-1 (cd-wizard.json: instances tagged Env=prod)');
    expect(run.stdout).toContain(`✓ ${WEB_1} (web-1)  installed; the agent OFFICIAL_1.7.1-110_rpm is running`);
    expect(run.stdout).toContain(
      `✗ ${WEB_2} (web-2)  Its role LegacyRole does not have AmazonSSMManagedInstanceCore, so Systems Manager does not manage it: cd-wizard setup --ssm attaches it`,
    );
    expect(run.stdout).toContain(`On ${WEB_2} (Linux), install the agent by hand (agent 1.x, as root):`);
    expect(run.stdout).toContain('cd /tmp && wget https://aws-codedeploy-us-east-1.s3.us-east-1.amazonaws.com/latest/install');
    expect(run.stdout).toContain('Then check that it runs: sudo service codedeploy-agent status');
    // Progress per instance on stderr, while the package installs.
    expect(run.stderr).toContain(`${WEB_1} (web-1): installing`);
    expect(run.stderr).toContain(`${WEB_1} (web-1): checking that the agent runs`);
    expect(run.stderr).toContain(`✓ ${WEB_1} (web-1): installed; the agent OFFICIAL_1.7.1-110_rpm is running`);
    // Exactly one package command, to the managed instance only, then the read-only check there.
    const commands = sent(aws);
    expect(commands.map((c) => [c.document, c.instances])).toEqual([
      ['AWS-ConfigureAWSPackage', [WEB_1]],
      ['AWS-RunShellScript', [WEB_1]],
    ]);
    expect(commands[0]?.parameters).toEqual({ action: ['Install'], name: ['AWSCodeDeployAgent'], installationType: ['Uninstall and reinstall'] });
    expect(aws.mutatingCalls().filter((call) => call.service !== 'ssm')).toEqual([]);
  });

  it('a failed install says what the package printed and is not checked as running', async ({ expect, onTestFinished }) => {
    const failure = { instanceId: WEB_1, document: 'AWS-ConfigureAWSPackage', status: 'Failed' as const, stderr: 'Failed to install package; install status Failed' };
    const aws = await startSeededFake(onTestFinished, { seed: agentSeed([failure]) });
    const run = await runAgent(aws, ['update', '--yes', '--instances', WEB_1], answersDir());
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toContain(`✗ ${WEB_1} (web-1)  AWS-ConfigureAWSPackage ended Failed: Failed to install package; install status Failed`);
    expect(sent(aws).map((c) => c.document)).toEqual(['AWS-ConfigureAWSPackage']);
    expect(sent(aws)[0]?.parameters.installationType).toEqual(['In-place update']);
  });

  it('status --yes reads the agent through SSM; --json gives each instance', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: agentSeed() });
    const dir = answersDir();
    const run = await runAgent(aws, ['status', '--yes'], dir);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain(`✗ ${WEB_1} (web-1)  the agent is not installed (cd-wizard agent install)`);
    expect(run.stdout).toContain(`! ${WEB_2} (web-2)  Its role LegacyRole does not have AmazonSSMManagedInstanceCore`);
    expect(run.stdout).toContain(`On ${WEB_2} (Linux), check by hand: sudo service codedeploy-agent status`);
    expect(sent(aws).map((c) => [c.document, c.instances])).toEqual([['AWS-RunShellScript', [WEB_1]]]);

    const json = await runAgent(aws, ['--yes', '--json'], dir);
    expect(json.code, describeRun(json)).toBe(0);
    const doc = JSON.parse(json.stdout) as { command: string; instances: Array<{ id: string; ssm: boolean; ok: boolean; unreachable?: string; agent?: { installed: boolean }; byHand?: { check: string } }> };
    expect(doc.command).toBe('status');
    expect(doc.instances.map((one) => [one.id, one.ssm, one.ok, one.unreachable ?? null, one.agent?.installed ?? null])).toEqual([
      [WEB_1, true, false, null, false],
      [WEB_2, false, false, 'no-ssm-policy', null],
    ]);
    expect(doc.instances[1]?.byHand?.check).toBe('sudo service codedeploy-agent status');
  });

  it('without --yes and without a terminal, nothing runs on an instance', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: agentSeed() });
    const dir = answersDir();
    const unasked = await runAgent(aws, [], dir);
    expect(unasked.code).toBe(0);
    expect(unasked.stdout).toContain(`Nothing was run on ${WEB_1} (web-1) (--yes runs it).`);
    const install = await runAgent(aws, ['install'], dir);
    expect(install.code, describeRun(install)).toBe(2);
    expect(install.stderr).toContain('there is no terminal to confirm it; nothing was run');
    expect(install.stderr).toContain('cd-wizard agent install --yes');
    expect(aws.callsTo('ssm', 'SendCommand')).toEqual([]);
  });
});

describe('setup: the agent as the last step, and GitHub Actions with OIDC', { timeout: 60_000 }, () => {
  it('--ssm --install-agent installs the agent where SSM manages the instances', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: { ...SEED, ssm: { instances: [{ instanceId: WEB_1 }], commandRules: AGENT_RULES } } });
    const run = await runSetupCli(aws, [...SETUP_FLAGS, '--ssm', '--install-agent', '--yes'], { cwd: tempDir(), env: { CD_WIZARD_POLL_MS: '50' } });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).toContain(`✓ Agent on ${WEB_1}: installed; the agent OFFICIAL_1.7.1-110_rpm is running`);
    expect(run.stdout).toContain(`✓ The CodeDeploy agent runs on ${WEB_1}.`);
    // web-2 is not managed: its commands are still in the next steps.
    expect(run.stdout).toContain('1. Install the CodeDeploy agent on each instance (agent 1.x):');
    expect(sent(aws).map((c) => [c.document, c.instances])).toEqual([
      ['AWS-ConfigureAWSPackage', [WEB_1]],
      ['AWS-RunShellScript', [WEB_1]],
    ]);
  });

  it('--github-repo creates the provider and a deploy role for that repository and branch; a re-run changes nothing; init writes the workflow with its ARN', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const dir = tempDir();
    const run = await runSetupCli(aws, [...SETUP_FLAGS, '--github-repo', 'my-org/shop', '--github-branch', 'main', '--yes', '--verbose'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/cd-wizard-deploy-web`;
    // In the plan like every other change (--verbose: with the policy statements and the AWS calls).
    expect(run.stdout).toContain('+ Create the GitHub OIDC identity provider token.actions.githubusercontent.com (audience sts.amazonaws.com)   iam:CreateOpenIDConnectProvider');
    expect(run.stdout).toContain('+ Create GitHub Actions deploy role cd-wizard-deploy-web   iam:CreateRole');
    expect(run.stdout).toContain('Allow sts:AssumeRoleWithWebIdentity by Federated arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com if StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com if StringEquals token.actions.githubusercontent.com:sub = repo:my-org/shop:ref:refs/heads/main');
    expect(run.stdout).toContain(`Allow s3:PutObject, s3:AbortMultipartUpload on arn:aws:s3:::${BUCKET}/web/*`);
    expect(run.stdout).toContain(`From GitHub Actions (only repo:my-org/shop:ref:refs/heads/main): cd-wizard init --github-actions writes a workflow that assumes`);
    expect(run.stdout).toContain(roleArn);

    const providers = Object.values(aws.state.iam.oidcProviders);
    expect(providers.map((p) => [p.url, p.clientIds, p.tags])).toEqual([['token.actions.githubusercontent.com', ['sts.amazonaws.com'], [{ Key: 'ManagedBy', Value: 'cd-wizard' }]]]);
    const role = aws.state.iam.roles['cd-wizard-deploy-web'];
    expect(JSON.parse(role?.trustPolicy ?? '{}')).toMatchObject({ Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/shop:ref:refs/heads/main' } } }] });
    expect(Object.keys(role?.inlinePolicies ?? {})).toEqual(['cd-wizard-deploy']);
    expect(role?.tags).toContainEqual({ Key: 'ManagedBy', Value: 'cd-wizard' });
    const file = JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')) as { answers: Record<string, unknown>; state: Record<string, { arn?: string; status?: string }> };
    expect(file.answers).toMatchObject({ githubRepo: 'my-org/shop', githubBranch: 'main', deployRole: 'cd-wizard-deploy-web' });
    expect(file.state.deployRole).toEqual({ name: 'cd-wizard-deploy-web', arn: roleArn, status: 'created' });
    expect(file.state.oidcProvider).toMatchObject({ name: 'token.actions.githubusercontent.com', status: 'created' });

    aws.clearCalls();
    const again = await runSetupCli(aws, ['setup', '--yes'], { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stdout).toContain('= Reuse GitHub OIDC identity provider token.actions.githubusercontent.com');
    expect(again.stdout).toContain('= Reuse GitHub Actions deploy role cd-wizard-deploy-web');
    expect(again.stdout).toContain('Nothing to change');
    expect(aws.mutatingCalls()).toEqual([]);

    // The workflow init writes finds the role, the bucket, the application and the branch in the answers file.
    const init = await runSetupCli(aws, ['init', '--kind', 'static', '--github-actions'], { cwd: dir });
    expect(init.code, describeRun(init)).toBe(0);
    const workflow = readFileSync(join(dir, '.github/workflows/codedeploy.yml'), 'utf8');
    expect(workflow).toContain(`role-to-assume: ${roleArn}`);
    expect(workflow).toContain('branches: [main]');
    expect(workflow).toContain(`BUCKET: ${BUCKET}`);
    expect(workflow).toContain('--s3-location "s3://$BUCKET/$APPLICATION/$GITHUB_SHA.zip"');
  });
});

describe('setup on a terminal', { timeout: 60_000 }, () => {
  it('asks before installing the agent (default No); declining runs nothing on the instances', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { seed: { ...SEED, ssm: { instances: [{ instanceId: WEB_1 }, { instanceId: WEB_2 }], commandRules: AGENT_RULES } } });
    const dir = tempDir();
    const session = spawnInPty(process.execPath, [BIN, ...SETUP_FLAGS, '--ssm'], { cols: 100, rows: 30, cwd: dir, keyDelayMs: 50, env: awsEnv(aws, { AWS_PROFILE: undefined, CD_WIZARD_POLL_MS: '50' }) });
    onTestFinished(() => session.dispose());
    await session.waitFor(/Apply these \d+ changes\?/, 15_000);
    await session.press('y', 'enter');
    await session.waitFor('Install the CodeDeploy agent on these instances now?', 15_000);
    expect(session.screen()).toContain(`Systems Manager manages ${WEB_1}, ${WEB_2}.`);
    expect(session.screen()).toContain('› (y/N)');
    await session.press('enter');
    await session.exited(15_000);
    const text = stripVTControlCharacters(session.raw()).replace(/\r/g, '');
    expect(text).toContain('Setup is done.');
    expect(text).toContain(`cd-wizard agent install   # Systems Manager manages ${WEB_1}, ${WEB_2}`);
    expect(aws.callsTo('ssm', 'SendCommand')).toEqual([]);
  });
});
