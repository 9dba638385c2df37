/**
 * Reading exported templates back into what setup's plan says, for the export tests: resolving CloudFormation's
 * intrinsic functions and Terraform's interpolations with an account's values, and the plan's own view of what it
 * creates. Both sides end in the same shape, compared structurally.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import type { DeploymentGroupSpec } from '../../../src/aws/ports/index.js';
import type { PolicyDocument, PolicyStatement, TargetTag } from '../../../src/aws/types.js';
import type { SetupPlan } from '../../../src/codedeploy/plan.js';

export interface Where {
  account: string;
  partition: string;
  region: string;
  urlSuffix: string;
}

/** What a template (or a plan) creates, in one comparable shape. */
export interface Created {
  roles: Record<string, { trust: PolicyDocument; managed: string[]; inline: Record<string, PolicyDocument>; tags: Record<string, string> }>;
  /** Inline policies put on roles that exist already (setup reused them). */
  policiesOnReusedRoles: Record<string, Record<string, PolicyDocument>>;
  instanceProfile?: { name: string; role: string };
  bucket?: { name: string; tags: Record<string, string> };
  application?: { name: string; tags: Record<string, string> };
  deploymentGroup?: Omit<DeploymentGroupSpec, 'tagGroups'> & { tagGroups: TargetTag[][]; tags: Record<string, string> };
}

/** The plan's view: every create step of setup's plan for an empty account. */
export function createdByPlan(plan: SetupPlan, reusedRoles: readonly string[] = []): Created {
  const created: Created = { roles: {}, policiesOnReusedRoles: {} };
  for (const step of plan.steps) {
    const op = step.op;
    if (op.type === 'create-role') created.roles[op.name] = { trust: op.trust, managed: [], inline: {}, tags: op.tags };
    if (op.type === 'create-instance-profile') created.instanceProfile = { name: op.name, role: '' };
    if (op.type === 'set-profile-role' && created.instanceProfile) created.instanceProfile.role = op.roleName;
    if (op.type === 'create-bucket') created.bucket = { name: op.name, tags: op.tags };
    if (op.type === 'create-application') created.application = { name: op.name, tags: op.tags };
    if (op.type === 'create-deployment-group') created.deploymentGroup = { ...op.spec, tagGroups: op.spec.tagGroups ?? [], tags: op.tags };
  }
  for (const step of plan.steps) {
    const op = step.op;
    if (op.type === 'attach-policy' && created.roles[op.roleName]) created.roles[op.roleName]?.managed.push(op.policyArn);
    if (op.type === 'put-inline-policy') {
      const role = created.roles[op.roleName];
      if (role) role.inline[op.policyName] = op.document;
      else (created.policiesOnReusedRoles[op.roleName] ??= {})[op.policyName] = op.document;
    }
  }
  for (const name of reusedRoles) {
    const role = created.roles[name];
    if (!role) continue;
    if (Object.keys(role.inline).length > 0) created.policiesOnReusedRoles[name] = role.inline;
    delete created.roles[name];
  }
  return created;
}

/* ---------- CloudFormation ---------- */

/**
 * Required properties checked, per resource type, from the CloudFormation resource reference (Template Reference,
 * "Required: Yes"): AWS::IAM::Role AssumeRolePolicyDocument (and each Policies item: PolicyDocument, PolicyName);
 * AWS::IAM::RolePolicy PolicyName, RoleName; AWS::IAM::InstanceProfile Roles; AWS::CodeDeploy::DeploymentGroup
 * ApplicationName, ServiceRoleArn; AWS::CodeDeploy::Application and AWS::S3::Bucket none. Allowed: the properties the
 * same pages list (only the ones cd-wizard may use are named; anything else is a typo).
 */
