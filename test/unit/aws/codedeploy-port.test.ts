import * as CodeDeploySdk from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCodeDeployPort, type CodeDeployDeploymentGroup, type DeploymentGroupSpec } from '../../../src/aws/ports/codedeploy.js';
import { OFFLINE, TARGET, sdkError } from './helpers.js';

const cd = mockClient(CodeDeploySdk.CodeDeployClient);
// Test files share a process: put the real clients back for the files that follow.
afterAll(() => { cd.restore(); });
const port = createCodeDeployPort(async () => ({ sdk: CodeDeploySdk, client: new CodeDeploySdk.CodeDeployClient(OFFLINE), target: TARGET }));
afterEach(() => cd.reset());

const spec = (extra: Partial<DeploymentGroupSpec> = {}): DeploymentGroupSpec => ({
  application: 'web',
  name: 'prod',
  serviceRoleArn: 'arn:aws:iam::1:role/R',
  deploymentConfig: 'CodeDeployDefault.OneAtATime',
  autoRollback: true,
  ...extra,
});

describe('CodeDeploy port', () => {
  it('creates a Server application with tags; a missing one reads as undefined', async () => {
    cd.on(CodeDeploySdk.CreateApplicationCommand).resolves({ applicationId: 'app-1' });
    cd.on(CodeDeploySdk.GetApplicationCommand).rejects(sdkError('ApplicationDoesNotExistException', 'No application found for name: web'));
    expect(await port.getApplication('web')).toBeUndefined();
    expect(await port.createApplication({ name: 'web', tags: { ManagedBy: 'cd-wizard' } })).toEqual({ application: { name: 'web', id: 'app-1', computePlatform: 'Server' }, created: true });
    expect(cd.commandCalls(CodeDeploySdk.CreateApplicationCommand)[0]?.args[0].input).toEqual({ applicationName: 'web', computePlatform: 'Server', tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] });
  });

  it('one tag group → ec2TagFilters (OR), rollback on failure, no traffic control', async () => {
    cd.on(CodeDeploySdk.CreateDeploymentGroupCommand).resolves({ deploymentGroupId: 'dg-1' });
    await port.createDeploymentGroup(spec({ tagGroups: [[{ key: 'Env', value: 'prod' }, { key: 'Role' }]] }), { ManagedBy: 'cd-wizard' });
    expect(cd.commandCalls(CodeDeploySdk.CreateDeploymentGroupCommand)[0]?.args[0].input).toEqual({
      applicationName: 'web',
      deploymentGroupName: 'prod',
      serviceRoleArn: 'arn:aws:iam::1:role/R',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      ec2TagFilters: [
        { Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' },
        { Key: 'Role', Type: 'KEY_ONLY' },
      ],
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }],
    });
  });

  it('several groups → ec2TagSet (AND); ASGs by name; a target group turns on traffic control', async () => {
    cd.on(CodeDeploySdk.CreateDeploymentGroupCommand).resolves({ deploymentGroupId: 'dg-1' });
    await port.createDeploymentGroup(spec({ tagGroups: [[{ key: 'Env', value: 'prod' }], [{ key: 'Role', value: 'web' }]], autoScalingGroups: ['web-asg'], targetGroupName: 'web-tg', autoRollback: false }), {});
    const input = cd.commandCalls(CodeDeploySdk.CreateDeploymentGroupCommand)[0]?.args[0].input;
    expect(input?.ec2TagFilters).toBeUndefined();
    expect(input?.ec2TagSet).toEqual({ ec2TagSetList: [[{ Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' }], [{ Key: 'Role', Value: 'web', Type: 'KEY_AND_VALUE' }]] });
    expect(input?.autoScalingGroups).toEqual(['web-asg']);
    expect(input?.loadBalancerInfo).toEqual({ targetGroupInfoList: [{ name: 'web-tg' }] });
    expect(input?.deploymentStyle).toEqual({ deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' });
    expect(input?.autoRollbackConfiguration).toEqual({ enabled: false, events: [] });
  });

  it('reads a deployment group back into cd-wizard terms', async () => {
    cd.on(CodeDeploySdk.GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        applicationName: 'web',
        deploymentGroupName: 'prod',
        deploymentGroupId: 'dg-1',
        serviceRoleArn: 'arn:aws:iam::1:role/R',
        ec2TagSet: { ec2TagSetList: [[{ Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' }], [{ Key: 'Role', Type: 'KEY_ONLY' }]] },
        autoScalingGroups: [{ name: 'web-asg', hook: 'CodeDeploy-managed-automatic-launch-deployment-hook-prod-1' }],
        deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
        deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        loadBalancerInfo: { targetGroupInfoList: [{ name: 'web-tg' }] },
      },
    });
    expect(await port.getDeploymentGroup('web', 'prod')).toEqual({
      application: 'web',
      name: 'prod',
      id: 'dg-1',
      serviceRoleArn: 'arn:aws:iam::1:role/R',
      tagGroups: [[{ key: 'Env', value: 'prod' }], [{ key: 'Role' }]],
      tagForm: 'set',
      autoScalingGroups: ['web-asg'],
      deploymentConfig: 'CodeDeployDefault.HalfAtATime',
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
      targetGroupNames: ['web-tg'],
    });
  });

  it('on update, clears the other tag form, keeps other rollback events and leaves unset fields alone', async () => {
    cd.on(CodeDeploySdk.UpdateDeploymentGroupCommand).resolves({});
    const previous: CodeDeployDeploymentGroup = {
      application: 'web',
      name: 'prod',
      id: 'dg-1',
      serviceRoleArn: 'arn:aws:iam::1:role/Old',
      tagGroups: [[{ key: 'Env', value: 'prod' }], [{ key: 'Role', value: 'web' }]],
      tagForm: 'set',
      autoScalingGroups: ['keep-me'],
      deploymentConfig: 'CodeDeployDefault.AllAtOnce',
      autoRollback: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
      targetGroupNames: ['tg'],
    };
    await port.updateDeploymentGroup(spec({ tagGroups: [[{ key: 'Env', value: 'prod' }]] }), previous);
    expect(cd.commandCalls(CodeDeploySdk.UpdateDeploymentGroupCommand)[0]?.args[0].input).toEqual({
      applicationName: 'web',
      currentDeploymentGroupName: 'prod',
      serviceRoleArn: 'arn:aws:iam::1:role/R',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      ec2TagFilters: [{ Key: 'Env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
      ec2TagSet: { ec2TagSetList: [] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_FAILURE'] },
    });
  });

  it('an existing group found on create is updated, not duplicated', async () => {
    cd.on(CodeDeploySdk.CreateDeploymentGroupCommand).rejects(sdkError('DeploymentGroupAlreadyExistsException', 'already exists'));
    cd.on(CodeDeploySdk.GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: { deploymentGroupId: 'dg-9', deploymentGroupName: 'prod', applicationName: 'web' } });
    cd.on(CodeDeploySdk.UpdateDeploymentGroupCommand).resolves({});
    expect(await port.createDeploymentGroup(spec(), {})).toEqual({ id: 'dg-9', created: false });
    expect(cd.commandCalls(CodeDeploySdk.UpdateDeploymentGroupCommand)).toHaveLength(1);
  });

  it('folds pages of application names', async () => {
    cd.on(CodeDeploySdk.ListApplicationsCommand).resolvesOnce({ applications: ['a'], nextToken: 'n' }).resolvesOnce({ applications: ['b'] });
    expect(await port.listApplications()).toEqual(['a', 'b']);
  });
});
