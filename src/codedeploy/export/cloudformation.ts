import { Document, isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import type { PolicyDocument } from '../../aws/types.js';
import { DEFAULTS } from '../answers.js';
import { splitTokens, token, type ExportModel, type OidcProviderModel, type RoleKey, type RoleModel, type TokenName } from './model.js';

/**
 * The export model as a CloudFormation template (YAML, long-form intrinsic functions so any YAML parser reads it).
 * Names are parameters (defaults: the answers); the account, partition, region and DNS suffix are pseudo parameters;
 * what setup reused is a parameter only, never a resource. Comments carry each document's reason.
 */

export const CFN_PARAMETERS: Record<Extract<TokenName, 'app' | 'group' | 'bucket' | 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'deployRole' | 'reusedOidcProvider'>, string> = {
  app: 'ApplicationName',
  group: 'DeploymentGroupName',
  bucket: 'RevisionBucketName',
  serviceRole: 'ServiceRoleName',
  instanceRole: 'InstanceRoleName',
  instanceProfile: 'InstanceProfileName',
  deployRole: 'DeployRoleName',
  reusedOidcProvider: 'GithubOidcProviderArn',
};

const PSEUDO: Record<Extract<TokenName, 'partition' | 'account' | 'region' | 'urlSuffix'>, string> = {
  partition: 'AWS::Partition',
  account: 'AWS::AccountId',
  region: 'AWS::Region',
  urlSuffix: 'AWS::URLSuffix',
};

/** Logical ids of the resources. */
export const CFN_RESOURCES = {
  serviceRole: 'ServiceRole',
  instanceRole: 'InstanceRole',
  instanceProfile: 'InstanceProfile',
  bucket: 'RevisionBucket',
  application: 'Application',
  deploymentGroup: 'DeploymentGroup',
  deployRole: 'DeployRole',
  oidcProvider: 'GithubOidcProvider',
} as const;

/** A token's name in the template: a pseudo parameter, the OIDC provider resource (its Ref is its ARN), or a parameter. */
const nameOf = (name: TokenName): string =>
  name in PSEUDO ? PSEUDO[name as keyof typeof PSEUDO] : name === 'oidcProvider' ? CFN_RESOURCES.oidcProvider : CFN_PARAMETERS[name as keyof typeof CFN_PARAMETERS];

/** A string with tokens → Ref (one whole token) or Fn::Sub; literal `${` is escaped as Sub wants it. */
export function cfnValue(text: string): unknown {
  const parts = splitTokens(text);
  const only = parts[0];
  if (parts.length === 1 && typeof only === 'object') return { Ref: nameOf(only.token) };
  if (parts.every((part) => typeof part === 'string')) return text;
  return { 'Fn::Sub': parts.map((part) => (typeof part === 'string' ? part.replaceAll('${', '${!') : `\${${nameOf(part.token)}}`)).join('') };
}

/** Every string of a value through cfnValue. */
function cfnDeep(value: unknown): unknown {
  if (typeof value === 'string') return cfnValue(value);
  if (Array.isArray(value)) return value.map(cfnDeep);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cfnDeep(inner)]));
  return value;
}

/** Comments read tokens as the template writes them (${AWS::AccountId}, ${RevisionBucketName}). */
const commentText = (text: string) => splitTokens(text).map((part) => (typeof part === 'string' ? part : `\${${nameOf(part.token)}}`)).join('');

const cfnTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const cfnPolicy = (document: PolicyDocument) => cfnDeep(document);

interface Commented {
  /** Path from the template root to a node, and the comment to put before it. */
  path: Array<string | number>;
  comment: string;
}

function roleResource(role: RoleModel, comments: Commented[]): Record<string, unknown> {
  const id = CFN_RESOURCES[role.key];
  const base: Array<string | number> = ['Resources', id, 'Properties'];
  comments.push({ path: ['Resources', id], comment: commentText(role.description) });
  comments.push({ path: [...base, 'AssumeRolePolicyDocument'], comment: commentText(role.trust.why) });
  if (role.managed.length > 0) comments.push({ path: [...base, 'ManagedPolicyArns'], comment: role.managed.map((policy) => `${policy.arn.split('/').pop() ?? policy.arn}: ${commentText(policy.why)}`).join('\n') });
  role.inline.forEach((policy, i) => comments.push({ path: [...base, 'Policies', i], comment: commentText(policy.why) }));
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: { Ref: CFN_PARAMETERS[role.key] },
      Description: cfnValue(role.description),
      AssumeRolePolicyDocument: cfnPolicy(role.trust.document),
      ...(role.managed.length > 0 ? { ManagedPolicyArns: role.managed.map((policy) => cfnValue(policy.arn)) } : {}),
      ...(role.inline.length > 0 ? { Policies: role.inline.map((policy) => ({ PolicyName: policy.name, PolicyDocument: cfnPolicy(policy.document) })) } : {}),
      Tags: cfnTags(role.tags),
    },
  };
}