export const CFN_SCHEMA: Record<string, { required: string[]; allowed: string[] }> = {
  'AWS::IAM::Role': { required: ['AssumeRolePolicyDocument'], allowed: ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'] },
  'AWS::IAM::RolePolicy': { required: ['PolicyName', 'RoleName'], allowed: ['PolicyDocument', 'PolicyName', 'RoleName'] },
  'AWS::IAM::InstanceProfile': { required: ['Roles'], allowed: ['InstanceProfileName', 'Path', 'Roles'] },
  'AWS::S3::Bucket': { required: [], allowed: ['BucketName', 'BucketEncryption', 'PublicAccessBlockConfiguration', 'Tags', 'VersioningConfiguration'] },
  'AWS::CodeDeploy::Application': { required: [], allowed: ['ApplicationName', 'ComputePlatform', 'Tags'] },
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
const fromFilter = (filter: { Key?: string; Value?: string; Type: string }): TargetTag =>
  filter.Type === 'KEY_ONLY' ? { key: filter.Key ?? '' } : filter.Type === 'VALUE_ONLY' ? { key: '', value: filter.Value ?? '' } : { key: filter.Key ?? '', value: filter.Value ?? '' };

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

/* ---------- Terraform ---------- */

type Hcl = Record<string, Record<string, Record<string, Array<Record<string, unknown>>>>>;

/** Parses HCL with HashiCorp's parser (hcl2json: the Go HCL library in WebAssembly); throws on invalid HCL. */
export async function parseTerraform(text: string): Promise<Hcl> {
  return (await parseHcl('main.tf', text)) as Hcl;
}

/** Terraform's attributes as values in `where`: every `${…}` interpolation replaced (variables at their defaults). */
export function resolveTerraform(hcl: Hcl, where: Where): Hcl {
  const values: Record<string, string> = {
    'data.aws_partition.current.partition': where.partition,
    'data.aws_partition.current.dns_suffix': where.urlSuffix,
    'data.aws_caller_identity.current.account_id': where.account,
  };
  const declared = (hcl.variable ?? {}) as unknown as Record<string, Array<{ default?: unknown }>>;
  for (const [name, [variable]] of Object.entries(declared)) values[`var.${name}`] = String(variable?.default ?? '');
  const expression = (text: string): string => {
    if (text in values) return values[text] ?? '';
    const role = /^(?:data\.)?aws_iam_role\.(\w+)\.(arn|name)$/.exec(text);
    if (role) {
      const block = (hcl.resource?.aws_iam_role?.[role[1] ?? ''] ?? hcl.data?.aws_iam_role?.[role[1] ?? ''])?.[0];
      const name = expression(String(block?.name ?? '').replace(/^\$\{(.*)\}$/, '$1'));
      return role[2] === 'arn' ? `arn:${where.partition}:iam::${where.account}:role/${name}` : name;
    }
    const bucket = /^aws_s3_bucket\.(\w+)\.id$/.exec(text);
    if (bucket) return expression(String(hcl.resource?.aws_s3_bucket?.[bucket[1] ?? '']?.[0]?.bucket ?? '').replace(/^\$\{(.*)\}$/, '$1'));
    const app = /^aws_codedeploy_app\.(\w+)\.name$/.exec(text);
    if (app) return expression(String(hcl.resource?.aws_codedeploy_app?.[app[1] ?? '']?.[0]?.name ?? '').replace(/^\$\{(.*)\}$/, '$1'));
    const document = /^data\.aws_iam_policy_document\.(\w+)\.json$/.exec(text);
    if (document) return `document:${document[1] ?? ''}`;
    throw new Error(`the tests cannot resolve \${${text}}`);
  };
  const resolve = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(/\$\{([^}]+)\}/g, (_, inner: string) => expression(inner)).replaceAll('$${', '${');
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
    return node;
  };
  // Variable declarations (type = string) are not values: only resources and data sources are resolved.
  return { ...hcl, resource: resolve(hcl.resource ?? {}), data: resolve(hcl.data ?? {}) } as Hcl;
}

/** An aws_iam_policy_document data source as the IAM document it produces. */
export function tfPolicy(block: Record<string, unknown>): PolicyDocument {
  const statements = (block.statement as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    Version: '2012-10-17',
    Statement: statements.map((s): PolicyStatement => {
      const principals = (s.principals as Array<{ type: string; identifiers: string[] }> | undefined) ?? [];
      const conditions = (s.condition as Array<{ test: string; variable: string; values: string[] }> | undefined) ?? [];
      const condition: Record<string, Record<string, string[]>> = {};
      for (const one of conditions) (condition[one.test] ??= {})[one.variable] = one.values;
      return {
        ...(s.sid === undefined ? {} : { Sid: s.sid as string }),
        Effect: (s.effect as 'Allow' | 'Deny' | undefined) ?? 'Allow',
        ...(s.actions === undefined ? {} : { Action: s.actions as string[] }),
        ...(s.not_actions === undefined ? {} : { NotAction: s.not_actions as string[] }),
        ...(s.resources === undefined ? {} : { Resource: s.resources as string[] }),
        ...(principals.length === 0 ? {} : { Principal: Object.fromEntries(principals.map((p) => [p.type, p.identifiers])) }),
        ...(conditions.length === 0 ? {} : { Condition: condition }),
      };
    }),
  };
}

