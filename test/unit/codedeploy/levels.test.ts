import { describe, expect, it } from 'vitest';
import { executeSteps, type StepEvent } from '../../../src/codedeploy/execute.js';
import { waitsFor } from '../../../src/codedeploy/levels.js';
import { computePlan } from '../../../src/codedeploy/plan.js';
import { observe } from '../../../src/codedeploy/observe.js';
import { mergeState, type SetupState, type StatePatch } from '../../../src/codedeploy/state.js';
import { step, type Operation, type Step } from '../../../src/codedeploy/steps.js';
import { ACCOUNT, createFakeAws, emptyState, instance, traceCalls, type FakeAws, type TracedCall } from '../../helpers/fake-ports.js';
import { setupAnswers } from '../../helpers/fixtures.js';

const answers = setupAnswers({ instances: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'] });

function world(): FakeAws {
  const state = emptyState();
  state.instances.set('i-0aaaaaaaaaaaaaaa1', instance('i-0aaaaaaaaaaaaaaa1'));
  state.instances.set('i-0aaaaaaaaaaaaaaa2', instance('i-0aaaaaaaaaaaaaaa2', { tags: { Env: 'prod' } }));
  return createFakeAws(state);
}

/** The steps by depth: a step's level is one more than the deepest step it waits for (what could run at once). */
function dependencyLevels(steps: readonly Step[]): Step[][] {
  const levels: Step[][] = [];
  const depth: number[] = [];
  waitsFor(steps).forEach((waits, index) => {
    const level = Math.max(0, ...waits.map((before) => (depth[before] ?? 0) + 1));
    depth.push(level);
    (levels[level] ??= []).push(steps[index] as Step);
  });
  return levels.filter((level) => level !== undefined);
}

const freshPlan = async (aws: FakeAws) => computePlan(answers, await observe(answers, aws.ports));
const ids = (levels: Step[][]) => levels.map((level) => level.map((one) => one.id));
const opStep = (id: string, op: Operation) => step({ id, kind: 'create', resource: 'deployment', summary: id, title: id, doneTitle: id, op });

/** Where in the trace a call started or ended (the first such entry). */
const at = (log: readonly TracedCall[], phase: TracedCall['phase'], call: string, nth = 0) => log.map((entry, index) => (entry.phase === phase && entry.call === call ? index : -1)).filter((index) => index >= 0)[nth] ?? -1;
const firstEnd = (log: readonly TracedCall[]) => log.findIndex((entry) => entry.phase === 'end');

/** Plans a fresh setup, then applies it with every port call traced (`slow`: see traceCalls). */
async function apply(aws: FakeAws, slow: Record<string, number> = {}, extra: Partial<Parameters<typeof executeSteps>[3]> = {}) {
  const plan = await freshPlan(aws);
  const log = traceCalls(aws, slow);
  const events: StepEvent[] = [];
  const result = await executeSteps(plan.steps, aws.ports, plan, { onEvent: (event) => events.push(event), sleep: async () => undefined, ...extra });
  return { log, events, result };
}

describe('dependency levels, read from the steps', () => {
  it('a fresh setup: roles, profile and application; then policies, the role in the profile and the group; then the instances; then their tags', async () => {
    const plan = await freshPlan(world());
    expect(ids(dependencyLevels(plan.steps))).toEqual([
      ['service-role', 'instance-role', 'instance-profile', 'bucket', 'application'],
      ['service-role-policy', 'instance-role-s3', 'instance-profile-role', 'deployment-group'],
      ['instance-profile:i-0aaaaaaaaaaaaaaa1', 'instance-profile:i-0aaaaaaaaaaaaaaa2'],
      ['instance-tags'],
    ]);
  });

  it('a role trusting an OIDC provider waits for the provider; its policy waits for the role', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    const steps = [
      opStep('deploy-role', { type: 'create-role', role: 'deployRole', name: 'Deploy', trust, description: '', tags: {} }),
      opStep('provider', { type: 'create-oidc-provider', url: 'https://token.actions.githubusercontent.com', audiences: ['sts.amazonaws.com'], tags: {} }),
      opStep('deploy-policy', { type: 'put-inline-policy', roleName: 'Deploy', policyName: 'deploy', document: { Version: '2012-10-17', Statement: [] } }),
    ];
    // The plan's order is kept as the order of dependence: the role listed before its provider does not wait for it.
    expect(ids(dependencyLevels(steps))).toEqual([['deploy-role', 'provider'], ['deploy-policy']]);
    expect(ids(dependencyLevels([steps[1] as Step, steps[0] as Step, steps[2] as Step]))).toEqual([['provider'], ['deploy-role'], ['deploy-policy']]);
  });

  it('what the data cannot order (teardown’s removals) runs alone, after everything before it and before everything after', () => {
    const steps = [
      opStep('app', { type: 'create-application', name: 'web', tags: {} }),
      opStep('group-gone', { type: 'delete-deployment-group', application: 'web', group: 'prod' }),
      opStep('app-gone', { type: 'delete-application', name: 'web' }),
      opStep('bucket', { type: 'create-bucket', name: 'b', region: 'eu-west-1', tags: {} }),
    ];
    expect(ids(dependencyLevels(steps))).toEqual([['app'], ['group-gone'], ['app-gone'], ['bucket']]);
  });
});

describe('the executor, each step as soon as what it waits for has ended', () => {
  it('runs independent steps at once, and a step only after the steps it needs, not after the whole level', async () => {
    const aws = world();
    // A new bucket answers slowly (on AWS: create, then lock down, encrypt and tag): nothing else needs it.
    aws.state.bucket = { status: 'missing' };
    const { log, result } = await apply(aws, { 's3.createBucket': 40 });
    expect(result.ok).toBe(true);
    const end = firstEnd(log);
    for (const call of ['iam.createRole', 'codeDeploy.createApplication', 'iam.createInstanceProfile', 's3.createBucket']) expect(at(log, 'start', call), call).toBeLessThan(end);
    expect(at(log, 'start', 'iam.createRole', 1)).toBeLessThan(end);
    const group = at(log, 'start', 'codeDeploy.createDeploymentGroup');
    expect(group).toBeGreaterThan(at(log, 'end', 'codeDeploy.createApplication'));
    expect(group).toBeGreaterThan(at(log, 'end', 'iam.createRole'));
    // The policies, the profile's role, the instances and their tags all went ahead of the bucket.
    for (const call of ['iam.attachPolicy', 'iam.putInlinePolicy', 'iam.addRoleToInstanceProfile', 'ec2.associateProfile', 'ec2.createTags']) expect(at(log, 'end', call), call).toBeLessThan(at(log, 'end', 's3.createBucket'));
    expect(group).toBeLessThan(at(log, 'end', 's3.createBucket'));
    // What needs another step still waits for it: the instances for the profile's role, the tags for the instance
    // they go on (only i-…1 needs them here, so they wait for its profile, not for the other instance's).
    expect(at(log, 'start', 'ec2.associateProfile')).toBeGreaterThan(at(log, 'end', 'iam.addRoleToInstanceProfile'));
    expect(at(log, 'start', 'ec2.associateProfile', 1)).toBeLessThan(at(log, 'end', 'ec2.associateProfile'));
    expect(at(log, 'start', 'ec2.createTags')).toBeGreaterThan(at(log, 'end', 'ec2.associateProfile'));
  });

  it('reports each end when it happens, and lists the result in the plan’s order', async () => {
    const aws = world();
    const { log, events, result } = await apply(aws, { 'iam.createRole': 5 });
    expect(at(log, 'end', 'codeDeploy.createApplication')).toBeLessThan(at(log, 'end', 'iam.createRole'));
    const ends = events.filter((event) => event.type !== 'step-start' && event.type !== 'waiting-for-iam').map((event) => event.step.id);
    // The application answered first, so its line comes first; the roles' after.
    expect(ends.indexOf('application')).toBeLessThan(ends.indexOf('service-role'));
    expect(result.done.slice(0, 4)).toEqual(['service-role', 'service-role-policy', 'instance-role', 'instance-role-s3']);
    // Starts come first, in the plan's order, before any end.
    expect(events.slice(0, 4).map((event) => `${event.type} ${event.step.id}`)).toEqual(['step-start service-role', 'step-start instance-role', 'step-start instance-profile', 'step-start application']);
  });

  it('a failure lets the steps in flight finish, says what they did, and starts no further step', async () => {
    const aws = world();
    aws.faults.push({ operation: 'CreateApplication', error: { name: 'AccessDeniedException', message: `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: codedeploy:CreateApplication` } });
    const { log, events, result } = await apply(aws, { 'iam.createRole': 5 });
    expect(result.ok).toBe(false);
    expect(result.failed?.step).toBe('application');
    // The roles answered after the failure: done and recorded all the same.
    expect(at(log, 'end', 'iam.createRole')).toBeGreaterThan(at(log, 'end', 'codeDeploy.createApplication'));
    expect(result.done).toEqual(['service-role', 'instance-role', 'instance-profile']);
    expect(result.state.instanceRole).toMatchObject({ status: 'created' });
    expect(events.filter((event) => event.type === 'step-failed').map((event) => event.step.id)).toEqual(['application']);
    expect(aws.mutations().sort()).toEqual(['CreateApplication', 'CreateInstanceProfile', 'CreateRole', 'CreateRole']);
    expect(log.some((entry) => entry.call === 'codeDeploy.createDeploymentGroup' || entry.call === 'iam.attachPolicy')).toBe(false);
  });

  it('writes the answers file one patch at a time: steps that end together lose no record', async () => {
    const aws = world();
    // A slow read-modify-write, as a file store is: two writes at once would each start from the same old state.
    let file: SetupState = {};
    const record = async (patch: StatePatch) => {
      const before = file;
      await new Promise<void>((resolve) => setImmediate(resolve));
      file = mergeState(before, patch);
    };
    const { result } = await apply(aws, {}, { record });
    expect(result.ok).toBe(true);
    expect(file).toMatchObject({
      serviceRole: { status: 'created' },
      instanceRole: { status: 'created' },
      instanceProfile: { status: 'created' },
      application: { status: 'created' },
      deploymentGroup: { status: 'created' },
      instances: { 'i-0aaaaaaaaaaaaaaa1': { profileStatus: 'associated' }, 'i-0aaaaaaaaaaaaaaa2': { profileStatus: 'associated' } },
    });
  });
});
