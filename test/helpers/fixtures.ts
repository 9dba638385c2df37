import type { CodeDeployDeploymentGroup } from '../../src/aws/ports/index.js';
import type { SetupAnswers } from '../../src/codedeploy/answers.js';
import type { Observation } from '../../src/codedeploy/observe.js';

export const ACCOUNT = '123456789012';

/** Complete answers for app "web", group "prod" in eu-west-1, one instance selected by Env=prod. */
export function setupAnswers(extra: Partial<SetupAnswers> = {}): SetupAnswers {
  return {
    region: 'eu-west-1',
    app: 'web',
    group: 'prod',
    serviceRole: 'CodeDeployServiceRole',
    instanceRole: 'CodeDeployInstanceRole',
    instanceProfile: 'CodeDeployInstanceProfile',
    bucket: 'my-revisions',
    instances: ['i-0aaaaaaaaaaaaaaa1'],
    asg: [],
    tagGroups: [[{ key: 'Env', value: 'prod' }]],
    deploymentConfig: 'CodeDeployDefault.OneAtATime',
    rollback: true,
    ssm: false,
    ...extra,
  };
}

/** An account where nothing of setup's exists yet, with one running, untagged instance. */
export function emptyObservation(partition = 'aws'): Observation {
  return {
    identity: { account: ACCOUNT, arn: `arn:${partition}:sts::${ACCOUNT}:assumed-role/Admin/alice`, partition },
    serviceRoleName: 'CodeDeployServiceRole',
    launches: {},
    deploymentConfigExists: true,
    applicationTags: {},
    deploymentGroupTags: {},
    instances: [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: {} }],
    missingInstances: [],
    associations: [],
    autoScalingGroups: [],
    missingAutoScalingGroups: [],
    bucket: { status: 'found', region: 'eu-west-1' },
    tagMatches: [],
  };
}

/** Deployment group web/prod as CodeDeploy describes it, selecting cd-wizard:group=web/prod; `extra` overrides. */
export function deploymentGroupInfo(extra: Partial<CodeDeployDeploymentGroup> = {}): CodeDeployDeploymentGroup {
  return {
    application: 'web',
    name: 'prod',
    id: 'dg-1',
    serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`,
    tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]],
    tagForm: 'filters',
    autoScalingGroups: [],
    deploymentConfig: 'CodeDeployDefault.OneAtATime',
    autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
    targetGroupNames: [],
    ...extra,
  };
}
