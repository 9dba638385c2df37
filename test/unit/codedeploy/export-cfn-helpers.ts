/**
 * CloudFormation templates read back for the export tests: checked against the resource types' required and allowed
 * properties, resolved (Ref, Fn::Sub, Fn::GetAtt) with an account's values, and turned into what they create.
 */
import type { PolicyDocument } from '../../../src/aws/types.js';
import { fromFilter, oidcProviderArnOf, type Created, type Where } from './export-helpers.js';
/**
 * Required properties checked, per resource type, from the CloudFormation resource reference (Template Reference,
 * "Required: Yes"): AWS::IAM::Role AssumeRolePolicyDocument (and each Policies item: PolicyDocument, PolicyName);
 * AWS::IAM::RolePolicy PolicyName, RoleName; AWS::IAM::InstanceProfile Roles; AWS::CodeDeploy::DeploymentGroup
 * ApplicationName, ServiceRoleArn; AWS::CodeDeploy::Application, AWS::S3::Bucket and AWS::IAM::OIDCProvider (whose
 * ThumbprintList is optional since IAM verifies well-known issuers itself) none. Allowed: the properties the
 * same pages list (only the ones cd-wizard may use are named; anything else is a typo).
 */
export const CFN_SCHEMA: Record<string, { required: string[]; allowed: string[] }> = {
  'AWS::IAM::Role': { required: ['AssumeRolePolicyDocument'], allowed: ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'] },
  'AWS::IAM::RolePolicy': { required: ['PolicyName', 'RoleName'], allowed: ['PolicyDocument', 'PolicyName', 'RoleName'] },
  'AWS::IAM::InstanceProfile': { required: ['Roles'], allowed: ['InstanceProfileName', 'Path', 'Roles'] },
  'AWS::S3::Bucket': { required: [], allowed: ['BucketName', 'BucketEncryption', 'PublicAccessBlockConfiguration', 'Tags', 'VersioningConfiguration'] },
  'AWS::CodeDeploy::Application': { required: [], allowed: ['ApplicationName', 'ComputePlatform', 'Tags'] },
  'AWS::IAM::OIDCProvider': { required: [], allowed: ['ClientIdList', 'Tags', 'ThumbprintList', 'Url'] },
  'AWS::CodeDeploy::DeploymentGroup': {
    required: ['ApplicationName', 'ServiceRoleArn'],
    allowed: [
      'AlarmConfiguration', 'ApplicationName', 'AutoRollbackConfiguration', 'AutoScalingGroups', 'BlueGreenDeploymentConfiguration', 'Deployment', 'DeploymentConfigName',
      'DeploymentGroupName', 'DeploymentStyle', 'Ec2TagFilters', 'Ec2TagSet', 'ECSServices', 'LoadBalancerInfo', 'OnPremisesInstanceTagFilters', 'OnPremisesTagSet',
      'OutdatedInstancesStrategy', 'ServiceRoleArn', 'Tags', 'TerminationHookEnabled', 'TriggerConfigurations',
    ],
  },
};

export interface CfnTemplate {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown }>;
}

/** Problems with a template against CFN_SCHEMA: unknown types, missing or unknown properties, references to nothing. */
export function cfnProblems(template: CfnTemplate): string[] {
  const problems: string[] = [];
  if (template.AWSTemplateFormatVersion !== '2010-09-09') problems.push(`AWSTemplateFormatVersion is ${String(template.AWSTemplateFormatVersion)}`);
  for (const [id, resource] of Object.entries(template.Resources)) {
    const schema = CFN_SCHEMA[resource.Type];
    if (!schema) {
      problems.push(`${id}: unknown type ${resource.Type}`);
      continue;
    }
    for (const name of schema.required) if (resource.Properties[name] === undefined) problems.push(`${id}: ${resource.Type} needs ${name}`);
    for (const name of Object.keys(resource.Properties)) if (!schema.allowed.includes(name)) problems.push(`${id}: ${resource.Type} has no property ${name}`);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (resource.Properties.Policies as Array<Record<string, unknown>> | undefined) ?? []) {
        if (policy.PolicyName === undefined || policy.PolicyDocument === undefined) problems.push(`${id}: a Policies item needs PolicyName and PolicyDocument`);
      }
    }
  }
  return problems;
}

const PSEUDO = (where: Where): Record<string, string> => ({ 'AWS::AccountId': where.account, 'AWS::Partition': where.partition, 'AWS::Region': where.region, 'AWS::URLSuffix': where.urlSuffix });

