import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/aws/types.js';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { codeDeployRolePolicyArn } from '../../../src/codedeploy/names.js';
import { revisionReadPolicy } from '../../../src/codedeploy/permissions.js';
import { computePlan } from '../../../src/codedeploy/plan.js';
import { type Observation } from '../../../src/codedeploy/observe.js';
import type { ObservedRole } from '../../../src/codedeploy/resources/roles.js';
import type { SetupState } from '../../../src/codedeploy/state.js';
import { changesOf } from '../../../src/codedeploy/steps.js';
import { wantedTrust } from '../../../src/codedeploy/trust.js';
import { ACCOUNT, emptyObservation, setupAnswers, deploymentGroupInfo } from '../../helpers/fixtures.js';

/**
 * What `--yes` may change: only what cd-wizard owns (the answers file records it as created AND it carries
 * ManagedBy=cd-wizard). Everything else is shown with its current value and marked as needing its own yes.
 */

const OURS: SetupState = {
  serviceRole: { name: 'CodeDeployServiceRole', status: 'created' },
  instanceRole: { name: 'CodeDeployInstanceRole', status: 'created' },
  instanceProfile: { name: 'CodeDeployInstanceProfile', status: 'created' },
  deploymentGroup: { name: 'prod', status: 'created' },
};
const answers = (extra: Partial<SetupAnswers> = {}) => setupAnswers({ tagGroups: [[{ key: 'CodeDeployApp', value: 'a' }]], ...extra });
const role = (name: string, trust: PolicyDocument, tags: Record<string, string> = {}, extra: Partial<ObservedRole> = {}): ObservedRole => ({
  role: { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, path: '/', trust, tags },
  attached: [],
  inline: {},
  ...extra,
});
const trust = (service: 'codedeploy' | 'ec2') => wantedTrust(service, { partition: 'aws', account: ACCOUNT }).document;