/** A role setup reused: its inline policies still belong to cd-wizard (standalone RolePolicy); its managed policies are a note. */
function reusedRoleResources(role: RoleModel, comments: Commented[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  role.inline.forEach((policy, i) => {
    const id = `${CFN_RESOURCES[role.key]}Policy${i + 1}`;
    comments.push({ path: ['Resources', id], comment: `${commentText(policy.why)}\n${role.name} itself was reused by setup, so it is a parameter here, not a resource.` });
    resources[id] = { Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: CFN_PARAMETERS[role.key] }, PolicyName: policy.name, PolicyDocument: cfnPolicy(policy.document) } };
  });
  return resources;
}

function groupResource(model: ExportModel, serviceRoleOwned: boolean): Record<string, unknown> {
  const { spec, filters, tags } = model.deploymentGroup;
  const filter = (one: (typeof filters)[number][number]) => ({ ...(one.key === undefined ? {} : { Key: one.key }), ...(one.value === undefined ? {} : { Value: one.value }), Type: one.type });
  const targets =
    filters.length === 0 ? {} : filters.length === 1 ? { Ec2TagFilters: (filters[0] ?? []).map(filter) } : { Ec2TagSet: { Ec2TagSetList: filters.map((group) => ({ Ec2TagGroup: group.map(filter) })) } };
  return {
    Type: 'AWS::CodeDeploy::DeploymentGroup',
    Properties: {
      ApplicationName: { Ref: model.application.owned ? CFN_RESOURCES.application : CFN_PARAMETERS.app },
      DeploymentGroupName: { Ref: CFN_PARAMETERS.group },
      ServiceRoleArn: serviceRoleOwned ? { 'Fn::GetAtt': [CFN_RESOURCES.serviceRole, 'Arn'] } : cfnValue(spec.serviceRoleArn),
      DeploymentConfigName: spec.deploymentConfig,
      ...targets,
      ...(spec.autoScalingGroups ? { AutoScalingGroups: spec.autoScalingGroups } : {}),
      AutoRollbackConfiguration: spec.autoRollback ? { Enabled: true, Events: ['DEPLOYMENT_FAILURE'] } : { Enabled: false },
      DeploymentStyle: { DeploymentType: 'IN_PLACE', DeploymentOption: spec.targetGroupName ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL' },
      ...(spec.targetGroupName ? { LoadBalancerInfo: { TargetGroupInfoList: [{ Name: spec.targetGroupName }] } } : {}),
      Tags: cfnTags(tags),
    },
  };
}

function parameters(model: ExportModel): Record<string, unknown> {
  const { answers } = model;
  const reused = (owned: boolean) => (owned ? '' : ' (exists already: setup reused it; this template does not create it)');
  const role = (key: RoleKey) => model.roles.find((one) => one.key === key);
  const deploy = role('deployRole');
  const provider = model.oidcProvider;
  return {
    [CFN_PARAMETERS.app]: { Type: 'String', Default: answers.app, Description: `CodeDeploy application${reused(model.application.owned)}` },
    [CFN_PARAMETERS.group]: { Type: 'String', Default: answers.group, Description: `Deployment group${reused(model.deploymentGroup.owned)}` },
    [CFN_PARAMETERS.bucket]: { Type: 'String', Default: answers.bucket, Description: `S3 bucket the revisions are uploaded to${reused(model.bucket.owned)}` },
    [CFN_PARAMETERS.serviceRole]: { Type: 'String', Default: answers.serviceRole ?? DEFAULTS.serviceRole, Description: `Service role CodeDeploy acts with${reused(role('serviceRole')?.owned ?? true)}` },
    [CFN_PARAMETERS.instanceRole]: { Type: 'String', Default: answers.instanceRole, Description: `Role of the CodeDeploy agent on the instances${reused(role('instanceRole')?.owned ?? true)}` },
    [CFN_PARAMETERS.instanceProfile]: { Type: 'String', Default: answers.instanceProfile, Description: `Instance profile that hands the instance role to EC2${reused(model.instanceProfile.owned)}` },
    ...(deploy ? { [CFN_PARAMETERS.deployRole]: { Type: 'String', Default: deploy.name, Description: `Role GitHub Actions deploys with${reused(deploy.owned)}` } } : {}),
    ...(provider && !provider.owned
      ? {
          [CFN_PARAMETERS.reusedOidcProvider]: {
            Type: 'String',
            ...(provider.arn === undefined ? {} : { Default: provider.arn }),
            Description: `ARN of the account's OIDC identity provider for ${provider.url}${reused(false)}`,
          },
        }
      : {}),
  };
}

function oidcProviderResource(provider: OidcProviderModel, comments: Commented[]): Record<string, unknown> {
  comments.push({
    path: ['Resources', CFN_RESOURCES.oidcProvider],
    comment: `${commentText(provider.why)}.\nNo ThumbprintList: IAM checks this issuer's certificate itself (setup creates it the same way).\nAn account holds one provider per issuer: where it has one already, use its ARN in the deploy role's trust instead.`,
  });
  return { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: provider.url, ClientIdList: provider.audiences, Tags: cfnTags(provider.tags) } };
}

