import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUESTIONS, createInteractiveAsker, type QuestionId, type SetupPrompter } from '../../../../src/commands/setup/ask.js';
import { runSetup, type SetupFlags } from '../../../../src/commands/setup/setup.js';
import type { GlobalOptions } from '../../../../src/context.js';
import { UsageError, UserError } from '../../../../src/errors.js';
import { PromptCancelledError } from '../../../../src/prompt/prompter.js';
import { ACCOUNT, createFakeAws, emptyState, instance, type FakeAws } from '../../../helpers/fake-ports.js';
import { captureContext } from '../../../helpers/context.js';
import { deploymentGroupInfo } from '../../../helpers/fixtures.js';

const FLAGS: SetupFlags = { app: 'web', group: 'prod', bucket: 'my-revisions', instances: ['i-0aaaaaaaaaaaaaaa1'] };

function world(): FakeAws {
  const state = emptyState();
  state.instances.set('i-0aaaaaaaaaaaaaaa1', instance('i-0aaaaaaaaaaaaaaa1', { tags: { Name: 'web-1' } }));
  return createFakeAws(state);
}

/** `region: null`: no --region (the environment or the answers file decide). */
async function setup(aws: FakeAws, flags: SetupFlags, cwd: string, globals: Partial<Omit<GlobalOptions, 'region'>> & { region?: string | null } = {}, extra = {}, env: NodeJS.ProcessEnv = {}) {
  const { region = 'eu-west-1', ...rest } = globals;
  const ctx = captureContext({ ...(region === null ? {} : { region }), ...rest }, { ports: aws.ports, cwd, env: { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', ...env } });
  const code = await runSetup(ctx, flags, { sleep: async () => undefined, now: () => new Date('2026-01-02T03:04:05Z'), ...extra });
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'cdw-setup-'));

describe('cd-wizard setup (non-interactive)', () => {
  it('--verbose shows each policy statement and the AWS calls in the plan', async () => {
    const { code, stdout } = await setup(world(), { ...FLAGS, dryRun: true, verbose: true }, tempDir());
    expect(code).toBe(0);
    expect(stdout).toContain('+ Create service role CodeDeployServiceRole   iam:CreateRole');
    expect(stdout).toContain('Allow sts:AssumeRole by service codedeploy.amazonaws.com if StringEquals aws:SourceAccount = 123456789012');
    expect(stdout).not.toContain('folded');
  });

  it('creates everything with --yes, saves answers and ARNs, and prints the next steps', async () => {
    const aws = world();
    const dir = tempDir();
    const { code, stdout, stderr } = await setup(aws, { ...FLAGS, yes: true }, dir);
    expect(code).toBe(0);
    // Nobody is asked: the plan opens the result (stdout), before what was done.
    expect(stdout).toContain('Plan for account 123456789012 in eu-west-1');
    expect(stdout).toContain('  + Create service role CodeDeployServiceRole\n      + Attach AWSCodeDeployRole to CodeDeployServiceRole');
    // The policy documents are folded to one line; --verbose shows them.
    expect(stdout).toContain('policy documents folded: --verbose shows them statement by statement.');
    expect(stdout).not.toContain('Allow sts:AssumeRole');
    expect(stderr).not.toContain('Plan for account');
    expect(stdout).toContain('Setup is done.');
    expect(stdout).toContain('wget https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install');
    expect(stdout).toContain('aws deploy create-deployment --application-name web --deployment-group-name prod --s3-location bucket=my-revisions,key=web/release.zip,bundleType=zip --region eu-west-1');
    expect(stderr).toContain('✓ Created deployment group prod');
    const file = JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8'));
    expect(file.answers).toMatchObject({ region: 'eu-west-1', app: 'web', group: 'prod', bucket: 'my-revisions', instances: ['i-0aaaaaaaaaaaaaaa1'] });
    expect(file.state.serviceRole).toEqual({ name: 'CodeDeployServiceRole', arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`, status: 'created' });
    expect(file.state.deploymentGroup.arn).toBe(`arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentgroup:web/prod`);
  });

  it('replays from the answers file: nothing to change and zero mutating calls', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, { ...FLAGS, yes: true }, dir);
    const before = aws.mutations().length;
    const { code, stdout, stderr } = await setup(aws, { yes: true }, dir, { answers: 'cd-wizard.json', region: null });
    expect(code).toBe(0);
    expect(stdout).toContain('Nothing to change: everything is already set up.');
    expect(stdout).toContain('Already set up.');
    expect(stderr).toContain('Using the answers in cd-wizard.json');
    expect(aws.mutations().length).toBe(before);
  });

  it('refuses to change anything without --yes when there is no terminal, naming --yes', async () => {
    const aws = world();
    const error = await failure(setup(aws, FLAGS, tempDir()));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/The plan has 10 changes and there is no terminal to confirm them; nothing was changed/);
    expect(error.hint).toContain('--yes');
    expect(aws.mutations()).toEqual([]);
  });

  it('--answers FILE: written from the flags once the plan is accepted, never by a dry run; a replay of a missing file fails', async () => {
    const dir = tempDir();
    const { stdout, stderr } = await setup(world(), { ...FLAGS, dryRun: true }, dir, { answers: 'envs/prod.json' });
    expect(stderr).toContain('envs/prod.json does not exist yet; it will be written once you accept the plan.');
    expect(stdout).toContain('Dry run: nothing was changed and envs/prod.json was not written.');
    expect(existsSync(join(dir, 'envs/prod.json'))).toBe(false);
    await setup(world(), { ...FLAGS, yes: true }, dir, { answers: 'envs/prod.json' });
    expect(JSON.parse(readFileSync(join(dir, 'envs/prod.json'), 'utf8')).answers.app).toBe('web');
    const error = await failure(setup(world(), { yes: true }, dir, { answers: 'nope.json' }));
    expect(error.message).toMatch(/Cannot read .*nope\.json: no such file/);
  });

  it('a dry run, a declined plan or a plan with problems never replaces the saved answers', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, { ...FLAGS, yes: true }, dir);
    const saved = readFileSync(join(dir, 'cd-wizard.json'), 'utf8');
    await setup(aws, { app: 'other', dryRun: true }, dir);
    await failure(setup(aws, { instances: ['i-0bbbbbbbbbbbbbbb9'], yes: true }, dir));
    await failure(setup(aws, { app: 'renamed' }, dir));
    expect(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')).toBe(saved);
  });

  it('says which region it works in when the answers file was saved for another', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, { ...FLAGS, yes: true }, dir);
    aws.state.bucket = { status: 'unknown', reason: 'not looked at' };
    const { stderr } = await setup(aws, { dryRun: true }, dir, { region: null }, {}, { AWS_REGION: 'us-west-2' });
    expect(stderr).toContain('cd-wizard.json was saved for eu-west-1; working in us-west-2 (from AWS_REGION). Give --region eu-west-1 to work there.');
  });

  it('--dry-run shows the plan with read calls only', async () => {
    const aws = world();
    const { code, stdout, stderr } = await setup(aws, { ...FLAGS, dryRun: true }, tempDir());
    expect(code).toBe(0);
    expect(stdout).toContain('10 changes, 1 reused');
    expect(stdout).toContain('Dry run: nothing was changed and cd-wizard.json was not written.');
    expect(stderr).not.toContain('Plan for account');
    expect(aws.mutations()).toEqual([]);
    expect(aws.calls.length).toBeGreaterThan(0);
  });

  it('fails naming the missing flags, before any AWS call', async () => {
    const aws = world();
    const error = await failure(setup(aws, { app: 'web' }, tempDir()));
    expect(error.message).toMatch(/--group[\s\S]*--bucket[\s\S]*--instances, --tag or --asg/);
    expect(aws.calls).toEqual([]);
  });

  it('rejects bad flags all at once, before any AWS call', async () => {
    const aws = world();
    const error = await failure(setup(aws, { ...FLAGS, app: 'my app', bucket: 'B', instances: ['i-1'] }, tempDir()));
    expect(error.message.split('\n')).toHaveLength(4);
    expect(aws.calls).toEqual([]);
  });

  it('writes no answers a run could not check (credentials fail before the plan)', async () => {
    const aws = world();
    aws.faults.push({ operation: 'GetCallerIdentity', error: { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' } });
    const dir = tempDir();
    const error = await failure(setup(aws, FLAGS, dir));
    expect(error.message).toMatch(/AWS credentials are missing/);
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(false);
  });

  it('stops on problems found while looking, changing nothing', async () => {
    const aws = world();
    const error = await failure(setup(aws, { ...FLAGS, instances: ['i-0bbbbbbbbbbbbbbb9'], yes: true }, tempDir()));
    expect(error.message).toContain('Instance i-0bbbbbbbbbbbbbbb9 does not exist in eu-west-1');
    expect(aws.mutations()).toEqual([]);
  });

  it('says what failed, and that a re-run continues, when a step fails', async () => {
    const aws = world();
    aws.faults.push({
      operation: 'CreateDeploymentGroup',
      error: { name: 'AccessDeniedException', message: `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole` },
    });
    const dir = tempDir();
    const error = await failure(setup(aws, { ...FLAGS, yes: true }, dir));
    expect(error.message).toBe(`user/bob may not pass the role arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole to AWS (iam:PassRole), so CodeDeploy CreateDeploymentGroup was refused.`);
    expect(error.hint).toContain('cd-wizard guide --show setup-permissions');
    expect(error.hint).toContain('Run the same command again');
    // What was done before the failure is on disk.
    expect(JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')).state.application.status).toBe('created');
  });

  it('--json prints one JSON object with the plan and the result, and NDJSON progress on stderr', async () => {
    const aws = world();
    const { stdout, stderr } = await setup(aws, { ...FLAGS, yes: true }, tempDir(), { json: true });
    const out = JSON.parse(stdout);
    expect(out.plan.changes).toBe(10);
    expect(out.plan.steps[0]).toMatchObject({ id: 'service-role', kind: 'create', calls: ['iam:CreateRole'] });
    expect(out.result.ok).toBe(true);
    expect(out.nextSteps.deploy[1]).toMatch(/^cd-wizard deploy /);
    expect(out.nextSteps.deployWithCli[0]).toContain('aws deploy push --application-name web');
    const events = stderr.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(events[0]).toEqual({ event: 'setup.note', level: 'info', text: 'Checking what already exists in eu-west-1…' });
    expect(events.find((event) => event.event === 'setup.step.start')).toEqual({
      event: 'setup.step.start',
      level: 'info',
      text: 'Creating service role CodeDeployServiceRole',
      step: 'service-role',
      title: 'Creating service role CodeDeployServiceRole',
    });
    expect(events.filter((event) => event.event === 'setup.step.done')).toHaveLength(10);
    expect(events.find((event) => event.event === 'setup.plan')).toBeUndefined();
  });
});

describe('what --yes alone may change', () => {
  it('stops before any change when the plan would change a role cd-wizard did not create, listing what is there now', async () => {
    const aws = world();
    // A role of the same name someone else made, trusting EC2 only.
    aws.state.roles.set('CodeDeployServiceRole', {
      role: { name: 'CodeDeployServiceRole', arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`, path: '/', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, tags: {} },
      attached: [],
      inline: {},
    });
    const dir = tempDir();
    const error = await failure(setup(aws, { ...FLAGS, yes: true }, dir));
    expect(error.message).toMatch(/^Setup would change 2 things cd-wizard did not create, and that was not allowed; nothing was changed:/);
    expect(error.message).toContain('Repair the trust policy of service role CodeDeployServiceRole: cd-wizard did not create this role');
    expect(error.message).toContain('now: Allow sts:AssumeRole by service ec2.amazonaws.com');
    expect(error.hint).toContain('--change-foreign');
    expect(aws.mutations()).toEqual([]);
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(false);
    // With its flag, the change is made and their statement kept.
    const { code } = await setup(aws, { ...FLAGS, yes: true, changeForeign: true }, dir);
    expect(code).toBe(0);
    expect(aws.state.roles.get('CodeDeployServiceRole')?.role.trust?.Statement).toHaveLength(2);
  });

  it('leaves an instance whose selection tag someone else set out of the group, unless --retag', async () => {
    const aws = world();
    aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')!.tags = { CodeDeployApp: 'billing' };
    const flags = { ...FLAGS, tag: ['CodeDeployApp=web'], yes: true };
    const { code, stdout, stderr } = await setup(aws, flags, tempDir());
    expect(code).toBe(0);
    expect(stderr).toContain('1 instance keeps its selection tag and stays out of the group until you give --retag:');
    expect(stderr).toMatch(/not done: Retag i-0aaaaaaaaaaaaaaa1 with CodeDeployApp=web \(changes CodeDeployApp on i-0aaaaaaaaaaaaaaa1 from "billing" to "web"/);
    expect(stdout).not.toContain('i-0aaaaaaaaaaaaaaa1 CodeDeployApp');
    expect(aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')?.tags).toEqual({ CodeDeployApp: 'billing' });
    await setup(aws, { ...flags, retag: true }, tempDir());
    expect(aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')?.tags).toEqual({ CodeDeployApp: 'web' });
  });
});

describe('cd-wizard setup (asker hook)', () => {
  type Asked = { id: QuestionId; message: string; help?: string; details?: readonly string[]; choices?: Array<{ label: string; value: unknown; description?: string }>; note?: (value: string) => string | undefined; header?: string };
  /** Answers by question id (a function answers from the question); the default otherwise. Records every question. */
  function prompter(answers: Partial<Record<QuestionId, unknown>>): SetupPrompter & { asked: QuestionId[]; questions: Asked[] } {
    const asked: QuestionId[] = [];
    const questions: Asked[] = [];
    const answer = async (question: Asked & { default?: unknown }) => {
      asked.push(question.id);
      questions.push(question);
      const given = answers[question.id];
      if (given instanceof Error) throw given;
      if (typeof given === 'function') return (given as (q: Asked) => unknown)(question) as never;
      return (question.id in answers ? given : question.default) as never;
    };
    return { asked, questions, input: answer, select: answer, multiSelect: answer, confirm: answer };
  }
  const question = (p: { questions: Asked[] }, id: QuestionId) => p.questions.find((asked) => asked.id === id);

  it('asks only what the flags left open, in the order of the issue, and confirms the plan', async () => {
    const aws = world();
    const p = prompter({ bucketPick: 'my-revisions', instances: ['i-0aaaaaaaaaaaaaaa1'], confirmPlan: true });
    const { code } = await setup(aws, { app: 'web', group: 'prod' }, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(p.asked).toEqual(['whereAmI', 'serviceRole', 'instanceRole', 'instanceProfilePick', 'bucketPick', 'ssm', 'instances', 'tags', 'moreTags', 'deploymentConfig', 'rollback', 'useTargetGroup', 'github', 'confirmPlan']);
    expect(aws.state.deploymentGroups.get('web/prod')?.tagGroups).toEqual([[{ key: 'cd-wizard:group', value: 'web/prod' }]]);
    expect(question(p, 'whereAmI')).toMatchObject({ message: `Set up CodeDeploy in account ${ACCOUNT}, region eu-west-1?` });
    expect(question(p, 'whereAmI')?.details?.[1]).toMatch(/^Caller {3}arn:aws:/);
    expect(question(p, 'confirmPlan')?.message).toBe('Apply these 10 changes?');
    // Every question has one line of help.
    for (const asked of p.questions) expect(asked.help, asked.id).toMatch(/^[^\n]+$/);
  });

  it('shows the instances as a table, counts tag matches live, and explains each rollout with that count', async () => {
    const state = emptyState();
    state.instances.set('i-0aaaaaaaaaaaaaaa1', instance('i-0aaaaaaaaaaaaaaa1', { name: 'web-1', tags: { Name: 'web-1', Env: 'prod' } }));
    state.instances.set('i-0aaaaaaaaaaaaaaa2', instance('i-0aaaaaaaaaaaaaaa2', { name: 'web-2', tags: { Name: 'web-2', Env: 'prod' } }));
    state.instances.set('i-0aaaaaaaaaaaaaaa3', instance('i-0aaaaaaaaaaaaaaa3', { state: 'stopped', profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/Old` }));
    const aws = createFakeAws(state);
    const p = prompter({ bucketPick: 'my-revisions', instances: [], tags: 'Env=prod', confirmPlan: false });
    await setup(aws, { app: 'web', group: 'prod' }, tempDir(), {}, { asker: createInteractiveAsker(p) });
    const table = question(p, 'instances');
    expect(table?.header).toMatch(/^INSTANCE +NAME +STATE +INSTANCE PROFILE +TAGS$/);
    expect(table?.choices?.map((choice) => choice.label)).toEqual([
      expect.stringMatching(/^i-0aaaaaaaaaaaaaaa1 +web-1 +running +— +Env=prod$/),
      expect.stringMatching(/^i-0aaaaaaaaaaaaaaa2 +web-2 +running +— +Env=prod$/),
      expect.stringMatching(/^i-0aaaaaaaaaaaaaaa3 +stopped +Old +—$/),
    ]);
    const tags = question(p, 'tags');
    expect(tags?.help).toContain('(OR');
    expect(tags?.note?.('Env=prod')).toBe('2 instances match Env=prod');
    expect(tags?.note?.('Env=prod Env=dev')).toBe('2 instances match Env=prod or Env=dev');
    expect(tags?.note?.('Team=x')).toBe('0 instances match Team=x');
    expect(question(p, 'moreTags')?.help).toContain('(AND)');
    expect(question(p, 'deploymentConfig')?.choices?.map((choice) => choice.description)).toEqual([
      '2 instances: one at a time; the deployment fails if any instance but the last fails.',
      '2 instances: 1 at a time; at least 1 must succeed, or the deployment fails.',
      '2 instances: all at once (the application is down while they restart); succeeds if at least 1 does.',
    ]);
  });

  it('offers existing buckets, and only the roles the service may assume (one trust rule), next to creating the default', async () => {
    const aws = world();
    await setup(aws, { ...FLAGS, yes: true }, tempDir());
    const p = prompter({ confirmPlan: false, bucketPick: '\u0000new' });
    // No --bucket and no group settings: the resource questions come up.
    await setup(aws, { app: 'web', group: 'fresh', instances: ['i-0aaaaaaaaaaaaaaa1'] }, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(question(p, 'bucketPick')?.choices?.map((choice) => choice.label)).toEqual(['my-revisions', 'A new bucket (setup creates it)']);
    expect(question(p, 'bucket')).toMatchObject({ default: `web-revisions-${ACCOUNT}` });
    expect(question(p, 'serviceRole')?.choices?.map((choice) => choice.label)).toEqual(['Reuse CodeDeployServiceRole', 'Create a role with another name']);
    expect(question(p, 'instanceRole')?.choices?.map((choice) => choice.label)).toEqual(['Reuse CodeDeployInstanceRole', 'Create a role with another name']);
    expect(question(p, 'serviceRole')?.choices?.[0]).toMatchObject({ value: 'CodeDeployServiceRole', hint: 'created by cd-wizard' });
    expect(question(p, 'instanceProfilePick')?.choices?.map((choice) => choice.label)).toEqual(['Reuse CodeDeployInstanceProfile', 'Create an instance profile with another name']);
  });

  it('names the instances that lose their profile in the separate confirmation (default no)', async () => {
    const aws = world();
    const dir = tempDir();
    aws.state.associations.set('i-0aaaaaaaaaaaaaaa1', { id: 'iip-theirs', instanceId: 'i-0aaaaaaaaaaaaaaa1', profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`, state: 'associated' });
    aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')!.profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`;
    aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')!.name = 'web-1';
    const p = prompter({ confirmPlan: true });
    const { code } = await setup(aws, FLAGS, dir, {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(question(p, 'confirmReplace')).toMatchObject({ message: 'Replace the instance profile of 1 instance?', details: ['i-0aaaaaaaaaaaaaaa1: loses Theirs, gets CodeDeployInstanceProfile'] });
    expect(aws.mutations()).not.toContain('ReplaceIamInstanceProfileAssociation');
    // Left out, it is not tagged into the group either, and the answer is remembered: the next run has nothing to do.
    expect(aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')?.tags).not.toHaveProperty('cd-wizard:group');
    const again = prompter({});
    const second = await setup(aws, FLAGS, dir, {}, { asker: createInteractiveAsker(again) });
    expect(second.stdout).toContain('Nothing to change');
    expect(again.asked).not.toContain('confirmReplace');
  });

  it('keeps an existing group’s settings when asked to, and says what it keeps', async () => {
    const aws = world();
    aws.state.deploymentGroups.set('web/prod', deploymentGroupInfo({ id: 'dg-9', deploymentConfig: 'MyTeam.TwoAtATime', autoRollback: { enabled: false, events: [] } }));
    aws.state.deploymentConfigs.push('MyTeam.TwoAtATime');
    aws.state.applications.set('web', { name: 'web', id: 'a-1', computePlatform: 'Server' });
    const p = prompter({ groupPick: 'prod', bucketPick: 'my-revisions', instances: ['i-0aaaaaaaaaaaaaaa1'], confirmPlan: true });
    const { code } = await setup(aws, { app: 'web' }, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(question(p, 'keepGroupSettings')?.details).toEqual(expect.arrayContaining(['Deployment config   MyTeam.TwoAtATime', 'Rollback            off']));
    expect(p.asked).not.toContain('deploymentConfig');
    expect(p.asked).not.toContain('serviceRole');
    expect(aws.state.deploymentGroups.get('web/prod')).toMatchObject({ deploymentConfig: 'MyTeam.TwoAtATime', autoRollback: { enabled: false } });
  });

  it('--reconfigure asks every question again, the saved answers as defaults', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, { ...FLAGS, yes: true, ssm: true }, dir);
    const p = prompter({ confirmPlan: false });
    await setup(aws, { reconfigure: true }, dir, {}, { asker: createInteractiveAsker(p) });
    expect(p.asked).toEqual(expect.arrayContaining(['appPick', 'groupPick', 'instanceRole', 'bucketPick', 'ssm', 'instances', 'tags']));
    expect(question(p, 'appPick')).toMatchObject({ default: 'web' });
    expect(question(p, 'ssm')).toMatchObject({ default: true });
    expect(question(p, 'tags')).toMatchObject({ default: 'cd-wizard:group=web/prod' });
  });

  it('asks for GitHub Actions last: the repository, then a branch or an environment; the plan gets the provider and the role', async () => {
    const aws = world();
    const dir = tempDir();
    const p = prompter({ bucketPick: 'my-revisions', github: true, githubRepo: 'my-org/shop', githubTrigger: 'environment', confirmPlan: true });
    const { code, stdout } = await setup(aws, { app: 'web', group: 'prod', instances: ['i-0aaaaaaaaaaaaaaa1'] }, dir, {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(p.asked.slice(-5)).toEqual(['github', 'githubRepo', 'githubTrigger', 'githubEnvironment', 'confirmPlan']);
    expect(question(p, 'github')).toMatchObject({ default: false });
    expect(question(p, 'githubEnvironment')).toMatchObject({ default: 'production' });
    expect(stdout).toContain('Its deploy job must say environment: production');
    expect([...aws.state.oidcProviders.keys()]).toEqual(['token.actions.githubusercontent.com']);
    const file = JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8'));
    expect(file.answers).toMatchObject({ githubRepo: 'my-org/shop', githubEnvironment: 'production', deployRole: 'cd-wizard-deploy-web' });
    expect(file.answers.githubBranch).toBeUndefined();
    expect(file.state.deployRole).toEqual({ name: 'cd-wizard-deploy-web', arn: `arn:aws:iam::${ACCOUNT}:role/cd-wizard-deploy-web`, status: 'created' });
  });

  it('keeps every help line to one line of a 100-column terminal', () => {
    for (const [id, copy] of Object.entries(QUESTIONS)) expect(`  ${copy.help}`.length, id).toBeLessThanOrEqual(96);
  });

  it('changes nothing when the plan is declined', async () => {
    const aws = world();
    const p = prompter({ confirmPlan: false });
    const { code, stderr } = await setup(aws, FLAGS, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(stderr).toContain('Cancelled: nothing was changed.');
    expect(aws.mutations()).toEqual([]);
  });

  it('stops at once when the account or region is not the one meant', async () => {
    const aws = world();
    const dir = tempDir();
    const p = prompter({ whereAmI: false });
    const { code, stderr } = await setup(aws, { app: 'web' }, dir, {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(p.asked).toEqual(['whereAmI']);
    expect(stderr).toContain('Cancelled: nothing was changed.\n  Choose the account with --profile');
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(false);
    expect(aws.mutations()).toEqual([]);
  });

  it('Ctrl-C in a question exits 130 and changes nothing', async () => {
    const aws = world();
    const dir = tempDir();
    const p = prompter({ bucketPick: new PromptCancelledError('bucketPick') });
    const { code, stderr } = await setup(aws, { app: 'web', group: 'prod' }, dir, {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(130);
    expect(stderr).toContain('✗ Interrupted; nothing was changed.');
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(false);
    expect(aws.mutations()).toEqual([]);
  });
});
