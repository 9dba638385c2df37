/**
 * The AWS managed policies the fake knows, so AttachRolePolicy can tell a real ARN (note the `service-role/`
 * path on some) from a typo, and SimulatePrincipalPolicy can evaluate them. Documents are abbreviated to
 * the statements that matter for CodeDeploy on EC2; see codedeploy-facts.md §5 for the sources.
 */
import { createHash } from 'node:crypto';

export interface AwsManagedPolicy {
  arn: string;
  name: string;
  path: string;
  id: string;
  document: string;
}

type Doc = { Version: string; Statement: Array<Record<string, unknown>> };

const allow = (actions: string[], resource: string | string[] = '*', condition?: Record<string, unknown>): Record<string, unknown> => ({
  Effect: 'Allow',
  Action: actions,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});

const DOCUMENTS: Record<string, Doc> = {
  'service-role/AWSCodeDeployRole': {
    Version: '2012-10-17',
    Statement: [
      allow([
        'autoscaling:CompleteLifecycleAction',
        'autoscaling:DeleteLifecycleHook',
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeLifecycleHooks',
        'autoscaling:PutLifecycleHook',
        'autoscaling:RecordLifecycleActionHeartbeat',
        'autoscaling:CreateAutoScalingGroup',
        'autoscaling:CreateOrUpdateTags',
        'autoscaling:UpdateAutoScalingGroup',
        'autoscaling:EnableMetricsCollection',
        'autoscaling:DescribePolicies',
        'autoscaling:DescribeScheduledActions',
        'autoscaling:DescribeNotificationConfigurations',
        'autoscaling:SuspendProcesses',
        'autoscaling:ResumeProcesses',
        'autoscaling:AttachLoadBalancers',
        'autoscaling:AttachLoadBalancerTargetGroups',
        'autoscaling:PutScalingPolicy',
        'autoscaling:PutScheduledUpdateGroupAction',
        'autoscaling:PutNotificationConfiguration',
        'autoscaling:PutWarmPool',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DeleteAutoScalingGroup',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:TerminateInstances',
        'tag:GetResources',
        'sns:Publish',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:PutMetricAlarm',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeInstanceHealth',
        'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
        'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
      ]),
    ],
  },
  'AWSCodeDeployRoleForECS': {
    Version: '2012-10-17',
    Statement: [allow(['ecs:DescribeServices', 'ecs:CreateTaskSet', 'ecs:UpdateServicePrimaryTaskSet', 'ecs:DeleteTaskSet', 'elasticloadbalancing:*', 'lambda:InvokeFunction', 'cloudwatch:DescribeAlarms', 'sns:Publish', 's3:GetObject', 's3:GetObjectVersion'])],
  },
  'service-role/AWSCodeDeployRoleForLambda': {
    Version: '2012-10-17',
    Statement: [allow(['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig', 'sns:Publish', 's3:GetObject', 's3:GetObjectVersion'])],
  },
  'service-role/AmazonEC2RoleforAWSCodeDeploy': {
    Version: '2012-10-17',
    Statement: [allow(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'])],
  },
  'service-role/AmazonEC2RoleforAWSCodeDeployLimited': {
    Version: '2012-10-17',
    Statement: [
      allow(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], 'arn:aws:s3:::*/CodeDeploy/*'),
      allow(['s3:GetObject', 's3:GetObjectVersion'], '*', { StringEquals: { 's3:ExistingObjectTag/UseWithCodeDeploy': 'true' } }),
    ],
  },
  'AmazonSSMManagedInstanceCore': {
    Version: '2012-10-17',
    Statement: [
      allow([
        'ssm:DescribeAssociation',
        'ssm:GetDeployablePatchSnapshotForInstance',
        'ssm:GetDocument',
        'ssm:DescribeDocument',
        'ssm:GetManifest',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:ListAssociations',
        'ssm:ListInstanceAssociations',
        'ssm:PutInventory',
        'ssm:PutComplianceItems',
        'ssm:PutConfigurePackageResult',
        'ssm:UpdateAssociationStatus',
        'ssm:UpdateInstanceAssociationStatus',
        'ssm:UpdateInstanceInformation',
      ]),
      allow(['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']),
      allow(['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply']),
    ],
  },
  'AWSCodeDeployFullAccess': {
    Version: '2012-10-17',
    Statement: [allow(['codedeploy:*', 'sns:ListTopics', 'cloudwatch:DescribeAlarms', 'codestar-notifications:ListTargets'])],
  },
  'AWSCodeDeployDeployerAccess': {
    Version: '2012-10-17',
    Statement: [allow(['codedeploy:Batch*', 'codedeploy:CreateDeployment', 'codedeploy:Get*', 'codedeploy:List*', 'codedeploy:RegisterApplicationRevision', 'sns:ListTopics'])],
  },
  'AWSCodeDeployReadOnlyAccess': {
    Version: '2012-10-17',
    Statement: [allow(['codedeploy:Batch*', 'codedeploy:Get*', 'codedeploy:List*', 'sns:ListTopics'])],
  },
  'AdministratorAccess': { Version: '2012-10-17', Statement: [allow(['*'])] },
  'IAMFullAccess': { Version: '2012-10-17', Statement: [allow(['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:ListRoots'])] },
  'AmazonS3ReadOnlyAccess': { Version: '2012-10-17', Statement: [allow(['s3:Get*', 's3:List*', 's3:Describe*'])] },
  'ReadOnlyAccess': {
    Version: '2012-10-17',
    Statement: [
      allow([
        'autoscaling:Describe*',
        'codedeploy:Batch*',
        'codedeploy:Get*',
        'codedeploy:List*',
        'ec2:Describe*',
        'ec2:Get*',
        'iam:Get*',
        'iam:List*',
        'iam:Generate*',
        's3:Get*',
        's3:List*',
        'ssm:Describe*',
        'ssm:Get*',
        'ssm:List*',
        'sts:GetCallerIdentity',
      ]),
    ],
  },
};

function fixedId(name: string): string {
  const digest = createHash('sha256').update(name).digest('hex').toUpperCase();
  return `ANPA${digest.replace(/[^A-Z0-9]/g, '').slice(0, 17)}`;
}

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = Object.entries(DOCUMENTS).map(([pathAndName, document]) => {
  const slash = pathAndName.lastIndexOf('/');
  const name = pathAndName.slice(slash + 1);
  const path = slash < 0 ? '/' : `/${pathAndName.slice(0, slash + 1)}`;
  return { arn: `arn:aws:iam::aws:policy/${pathAndName}`, name, path, id: fixedId(name), document: JSON.stringify(document) };
});

export function findAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return AWS_MANAGED_POLICIES.find((policy) => policy.arn === arn);
}