function resources(model: ExportModel, comments: Commented[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (model.oidcProvider?.owned) out[CFN_RESOURCES.oidcProvider] = oidcProviderResource(model.oidcProvider, comments);
  for (const role of model.roles) Object.assign(out, role.owned ? { [CFN_RESOURCES[role.key]]: roleResource(role, comments) } : reusedRoleResources(role, comments));
  const instanceRole = model.roles.find((role) => role.key === 'instanceRole');
  if (model.instanceProfile.owned) {
    comments.push({ path: ['Resources', CFN_RESOURCES.instanceProfile], comment: 'Hands the instance role to EC2 instances. (CloudFormation cannot tag instance profiles; setup tags it ManagedBy=cd-wizard.)' });
    out[CFN_RESOURCES.instanceProfile] = {
      Type: 'AWS::IAM::InstanceProfile',
      Properties: { InstanceProfileName: { Ref: CFN_PARAMETERS.instanceProfile }, Roles: [instanceRole?.owned ? { Ref: CFN_RESOURCES.instanceRole } : { Ref: CFN_PARAMETERS.instanceRole }] },
    };
  }
  if (model.bucket.owned) {
    comments.push({ path: ['Resources', CFN_RESOURCES.bucket], comment: 'Where your revisions are uploaded; private (public access blocked) and encrypted by default, as setup creates it.' });
    out[CFN_RESOURCES.bucket] = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: { Ref: CFN_PARAMETERS.bucket },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        Tags: cfnTags(model.bucket.tags),
      },
    };
  }
  if (model.application.owned) {
    out[CFN_RESOURCES.application] = { Type: 'AWS::CodeDeploy::Application', Properties: { ApplicationName: { Ref: CFN_PARAMETERS.app }, ComputePlatform: 'Server', Tags: cfnTags(model.application.tags) } };
  }
  if (model.deploymentGroup.owned) {
    const serviceRole = model.roles.find((role) => role.key === 'serviceRole');
    comments.push({ path: ['Resources', CFN_RESOURCES.deploymentGroup], comment: 'Selects the instances by tag (one tag group: any filter matches; several: a filter of every group) and rolls out with the deployment configuration.' });
    out[CFN_RESOURCES.deploymentGroup] = groupResource(model, serviceRole?.owned ?? true);
  }
  return out;
}

function header(model: ExportModel): string {
  const lines = [
    ` CodeDeploy on EC2 for ${model.answers.app}/${model.answers.group}, exported by cd-wizard from setup's own plan:`,
    ' the same trust conditions, least-privilege policies, tags and group settings setup creates.',
    ' Deploy: aws cloudformation deploy --template-file codedeploy.yaml --stack-name ' + `${model.answers.app}-codedeploy --capabilities CAPABILITY_NAMED_IAM`,
  ];
  for (const role of model.roles) {
    if (role.owned) continue;
    lines.push(` ${role.name} was reused by setup: it is a parameter, not a resource.`);
    for (const policy of role.managed) lines.push(`   It must have ${policy.arn.split('/').pop() ?? policy.arn} attached (${commentText(policy.why)}); CloudFormation cannot attach it to a role it does not manage.`);
  }
  if (!model.deploymentGroup.owned) lines.push(` Deployment group ${model.answers.group} was reused by setup and is not in this template.`);
  if (model.oidcProvider && !model.oidcProvider.owned) lines.push(` GitHub's OIDC identity provider was reused by setup: ${CFN_PARAMETERS.reusedOidcProvider} names it; it is not a resource here.`);
  for (const note of model.notes) lines.push(` ${note}`);
  return lines.join('\n');
}

function comment(doc: Document, path: Array<string | number>, text: string): void {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = (parent as YAMLMap).items.find((item: Pair) => isScalar(item.key) && item.key.value === last);
    if (pair && isScalar(pair.key)) pair.key.commentBefore = text.split('\n').map((line) => ` ${line}`).join('\n');
    return;
  }
  const node = doc.getIn(path, true) as { commentBefore?: string | null } | undefined;
  if (node) node.commentBefore = text.split('\n').map((line) => ` ${line}`).join('\n');
}

export function renderCloudFormation(model: ExportModel): string {
  const comments: Commented[] = [];
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `CodeDeploy on EC2 for ${model.answers.app}/${model.answers.group} (exported by cd-wizard)`,
    Parameters: parameters(model),
    Resources: resources(model, comments),
  };
  // YAML 1.1, as CloudFormation reads it: strings such as 2010-09-09 or "yes" are quoted, so no parser takes them for dates or booleans.
  const doc = new Document(template, { version: '1.1' });
  doc.commentBefore = header(model);
  for (const one of comments) comment(doc, one.path, one.comment);
  return doc.toString({ lineWidth: 0 });
}

/** The token form of a role's ARN, as the plan writes it (for tests and references). */
export const roleArnToken = (key: 'serviceRole' | 'instanceRole') => `arn:${token('partition')}:iam::${token('account')}:role/${token(key)}`;