const first = (blocks: Array<Record<string, unknown>> | undefined) => blocks?.[0] ?? {};

/** What a resolved Terraform configuration creates. */
export function createdByTerraform(hcl: Hcl): Created {
  const documents = hcl.data?.aws_iam_policy_document ?? {};
  const policy = (ref: unknown) => tfPolicy(first(documents[String(ref).replace(/^document:/, '')]));
  const roleName = (ref: unknown) => String(ref);
  const created: Created = { roles: {}, policiesOnReusedRoles: {} };
  for (const [, blocks] of Object.entries(hcl.resource?.aws_iam_role ?? {})) {
    const role = first(blocks);
    created.roles[String(role.name)] = { trust: policy(role.assume_role_policy), managed: [], inline: {}, tags: (role.tags as Record<string, string>) ?? {} };
  }
  for (const blocks of Object.values(hcl.resource?.aws_iam_role_policy_attachment ?? {})) {
    const attachment = first(blocks);
    created.roles[roleName(attachment.role)]?.managed.push(String(attachment.policy_arn));
  }
  for (const blocks of Object.values(hcl.resource?.aws_iam_role_policy ?? {})) {
    const inline = first(blocks);
    const role = created.roles[roleName(inline.role)];
    if (role) role.inline[String(inline.name)] = policy(inline.policy);
    else (created.policiesOnReusedRoles[roleName(inline.role)] ??= {})[String(inline.name)] = policy(inline.policy);
  }
  const profile = first(Object.values(hcl.resource?.aws_iam_instance_profile ?? {})[0]);
  if (profile.name !== undefined) created.instanceProfile = { name: String(profile.name), role: String(profile.role) };
  const bucket = first(Object.values(hcl.resource?.aws_s3_bucket ?? {})[0]);
  if (bucket.bucket !== undefined) created.bucket = { name: String(bucket.bucket), tags: (bucket.tags as Record<string, string>) ?? {} };
  const app = first(Object.values(hcl.resource?.aws_codedeploy_app ?? {})[0]);
  if (app.name !== undefined) created.application = { name: String(app.name), tags: (app.tags as Record<string, string>) ?? {} };
  const group = first(Object.values(hcl.resource?.aws_codedeploy_deployment_group ?? {})[0]);
  if (group.app_name !== undefined) {
    type Filter = { key?: string; type: string; value?: string };
    const toTag = (filter: Filter) => fromFilter({ ...(filter.key === undefined ? {} : { Key: filter.key }), ...(filter.value === undefined ? {} : { Value: filter.value }), Type: filter.type });
    const filters = (group.ec2_tag_filter as Filter[] | undefined) ?? [];
    const sets = (group.ec2_tag_set as Array<{ ec2_tag_filter: Filter[] }> | undefined) ?? [];
    const rollback = first(group.auto_rollback_configuration as Array<Record<string, unknown>>);
    const lb = first(group.load_balancer_info as Array<Record<string, unknown>> | undefined);
    const target = first(lb.target_group_info as Array<Record<string, unknown>> | undefined);
    created.deploymentGroup = {
      application: String(group.app_name),
      name: String(group.deployment_group_name),
      serviceRoleArn: String(group.service_role_arn),
      deploymentConfig: String(group.deployment_config_name),
      autoRollback: rollback.enabled === true && ((rollback.events as string[] | undefined) ?? []).includes('DEPLOYMENT_FAILURE'),
      tagGroups: sets.length > 0 ? sets.map((set) => set.ec2_tag_filter.map(toTag)) : filters.length > 0 ? [filters.map(toTag)] : [],
      ...(group.autoscaling_groups ? { autoScalingGroups: group.autoscaling_groups as string[] } : {}),
      ...(target.name !== undefined ? { targetGroupName: String(target.name) } : {}),
      tags: (group.tags as Record<string, string>) ?? {},
    };
  }
  return created;
}
