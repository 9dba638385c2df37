/**
 * CodeDeploy steps of the contract scenario: the application and deployment group setup makes, read back the way
 * the CodeDeploy port reads them, and their errors. moto 5 does not serve GetDeploymentConfig,
 * UpdateDeploymentGroup, deployments' targets or SSM instance information, so those stay out of the contract.
 */
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-codedeploy';
import { deploymentGroupFields } from '../../src/aws/ports/codedeploy.js';
import { tagsOf } from './outcome.js';
import { failing, step, type Step } from './scenario.js';
import { SERVICE_ROLE } from './steps-iam.js';

export const APP = 'contract-web';
export const GROUP = 'prod';
const ACCOUNT = '123456789012';
const SERVICE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${SERVICE_ROLE}`;
const TAGS = [{ Key: 'ManagedBy', Value: 'cd-wizard' }];

/** The group as setup asks for it: one tag group (so ec2TagFilters), OneAtATime, rollback on failure. */
const GROUP_FIELDS = deploymentGroupFields({
  application: APP,
  name: GROUP,
  serviceRoleArn: SERVICE_ROLE_ARN,
  tagGroups: [[{ key: 'cd-wizard:group', value: `${APP}/${GROUP}` }]],
  deploymentConfig: 'CodeDeployDefault.OneAtATime',
  autoRollback: true,
});

export const CODEDEPLOY_STEPS: readonly Step[] = [
  failing('CodeDeploy GetApplication of a missing application → ApplicationDoesNotExistException', (c) =>
    c.codeDeploy.send(new GetApplicationCommand({ applicationName: APP })),
  ),
  failing('CodeDeploy CreateDeploymentGroup with an unknown application → ApplicationDoesNotExistException', (c) =>
    c.codeDeploy.send(new CreateDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP, ...GROUP_FIELDS })),
  ),
  failing('CodeDeploy GetDeploymentGroup of an unknown application → ApplicationDoesNotExistException', (c) =>
    c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })),
  ),
  step('CodeDeploy CreateApplication with tags', (c) => c.codeDeploy.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Server', tags: TAGS })), {
    view: (out) => ({ id: out.applicationId }),
  }),
  failing('CodeDeploy CreateApplication of an existing application → ApplicationAlreadyExistsException', (c) =>
    c.codeDeploy.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Server' })),
  ),
  step('CodeDeploy GetApplication', (c) => c.codeDeploy.send(new GetApplicationCommand({ applicationName: APP })), {
    // createTime is compared as "<time>": moto's ISO text is turned into epoch seconds on the way in (moto-server.ts).
    view: (out) => ({ name: out.application?.applicationName, id: out.application?.applicationId, platform: out.application?.computePlatform, created: out.application?.createTime }),
    // ApplicationInfo.linkedToGitHub is documented in the API reference; moto 5 leaves it out.
    motoOmits: [/^application\.linkedToGitHub$/],
  }),
  failing('CodeDeploy GetDeploymentGroup of a missing group → DeploymentGroupDoesNotExistException', (c) =>
    c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })),
  ),
  step(
    'CodeDeploy CreateDeploymentGroup as setup builds it',
    (c) => c.codeDeploy.send(new CreateDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP, ...GROUP_FIELDS, tags: TAGS })),
    { view: (out) => ({ id: out.deploymentGroupId }) },
  ),
  failing('CodeDeploy CreateDeploymentGroup of an existing group → DeploymentGroupAlreadyExistsException', (c) =>
    c.codeDeploy.send(new CreateDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP, ...GROUP_FIELDS })),
  ),
  step('CodeDeploy GetDeploymentGroup', (c) => c.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })), {
    // What the CodeDeploy port reads (src/aws/ports/codedeploy.ts, getDeploymentGroup). An empty ec2TagSet and
    // ec2TagFilters both mean "no tag form"; the port reads either.
    view: (out) => {
      const info = out.deploymentGroupInfo;
      return {
        application: info?.applicationName,
        name: info?.deploymentGroupName,
        id: info?.deploymentGroupId,
        serviceRoleArn: info?.serviceRoleArn,
        tagFilters: info?.ec2TagFilters ?? [],
        tagSet: info?.ec2TagSet?.ec2TagSetList ?? [],
        autoScalingGroups: info?.autoScalingGroups ?? [],
        config: info?.deploymentConfigName,
        rollback: info?.autoRollbackConfiguration,
        style: info?.deploymentStyle,
        targetGroups: info?.loadBalancerInfo?.targetGroupInfoList ?? [],
        platform: info?.computePlatform,
      };
    },
    // Documented in the API reference's DeploymentGroupInfo; moto 5 leaves them out and cd-wizard reads neither.
    motoOmits: [/^deploymentGroupInfo\.outdatedInstancesStrategy$/, /^deploymentGroupInfo\.terminationHookEnabled$/],
  }),
  step('CodeDeploy ListDeploymentGroups', (c) => c.codeDeploy.send(new ListDeploymentGroupsCommand({ applicationName: APP })), {
    // moto sends an empty nextToken on the last page; the port treats "" as the end, as it must (no other page).
    view: (out) => ({ application: out.applicationName, groups: out.deploymentGroups, more: Boolean(out.nextToken) }),
  }),
  step('CodeDeploy ListApplications', (c) => c.codeDeploy.send(new ListApplicationsCommand({})), { view: (out) => ({ applications: out.applications, more: Boolean(out.nextToken) }) }),
  step('CodeDeploy ListTagsForResource of the application', (c) =>
    c.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:application:${APP}` })),
    { view: (out) => tagsOf(out.Tags) },
  ),
  step('CodeDeploy ListTagsForResource of the deployment group', (c) =>
    c.codeDeploy.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:${APP}/${GROUP}` })),
    { view: (out) => tagsOf(out.Tags) },
  ),
];
