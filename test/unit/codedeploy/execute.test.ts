import { describe, expect, it } from 'vitest';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { executeSteps, type StepEvent as SetupEvent } from '../../../src/codedeploy/execute.js';
import { computePlan, hasNothingToChange, type SetupPlan } from '../../../src/codedeploy/plan.js';
import { observe } from '../../../src/codedeploy/observe.js';
import { mergeState, type SetupState, type StatePatch } from '../../../src/codedeploy/state.js';
import type { Step } from '../../../src/codedeploy/steps.js';
import { ACCOUNT, createFakeAws, emptyState, instance, type FakeAws } from '../../helpers/fake-ports.js';
import { setupAnswers } from '../../helpers/fixtures.js';

const answers = (extra: Partial<SetupAnswers> = {}) => setupAnswers({ instances: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'], ...extra });

function world(): FakeAws {
  const state = emptyState();
  state.instances.set('i-0aaaaaaaaaaaaaaa1', instance('i-0aaaaaaaaaaaaaaa1'));
  state.instances.set('i-0aaaaaaaaaaaaaaa2', instance('i-0aaaaaaaaaaaaaaa2', { tags: { Env: 'prod' } }));
  return createFakeAws(state);
}

async function run(aws: FakeAws, a = answers(), options: { replaceProfiles?: boolean; stopRequested?: () => boolean } = {}) {
  const plan = computePlan(a, await observe(a, aws.ports));
  const events: SetupEvent[] = [];
  const records: unknown[] = [];
  const sleeps: number[] = [];
  const result = await applyPlan(plan, aws.ports, {
    onEvent: (event) => events.push(event),
    record: (patch) => {
      records.push(patch);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { plan, events, records, sleeps, result };
}

/** The executor over a setup plan, as setup runs it. */
function applyPlan(plan: SetupPlan, ports: FakeAws['ports'], options: Omit<Parameters<typeof executeSteps>[3], 'confirmed'> & { replaceProfiles?: boolean; retryDelaysMs?: readonly number[] }) {
  const { replaceProfiles, ...rest } = options;
  return executeSteps(plan.steps, ports, plan, { ...rest, confirmed: (step: Step) => step.confirm !== 'replace-profile' || (replaceProfiles ?? false) });
}

describe('instances selected by tag only', () => {
  it('get the instance profile too, so their agent has credentials; terminated ones are skipped quietly', async () => {
    const state = emptyState();
    state.instances.set('i-0aaaaaaaaaaaaaaa2', instance('i-0aaaaaaaaaaaaaaa2', { tags: { Env: 'prod' } }));
    state.instances.set('i-0aaaaaaaaaaaaaaa3', instance('i-0aaaaaaaaaaaaaaa3', { tags: { Env: 'prod' }, state: 'terminated' }));
    state.instances.set('i-0aaaaaaaaaaaaaaa4', instance('i-0aaaaaaaaaaaaaaa4', { tags: { Env: 'dev' } }));
    const aws = createFakeAws(state);
    const { plan, result } = await run(aws, answers({ instances: [], tagGroups: [[{ key: 'Env', value: 'prod' }]] }));
    expect(plan.problems).toEqual([]);
    expect(plan.steps.filter((step) => step.kind === 'associate').map((step) => step.instances)).toEqual([['i-0aaaaaaaaaaaaaaa2']]);
    expect(result.ok).toBe(true);
    expect(aws.mutations().filter((operation) => /associate/i.test(operation))).toHaveLength(1);
  });
});

describe('applyPlan', () => {
  it('stops before the next level when asked (Ctrl-C in the progress view), keeping what the steps in flight did', async () => {
    const aws = world();
    const { result, events } = await run(aws, answers(), { stopRequested: () => aws.mutations().length >= 2 });
    expect(result).toMatchObject({ ok: false, stopped: true, done: ['service-role', 'instance-role', 'instance-profile', 'application'], skipped: ['bucket'] });
    expect(result.failed).toBeUndefined();
    expect(aws.mutations()).toEqual(['CreateRole', 'CreateRole', 'CreateInstanceProfile', 'CreateApplication']);
    expect(events.filter((e) => e.type === 'step-done')).toHaveLength(4);
    expect(result.state.serviceRole).toMatchObject({ name: 'CodeDeployServiceRole', status: 'created' });
  });

  it('creates everything, emits start/done per step and records the ARNs', async () => {
    const aws = world();
    const { events, result } = await run(aws);
    expect(result.ok).toBe(true);
    // Level by level: what needs nothing, then what needs it (levels.ts).
    expect(aws.mutations()).toEqual([
      'CreateRole',
      'CreateRole',
      'CreateInstanceProfile',
      'CreateApplication',
      'AttachRolePolicy',
      'PutRolePolicy',
      'AddRoleToInstanceProfile',
      'CreateDeploymentGroup',
      'AssociateIamInstanceProfile',
      'AssociateIamInstanceProfile',
      'CreateTags',
    ]);
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.step.doneTitle)).toContain('Created service role CodeDeployServiceRole');
    expect(events.filter((e) => e.type !== 'step-start' && e.type !== 'step-done').map((e) => `${e.type} ${e.step.id}`)).toEqual(['step-skip bucket']);
    expect(result.state).toMatchObject({
      account: ACCOUNT,
      serviceRole: { name: 'CodeDeployServiceRole', arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`, status: 'created' },
      instanceRole: { arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployInstanceRole`, status: 'created' },
      instanceProfile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/CodeDeployInstanceProfile`, status: 'created' },
      application: { name: 'web', status: 'created' },
      deploymentGroup: { name: 'prod', arn: `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentgroup:web/prod`, status: 'created' },
      instances: { 'i-0aaaaaaaaaaaaaaa1': { profile: 'CodeDeployInstanceProfile', profileStatus: 'associated', tags: { Env: 'prod' } } },
    });
    // Only the untagged instance was tagged, with ManagedBy on the roles and not on instances.
    const tagCall = aws.calls.find((c) => c.operation === 'CreateTags');
    expect(tagCall?.args).toEqual([['i-0aaaaaaaaaaaaaaa1'], { Env: 'prod' }]);
    expect(aws.calls.find((c) => c.operation === 'CreateRole')?.args[2]).toEqual({ ManagedBy: 'cd-wizard' });
  });

  it('a second run observes everything and makes no mutating call', async () => {
    const aws = world();
    await run(aws);
    const before = aws.mutations().length;
    const second = await run(aws);
    expect(hasNothingToChange(second.plan)).toBe(true);
    expect(aws.mutations().length).toBe(before);
    expect(second.events.every((e) => e.type === 'step-skip')).toBe(true);
    expect(second.result.state.deploymentGroup).toMatchObject({ name: 'prod', status: 'reused' });
  });

  const MUTATING_PORT_CALLS = 11;

  /** Makes the stop-th mutating port call fail like a dropped connection: before it reaches AWS, or after. */
  function interrupt(aws: FakeAws, stop: number, when: 'before' | 'after'): () => void {
    let seen = 0;
    const restore: Array<() => void> = [];
    for (const service of Object.values(aws.ports) as Array<Record<string, (...args: unknown[]) => Promise<unknown>>>) {
      for (const [name, method] of Object.entries(service)) {
        if (!/^(create|update|attach|put|add|associate|replace|remove)/.test(name)) continue;
        service[name] = async (...args: unknown[]) => {
          // Calls run concurrently: each compares its own number, not the count when it answers.
          const mine = (seen += 1);
          const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          if (mine === stop && when === 'before') throw dropped;
          const out = await method(...args);
          if (mine === stop) throw dropped;
          return out;
        };
        restore.push(() => {
          service[name] = method;
        });
      }
    }
    return () => restore.forEach((undo) => undo());
  }

  it.each(['before', 'after'] as const)('converges when interrupted at any step (%s the call reaches AWS), duplicating nothing', async (when) => {
    for (let stop = 1; stop <= MUTATING_PORT_CALLS; stop++) {
      const aws = world();
      const restore = interrupt(aws, stop, when);
      const first = await run(aws);
      expect(first.result.ok, `stop ${stop}`).toBe(false);
      expect(first.result.failed?.error.message, `stop ${stop}`).toContain('socket hang up');
      restore();
      const second = await run(aws);
      expect(second.result.ok, `stop ${stop}`).toBe(true);
      const third = await run(aws);
      expect(hasNothingToChange(third.plan), `stop ${stop}`).toBe(true);
      expect([aws.state.roles.size, aws.state.profiles.size, aws.state.applications.size, aws.state.deploymentGroups.size, aws.state.associations.size]).toEqual([2, 1, 1, 1, 2]);
    }
  });

  it.each(['before', 'after'] as const)('after a stop at any step (%s the call reaches AWS), the answers file ends up recording everything setup made as created', async (when) => {
    /** A run as setup does it: the plan sees what the answers file recorded, and every record is merged into it. */
    const recordedRun = async (aws: FakeAws, state: { recorded: StatePatch }) => {
      const plan = computePlan(answers(), await observe(answers(), aws.ports), { recorded: state.recorded as SetupState });
      return applyPlan(plan, aws.ports, { onEvent: () => undefined, record: (patch) => void (state.recorded = mergeState(state.recorded, patch)), sleep: async () => undefined });
    };
    const made = ['serviceRole', 'instanceRole', 'instanceProfile', 'application', 'deploymentGroup'] as const;
    for (let stop = 1; stop <= MUTATING_PORT_CALLS; stop++) {
      const aws = world();
      const state = { recorded: {} as StatePatch };
      const restore = interrupt(aws, stop, when);
      await recordedRun(aws, state);
      restore();
      expect((await recordedRun(aws, state)).ok, `stop ${stop}`).toBe(true);
      await recordedRun(aws, state);
      expect(Object.fromEntries(made.map((key) => [key, state.recorded[key]?.status])), `stop ${stop}`).toEqual(Object.fromEntries(made.map((key) => [key, 'created'])));
    }
  });

  it('reports the failed step with a translated error and stops there', async () => {
    const aws = world();
    aws.faults.push({ operation: 'CreateApplication', error: { name: 'AccessDeniedException', message: `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: codedeploy:CreateApplication on resource: arn:aws:codedeploy:eu-west-1:${ACCOUNT}:application:web` } });
    const { events, result } = await run(aws);
    const failed = events.find((e) => e.type === 'step-failed');
    expect(failed?.step.id).toBe('application');
    expect(failed?.type === 'step-failed' && failed.error.message).toBe(`user/bob is not allowed to call codedeploy:CreateApplication on arn:aws:codedeploy:eu-west-1:${ACCOUNT}:application:web.`);
    expect(result.failed?.step).toBe('application');
    expect(aws.mutations()).not.toContain('CreateDeploymentGroup');
  });

  it('waits out IAM propagation with bounded backoff, then succeeds', async () => {
    const aws = world();
    aws.faults.push({ operation: 'CreateDeploymentGroup', error: { name: 'InvalidRoleException', message: 'Cannot assume role provided.' }, times: 2 });
    // CodeDeploy's other wording for the same wait.
    aws.faults.push({
      operation: 'CreateDeploymentGroup',
      error: { name: 'InvalidRoleException', message: `AWS CodeDeploy does not have the permissions required to assume the role arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole` },
      times: 1,
    });
    aws.faults.push({ operation: 'AssociateIamInstanceProfile', error: { name: 'InvalidParameterValue', message: 'Value (CodeDeployInstanceProfile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name' }, times: 1 });
    const { events, sleeps, result } = await run(aws);
    expect(result.ok).toBe(true);
    const waits = events.filter((e) => e.type === 'waiting-for-iam');
    // The group (second level) waits for its role before the instances (third level) wait for their profile.
    expect(waits.map((e) => (e.type === 'waiting-for-iam' ? `${e.step.id}#${e.attempt}` : ''))).toEqual([
      'deployment-group#1',
      'deployment-group#2',
      'deployment-group#3',
      'instance-profile:i-0aaaaaaaaaaaaaaa1#1',
    ]);
    expect(sleeps).toEqual([2000, 4000, 6000, 2000]);
  });

  it('gives up after about 80 s of propagation errors with a hint to re-run', async () => {
    const aws = world();
    aws.faults.push({ operation: 'CreateDeploymentGroup', error: { name: 'InvalidRoleException', message: 'Cannot assume role provided.' } });
    const { sleeps, result } = await run(aws);
    expect(result.ok).toBe(false);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(90_000);
    expect(result.failed?.error.hint).toMatch(/run the same command again/i);
  });

  it('does not replace an existing profile without the separate yes', async () => {
    const aws = world();
    aws.state.profiles.set('Theirs', { name: 'Theirs', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`, roles: [], tags: {} });
    aws.state.associations.set('i-0aaaaaaaaaaaaaaa1', { id: 'iip-theirs', instanceId: 'i-0aaaaaaaaaaaaaaa1', profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`, state: 'associated' });
    aws.state.instances.get('i-0aaaaaaaaaaaaaaa1')!.profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`;

    const declined = await run(aws);
    expect(aws.mutations()).not.toContain('ReplaceIamInstanceProfileAssociation');
    const skip = declined.events.find((e) => e.type === 'step-skip' && e.step.id === 'instance-profile:i-0aaaaaaaaaaaaaaa1');
    expect(skip?.type === 'step-skip' && skip.reason).toMatch(/not confirmed.*--replace-profile/);
    expect(declined.result.state.instances?.['i-0aaaaaaaaaaaaaaa1']?.profileStatus).toBe('kept');

    await run(aws, answers(), { replaceProfiles: true });
    expect(aws.calls.filter((c) => c.operation === 'ReplaceIamInstanceProfileAssociation').map((c) => c.args)).toEqual([['iip-theirs', 'CodeDeployInstanceProfile']]);
  });
});

describe('a create call whose answer is lost', () => {
  it('is recorded as pending before the call, so the re-run owns what the call made and finishes without asking', async () => {
    const aws = world();
    const createRole = aws.ports.iam.createRole.bind(aws.ports.iam);
    let lost = false;
    // The role is made, then the connection drops before the answer arrives.
    aws.ports.iam.createRole = async (...args) => {
      const made = await createRole(...args);
      if (lost) return made;
      lost = true;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    const first = await run(aws);
    expect(first.result.ok).toBe(false);
    expect(first.records[0]).toEqual({ serviceRole: { name: 'CodeDeployServiceRole', status: 'pending' } });
    const recorded = first.records.reduce<SetupState>((state, patch) => mergeState(state, patch as StatePatch), {});

    const plan = computePlan(answers(), await observe(answers(), aws.ports), { recorded });
    expect(plan.steps.filter((step) => step.confirm === 'foreign')).toEqual([]);
    const again = await applyPlan(plan, aws.ports, { onEvent: () => undefined, sleep: async () => undefined });
    expect(again.ok).toBe(true);
    expect(again.state.serviceRole).toMatchObject({ name: 'CodeDeployServiceRole', status: 'created' });
    expect([...aws.state.roles.keys()].filter((name) => name === 'CodeDeployServiceRole')).toHaveLength(1);
  });

  it('does not make a same-named role without cd-wizard’s tag ours: a pending record alone proves nothing', async () => {
    const aws = world();
    const recorded: SetupState = { serviceRole: { name: 'CodeDeployServiceRole', status: 'pending' } };
    await aws.ports.iam.createRole({ name: 'CodeDeployServiceRole', trust: { Version: '2012-10-17', Statement: [] }, description: 'theirs', tags: {} });
    const plan = computePlan(answers(), await observe(answers(), aws.ports), { recorded });
    expect(plan.steps.filter((step) => step.resource === 'serviceRole' && step.confirm === 'foreign').length).toBeGreaterThan(0);
  });
});