describe('--yes never changes what cd-wizard does not own', () => {
  it('an instance’s selection tag set by someone else: a step of its own, the current value shown, needs --retag', () => {
    const observed: Observation = {
      ...emptyObservation(),
      instances: [
        { id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: { CodeDeployApp: 'billing' } },
        { id: 'i-0aaaaaaaaaaaaaaa2', state: 'running', tags: {} },
      ],
    };
    const plan = computePlan(answers(), observed, { recorded: OURS });
    const retag = changesOf(plan.steps).find((step) => step.confirm === 'retag');
    expect(retag?.summary).toBe('Retag i-0aaaaaaaaaaaaaaa1 with CodeDeployApp=a');
    expect(retag?.reason).toContain('changes CodeDeployApp on i-0aaaaaaaaaaaaaaa1 from "billing" to "a"');
    // The untagged instance is tagged without asking; only the one whose value changes waits for a yes.
    const plain = changesOf(plan.steps).filter((step) => step.op.type === 'tag-instances' && step.confirm === undefined);
    expect(plain.map((step) => step.instances)).toEqual([['i-0aaaaaaaaaaaaaaa2']]);
  });

  it('a role another account can assume is never given CodeDeploy’s permissions; the plan says why and suggests a new role', () => {
    const observed: Observation = {
      ...emptyObservation(),
      serviceRole: role('Shared', { Version: '2012-10-17', Statement: [...trust('codedeploy').Statement, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }] }),
    };
    observed.serviceRoleName = 'Shared';
    const plan = computePlan(answers({ serviceRole: 'Shared' }), observed, { recorded: OURS });
    expect(plan.problems[0]?.message).toBe("Role Shared can be assumed by arn:aws:iam::999999999999:root, outside account 123456789012; cd-wizard will not give it CodeDeploy's permissions.");
    expect(plan.problems[0]?.hint).toContain('--service-role CodeDeployServiceRole');
  });

  it('a role cd-wizard did not create: its trust repair and AWSCodeDeployRole need their own yes, with the current trust shown', () => {
    const observed: Observation = { ...emptyObservation(), serviceRole: role('CodeDeployServiceRole', trust('ec2'), { ManagedBy: 'cd-wizard' }) };
    // The tag alone does not make it ours: the answers file does not record it.
    const plan = computePlan(answers(), observed, { recorded: {} });
    const service = changesOf(plan.steps).filter((step) => step.resource === 'serviceRole');
    expect(service.map((step) => `${step.id} ${step.confirm ?? ''}`)).toEqual(['service-role foreign', 'service-role-policy foreign']);
    expect(service[0]?.reason).toContain('now: Allow sts:AssumeRole by service ec2.amazonaws.com');
    // Ours (answers file and tag agree): the same repair goes with the plan's yes.
    const ours = computePlan(answers(), observed, { recorded: OURS });
    expect(changesOf(ours.steps).filter((step) => step.resource === 'serviceRole').map((step) => step.confirm)).toEqual([undefined, undefined]);
  });

  it('statements added by hand to a cd-wizard policy are kept by a repair, and alone are no drift', () => {
    const wanted = revisionReadPolicy({ partition: 'aws', region: 'eu-west-1', bucket: 'my-revisions' }).document;
    const handAdded = { Sid: 'TeamLogs', Effect: 'Allow' as const, Action: 's3:PutObject', Resource: 'arn:aws:s3:::team-logs/*' };
    const observed: Observation = {
      ...emptyObservation(),
      instanceRole: role('CodeDeployInstanceRole', trust('ec2'), { ManagedBy: 'cd-wizard' }, { inline: { 'cd-wizard-revision-read': { ...wanted, Statement: [...wanted.Statement, handAdded] } } }),
    };
    expect(changesOf(computePlan(answers(), observed, { recorded: OURS }).steps).find((step) => step.id === 'instance-role-s3')).toBeUndefined();
    // Our own statement edited: repaired, the hand-added one kept.
    const edited = { ...wanted, Statement: [{ ...wanted.Statement[0]!, Resource: 'arn:aws:s3:::*' }, wanted.Statement[1]!, handAdded] };
    observed.instanceRole = role('CodeDeployInstanceRole', trust('ec2'), { ManagedBy: 'cd-wizard' }, { inline: { 'cd-wizard-revision-read': edited } });
    const step = changesOf(computePlan(answers(), observed, { recorded: OURS }).steps).find((one) => one.id === 'instance-role-s3');
    expect(step?.op.type === 'put-inline-policy' && step.op.document.Statement).toEqual([...wanted.Statement, handAdded]);
    expect(step?.reason).toContain('1 statement added by hand is kept');
  });

  it('a role someone put in our instance profile is only swapped with its own yes', () => {
    const observed: Observation = {
      ...emptyObservation(),
      instanceProfile: { name: 'CodeDeployInstanceProfile', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/CodeDeployInstanceProfile`, roles: [{ name: 'TheirRole', arn: '' }], tags: { ManagedBy: 'cd-wizard' } },
    };
    const swap = changesOf(computePlan(answers(), observed, { recorded: OURS }).steps).find((step) => step.id === 'instance-profile-role');
    expect(swap).toMatchObject({ confirm: 'foreign', reason: 'replaces role TheirRole, which cd-wizard did not put there' });
  });

  it('a deployment group cd-wizard did not create is only rewritten with its own yes', () => {
    const observed: Observation = {
      ...emptyObservation(),
      serviceRole: role('CodeDeployServiceRole', trust('codedeploy'), { ManagedBy: 'cd-wizard' }, { attached: [codeDeployRolePolicyArn('aws')] }),
      application: { name: 'web', id: 'a', computePlatform: 'Server' },
      deploymentGroup: deploymentGroupInfo({ id: 'dg', tagGroups: [[{ key: 'Team', value: 'payments' }]] }),
    };
    const update = changesOf(computePlan(answers(), observed, { recorded: OURS }).steps).find((step) => step.id === 'deployment-group');
    // The group carries no ManagedBy tag: not ours even though the answers file names it.
    expect(update).toMatchObject({ kind: 'update', confirm: 'foreign' });
    expect(update?.reason).toContain('cd-wizard did not create this group: instance tags are Team=payments, wanted CodeDeployApp=a');
  });
});

describe('a re-run keeps recording what cd-wizard created as created', () => {
  const application = { name: 'web', id: 'app-1', computePlatform: 'Server' };
  const recordOf = (observed: Observation, recorded: SetupState) => {
    const step = computePlan(answers(), observed, { recorded }).steps.find((one) => one.resource === 'application');
    return step?.op.type === 'none' ? step.op.record.application : undefined;
  };

  it('the application it created (answers file and ManagedBy tag agree), also after a run stopped with the create call sent', () => {
    const observed: Observation = { ...emptyObservation(), application, applicationTags: { ManagedBy: 'cd-wizard' } };
    expect(recordOf(observed, { application: { name: 'web', status: 'created' } })).toEqual({ name: 'web', id: 'app-1', status: 'created' });
    // Pending: the create went out and its answer was lost. Recorded as reused, teardown would leave it behind.
    expect(recordOf(observed, { application: { name: 'web', status: 'pending' } })).toEqual({ name: 'web', id: 'app-1', status: 'created' });
  });

  it('an application it did not create stays reused: a copied tag alone, or a record alone, is not enough', () => {
    expect(recordOf({ ...emptyObservation(), application, applicationTags: { ManagedBy: 'cd-wizard' } }, {})?.status).toBe('reused');
    expect(recordOf({ ...emptyObservation(), application, applicationTags: {} }, { application: { name: 'web', status: 'created' } })?.status).toBe('reused');
  });
});