/** The template with every Ref, Fn::Sub and Fn::GetAtt replaced by its value in `where` (parameters at their defaults). */
export function resolveCfn(template: CfnTemplate, where: Where): CfnTemplate {
  const pseudo = PSEUDO(where);
  const NAME_PROPERTY: Record<string, string> = {
    'AWS::IAM::Role': 'RoleName',
    'AWS::IAM::InstanceProfile': 'InstanceProfileName',
    'AWS::S3::Bucket': 'BucketName',
    'AWS::CodeDeploy::Application': 'ApplicationName',
  };
  const ref = (name: string): string => {
    if (name in pseudo) return pseudo[name] ?? '';
    const parameter = template.Parameters[name];
    if (parameter) return parameter.Default ?? '';
    const resource = template.Resources[name];
    // An OIDC provider's Ref is its ARN.
    if (resource?.Type === 'AWS::IAM::OIDCProvider') return oidcProviderArnOf(where, resolve(resource.Properties.Url) as string);
    const property = resource ? NAME_PROPERTY[resource.Type] : undefined;
    if (resource && property) return resolve(resource.Properties[property]) as string;
    throw new Error(`Ref to ${name}, which the template does not define`);
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    const [first] = entries;
    if (entries.length === 1 && first && first[0] === 'Ref') return ref(first[1] as string);
    if (entries.length === 1 && first && first[0] === 'Fn::Sub') return (first[1] as string).replace(/\$\{(?!!)([^}]+)\}/g, (_, name: string) => ref(name)).replaceAll('${!', '${');
    if (entries.length === 1 && first && first[0] === 'Fn::GetAtt') {
      const [id, attribute] = first[1] as [string, string];
      if (template.Resources[id]?.Type !== 'AWS::IAM::Role' || attribute !== 'Arn') throw new Error(`Fn::GetAtt ${id}.${attribute} is not one the tests resolve`);
      return `arn:${where.partition}:iam::${where.account}:role/${ref(id)}`;
    }
    const fn = entries.find(([key]) => key.startsWith('Fn::'));
    if (fn) throw new Error(`${fn[0]} is not an intrinsic function the export uses`);
    return Object.fromEntries(entries.map(([key, value]) => [key, resolve(value)]));
  };
  return { ...template, Resources: resolve(template.Resources) as CfnTemplate['Resources'] };
}

const cfnTags = (tags: unknown) => Object.fromEntries(((tags as Array<{ Key: string; Value: string }> | undefined) ?? []).map((tag) => [tag.Key, tag.Value]));

/** What a resolved CloudFormation template creates. */
export function createdByCfn(template: CfnTemplate): Created {
  const created: Created = { roles: {}, policiesOnReusedRoles: {} };
  for (const resource of Object.values(template.Resources)) {
    const p = resource.Properties;
    if (resource.Type === 'AWS::IAM::Role') {
      const inline = Object.fromEntries(((p.Policies as Array<{ PolicyName: string; PolicyDocument: PolicyDocument }> | undefined) ?? []).map((policy) => [policy.PolicyName, policy.PolicyDocument]));
      created.roles[p.RoleName as string] = { trust: p.AssumeRolePolicyDocument as PolicyDocument, managed: (p.ManagedPolicyArns as string[] | undefined) ?? [], inline, tags: cfnTags(p.Tags) };
    }
    if (resource.Type === 'AWS::IAM::RolePolicy') (created.policiesOnReusedRoles[p.RoleName as string] ??= {})[p.PolicyName as string] = p.PolicyDocument as PolicyDocument;
    if (resource.Type === 'AWS::IAM::InstanceProfile') created.instanceProfile = { name: p.InstanceProfileName as string, role: (p.Roles as string[])[0] ?? '' };
    if (resource.Type === 'AWS::S3::Bucket') created.bucket = { name: p.BucketName as string, tags: cfnTags(p.Tags) };
    if (resource.Type === 'AWS::CodeDeploy::Application') created.application = { name: p.ApplicationName as string, tags: cfnTags(p.Tags) };
    if (resource.Type === 'AWS::IAM::OIDCProvider') created.oidcProvider = { url: p.Url as string, audiences: p.ClientIdList as string[], tags: cfnTags(p.Tags) };
    if (resource.Type === 'AWS::CodeDeploy::DeploymentGroup') {
      const set = p.Ec2TagSet as { Ec2TagSetList: Array<{ Ec2TagGroup: Array<{ Key?: string; Value?: string; Type: string }> }> } | undefined;
      const filters = p.Ec2TagFilters as Array<{ Key?: string; Value?: string; Type: string }> | undefined;
      const rollback = p.AutoRollbackConfiguration as { Enabled: boolean; Events?: string[] };
      const lb = p.LoadBalancerInfo as { TargetGroupInfoList: Array<{ Name: string }> } | undefined;
      created.deploymentGroup = {
        application: p.ApplicationName as string,
        name: p.DeploymentGroupName as string,
        serviceRoleArn: p.ServiceRoleArn as string,
        deploymentConfig: p.DeploymentConfigName as string,
        autoRollback: rollback.Enabled && (rollback.Events ?? []).includes('DEPLOYMENT_FAILURE'),
        tagGroups: set ? set.Ec2TagSetList.map((group) => group.Ec2TagGroup.map(fromFilter)) : filters ? [filters.map(fromFilter)] : [],
        ...(p.AutoScalingGroups ? { autoScalingGroups: p.AutoScalingGroups as string[] } : {}),
        ...(lb ? { targetGroupName: lb.TargetGroupInfoList[0]?.Name ?? '' } : {}),
        tags: cfnTags(p.Tags),
      };
    }
  }
  return created;
}

