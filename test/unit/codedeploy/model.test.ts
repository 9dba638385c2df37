import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { runSetupChecks, type CheckInput } from '../../../src/codedeploy/checks.js';
import { executeSteps } from '../../../src/codedeploy/execute.js';
import { computePlan } from '../../../src/codedeploy/plan.js';
import { observe } from '../../../src/codedeploy/observe.js';
import { collectRemedies } from '../../../src/codedeploy/remedies.js';
import type { CheckResult } from '../../../src/codedeploy/verdict.js';
import { ACCOUNT, createFakeAws, emptyState, instance, type FakeAws } from '../../helpers/fake-ports.js';
import { setupAnswers } from '../../helpers/fixtures.js';

/**
 * The one model, end to end on in-memory AWS: what setup makes passes fix's checks, and what fix's remedies do makes
 * the check that offered them pass. Both sides use src/codedeploy only, so a rule that drifts apart fails here.
 */

const IDS = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3'];

async function setUp(aws: FakeAws, answers: SetupAnswers) {
  const plan = computePlan(answers, await observe(answers, aws.ports));
  if (plan.problems.length > 0) return { plan, state: {} };
  const result = await executeSteps(plan.steps, aws.ports, plan, { onEvent: () => undefined, confirmed: () => true, sleep: async () => undefined });
  expect(result.failed?.error.message).toBeUndefined();
  return { plan, state: result.state };
}

async function checksOf(aws: FakeAws, answers: SetupAnswers, state: Awaited<ReturnType<typeof setUp>>['state']): Promise<CheckResult[]> {
  const group = await aws.ports.codeDeploy.getDeploymentGroup(answers.app, answers.group);
  if (!group) throw new Error('no group');
  const input: CheckInput = { region: answers.region, group, targetIds: [], candidateInstances: answers.instances, bucket: answers.bucket, knownProfile: answers.instanceProfile, recorded: state };
  return runSetupChecks(aws.ports, input);
}

const problems = (checks: readonly CheckResult[]) => checks.filter((check) => check.status !== 'ok').map((check) => `${check.id}: ${check.status === 'problem' ? check.detail : check.reason}`);

const tag = fc.record({ key: fc.constantFrom('Env', 'Role', 'Team'), value: fc.constantFrom('prod', 'web', 'blue') });
const answersArb = fc.record({
  instances: fc.subarray(IDS, { minLength: 1 }),
  tagGroups: fc.option(fc.array(fc.array(tag, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  serviceRole: fc.constantFrom('CodeDeployServiceRole', 'DeployRole'),
  instanceRole: fc.constantFrom('CodeDeployInstanceRole', 'AgentRole'),
  ssm: fc.boolean(),
  rollback: fc.boolean(),
  region: fc.constantFrom('eu-west-1'),
});

describe('setup and fix share one model', () => {
  it('what setup makes passes every one of fix’s checks (fast-check, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(answersArb, async (drawn) => {
        const state = emptyState();
        for (const id of IDS) state.instances.set(id, instance(id, { tags: { Env: 'staging' } }));
        const aws = createFakeAws(state);
        const answers = setupAnswers({ ...drawn, tagGroups: drawn.tagGroups ?? [[{ key: 'cd-wizard:group', value: 'web/prod' }]] });
        const { plan, state: recorded } = await setUp(aws, answers);
        if (plan.problems.length > 0) return;
        const checks = await checksOf(aws, answers, recorded);
        expect(problems(checks)).toEqual([]);
      }),
      { seed: 20261203, numRuns: 40 },
    );
  });

  it.each([
    ['a trust edited to EC2', (aws: FakeAws) => void (aws.state.roles.get('CodeDeployServiceRole')!.role.trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }), 'service-role-trust'],
    ['AWSCodeDeployRole detached', (aws: FakeAws) => void (aws.state.roles.get('CodeDeployServiceRole')!.attached = []), 'service-role-policy'],
    ['an instance without its profile', (aws: FakeAws) => {
      aws.state.associations.delete(IDS[0]!);
      delete aws.state.instances.get(IDS[0]!)!.profileArn;
    }, 'instance-profiles'],
    ['the instances untagged', (aws: FakeAws) => {
      for (const id of IDS) aws.state.instances.get(id)!.tags = {};
    }, 'instances-match'],
  ] as Array<[string, (aws: FakeAws) => void, string]>)('%s: the remedy’s steps make the check pass again, and keep setup’s conditions', async (_name, breakIt, check) => {
    const state = emptyState();
    for (const id of IDS) state.instances.set(id, instance(id));
    const aws = createFakeAws(state);
    const answers = setupAnswers({ instances: [...IDS] });
    const { plan, state: recorded } = await setUp(aws, answers);
    expect(plan.problems).toEqual([]);
    breakIt(aws);
    const broken = await checksOf(aws, answers, recorded);
    expect(broken.find((one) => one.id === check)?.status).toBe('problem');
    const remedies = collectRemedies(broken, new Set(), undefined).filter((remedy) => remedy.recheck.includes(check as never));
    expect(remedies).toHaveLength(1);
    const result = await executeSteps(remedies[0]!.steps, aws.ports, { account: ACCOUNT, partition: 'aws', region: answers.region }, { onEvent: () => undefined, sleep: async () => undefined });
    expect(result.ok).toBe(true);
    const fixed = await checksOf(aws, answers, recorded);
    expect(problems(fixed)).toEqual([]);
    // A repaired trust still carries setup's confused-deputy conditions.
    const trust = JSON.stringify(aws.state.roles.get('CodeDeployServiceRole')!.role.trust);
    expect(trust).toContain('aws:SourceAccount');
    expect(trust).toContain('aws:SourceArn');
  });
});

describe('fix never says "no problems" about a setup that cannot work', () => {
  it('a missing revision bucket and an instance keeping a foreign profile are problems, not "could not check"', async () => {
    const state = emptyState();
    for (const id of IDS) state.instances.set(id, instance(id));
    const aws = createFakeAws(state);
    const answers = setupAnswers({ instances: [...IDS] });
    const { state: recorded } = await setUp(aws, answers);
    // Someone deletes the bucket, and one instance gets another profile whose role has no policy at all.
    aws.state.bucket = { status: 'missing' };
    aws.state.roles.set('Foreign', { role: { name: 'Foreign', arn: `arn:aws:iam::${ACCOUNT}:role/Foreign`, path: '/', trust: undefined, tags: {} }, attached: [], inline: {} });
    aws.state.profiles.set('ForeignProfile', { name: 'ForeignProfile', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/ForeignProfile`, roles: [{ name: 'Foreign', arn: `arn:aws:iam::${ACCOUNT}:role/Foreign` }], tags: {} });
    aws.state.instances.get(IDS[0]!)!.profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/ForeignProfile`;
    const checks = await checksOf(aws, answers, recorded);
    expect(checks.find((check) => check.id === 'revision-bucket')).toMatchObject({ status: 'problem', cause: 's3-bucket-missing' });
    expect(checks.find((check) => check.id === 'revision-readable')).toMatchObject({ status: 'problem', cause: 's3-access-denied', instances: [IDS[0]] });
  });
});
