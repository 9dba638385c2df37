import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInteractiveAsker, type QuestionId, type SetupPrompter } from '../../../src/commands/setup/ask.js';
import { runSetup, type SetupFlags } from '../../../src/commands/setup/setup.js';
import { UsageError, UserError } from '../../../src/errors.js';
import { ACCOUNT, createFakeAws, emptyState, instance, type FakeAws } from './helpers/fake-ports.js';
import { testContext } from './helpers/context.js';

const FLAGS: SetupFlags = { app: 'web', group: 'prod', bucket: 'my-revisions', instances: ['i-0aaaaaaaaaaaaaaa1'] };

function world(): FakeAws {
  const state = emptyState();
  state.instances.set('i-0aaaaaaaaaaaaaaa1', instance('i-0aaaaaaaaaaaaaaa1', { tags: { Name: 'web-1' } }));
  return createFakeAws(state);
}

async function setup(aws: FakeAws, flags: SetupFlags, cwd: string, globals = {}, extra = {}) {
  const t = testContext(globals);
  const code = await runSetup(t.ctx, flags, { aws: aws.ports, cwd, sleep: async () => undefined, now: () => new Date('2026-01-02T03:04:05Z'), ...extra });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
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
  it('creates everything with --yes, saves answers and ARNs, and prints the next steps', async () => {
    const aws = world();
    const dir = tempDir();
    const { code, stdout, stderr } = await setup(aws, { ...FLAGS, yes: true }, dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Plan for account 123456789012 in eu-west-1');
    expect(stdout).toContain('+ Create service role CodeDeployServiceRole   iam:CreateRole');
    expect(stdout).toContain('Allow sts:AssumeRole by service codedeploy.amazonaws.com if StringEquals aws:SourceAccount = 123456789012');
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
    const { code, stdout, stderr } = await setup(aws, { answers: 'cd-wizard.json', yes: true }, dir, { region: undefined });
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

  it('--answers FILE: created from the flags when missing, but a replay of a missing file fails', async () => {
    const dir = tempDir();
    const { stderr } = await setup(world(), { ...FLAGS, answers: 'envs/prod.json', dryRun: true }, dir);
    expect(stderr).toContain('envs/prod.json does not exist yet; it will be created.');
    expect(JSON.parse(readFileSync(join(dir, 'envs/prod.json'), 'utf8')).answers.app).toBe('web');
    const error = await failure(setup(world(), { answers: 'nope.json', yes: true }, dir));
    expect(error.message).toMatch(/Cannot read .*nope\.json: no such file/);
  });

  it('--dry-run shows the plan with read calls only', async () => {
    const aws = world();
    const { code, stdout, stderr } = await setup(aws, { ...FLAGS, dryRun: true }, tempDir());
    expect(code).toBe(0);
    expect(stdout).toContain('10 changes, 0 reused');
    expect(stderr).toContain('Dry run: nothing was changed.');
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

  it('saves the answers before the first AWS call', async () => {
    const aws = world();
    aws.faults.push({ operation: 'GetCallerIdentity', error: { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' } });
    const dir = tempDir();
    const error = await failure(setup(aws, FLAGS, dir));
    expect(error.message).toMatch(/AWS credentials are missing/);
    expect(existsSync(join(dir, 'cd-wizard.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')).answers.app).toBe('web');
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
    expect(out.nextSteps.deploy[0]).toContain('aws deploy push --application-name web');
    const events = stderr.split('\n').map((line) => JSON.parse(line));
    expect(events[0]).toEqual({ event: 'step-start', step: 'service-role', title: 'Creating service role CodeDeployServiceRole' });
  });
});

describe('cd-wizard setup (asker hook)', () => {
  function prompter(answers: Partial<Record<QuestionId, unknown>>): SetupPrompter & { asked: QuestionId[] } {
    const asked: QuestionId[] = [];
    const answer = async (id: QuestionId, fallback?: unknown) => {
      asked.push(id);
      return (id in answers ? answers[id] : fallback) as never;
    };
    return {
      asked,
      input: ({ id, default: d }) => answer(id, d),
      select: ({ id, default: d }) => answer(id, d),
      multiSelect: ({ id }) => answer(id),
      confirm: ({ id, default: d }) => answer(id, d),
    };
  }

  it('asks only what the flags left open, by question id, and confirms the plan', async () => {
    const aws = world();
    const p = prompter({ bucket: 'my-revisions', targetKind: 'instances', instances: ['i-0aaaaaaaaaaaaaaa1'], confirmPlan: true });
    const { code } = await setup(aws, { app: 'web', group: 'prod' }, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(p.asked).toEqual(['bucket', 'targetKind', 'instances', 'serviceRoleName', 'instanceRoleName', 'instanceProfile', 'deploymentConfig', 'rollback', 'useTargetGroup', 'ssm', 'confirmPlan']);
    expect(aws.state.deploymentGroups.get('web/prod')?.tagGroups).toEqual([[{ key: 'cd-wizard:group', value: 'web/prod' }]]);
  });

  it('changes nothing when the plan is declined', async () => {
    const aws = world();
    const p = prompter({ confirmPlan: false });
    const { code, stderr } = await setup(aws, FLAGS, tempDir(), {}, { asker: createInteractiveAsker(p) });
    expect(code).toBe(0);
    expect(stderr).toContain('Cancelled: nothing was changed.');
    expect(aws.mutations()).toEqual([]);
  });
});
