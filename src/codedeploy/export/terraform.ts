import type { PolicyDocument, PolicyStatement } from '../../aws/types.js';
import { DEFAULTS } from '../answers.js';
import { asList } from '../documents.js';
import { raw, writeHcl, type HclBlock, type HclEntry, type HclValue } from './hcl.js';
import { splitTokens, type ExportModel, type OidcProviderModel, type RoleKey, type RoleModel, type TokenName } from './model.js';

/**
 * The export model as a Terraform configuration (HCL, AWS provider). Names are variables (defaults: the answers); the
 * account, partition and DNS suffix come from data sources; policy documents are aws_iam_policy_document data sources
 * (statement by statement, with the reason as a comment); what setup reused is a data source or a variable, never a
 * resource.
 */

export const TF_VARIABLES: Record<Extract<TokenName, 'region' | 'app' | 'group' | 'bucket' | 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'deployRole'>, string> = {
  region: 'region',
  app: 'application',
  group: 'deployment_group',
  bucket: 'revision_bucket',
  serviceRole: 'service_role_name',
  instanceRole: 'instance_role_name',
  instanceProfile: 'instance_profile_name',
  deployRole: 'deploy_role_name',
};

/** Resource names (the second label) per piece. */
export const TF_NAMES = { serviceRole: 'service', instanceRole: 'instance', instanceProfile: 'agent', bucket: 'revisions', application: 'app', deploymentGroup: 'group', deployRole: 'deploy', oidcProvider: 'github' } as const;

const EXPRESSIONS: Record<Extract<TokenName, 'partition' | 'account' | 'urlSuffix' | 'oidcProvider' | 'reusedOidcProvider'>, string> = {
  partition: 'data.aws_partition.current.partition',
  urlSuffix: 'data.aws_partition.current.dns_suffix',
  account: 'data.aws_caller_identity.current.account_id',
  oidcProvider: `aws_iam_openid_connect_provider.${TF_NAMES.oidcProvider}.arn`,
  reusedOidcProvider: `data.aws_iam_openid_connect_provider.${TF_NAMES.oidcProvider}.arn`,
};

export const tfExpression = (name: TokenName): string => (name in EXPRESSIONS ? EXPRESSIONS[name as keyof typeof EXPRESSIONS] : `var.${TF_VARIABLES[name as keyof typeof TF_VARIABLES]}`);

/** A string with tokens → a reference (one whole token) or a template with interpolations. */
export function tfValue(text: string): HclValue {
  const parts = splitTokens(text);
  const only = parts[0];
  if (parts.length === 1 && typeof only === 'object') return raw(tfExpression(only.token));
  if (parts.every((part) => typeof part === 'string')) return text;
  return { template: parts.map((part) => (typeof part === 'string' ? part : raw(tfExpression(part.token)))) };
}

const commentText = (text: string) => splitTokens(text).map((part) => (typeof part === 'string' ? part : `\${${tfExpression(part.token)}}`)).join('');
const list = (value: Parameters<typeof asList>[0]) => asList(value).map(tfValue);

function statementBlock(statement: PolicyStatement): HclBlock {
  const body: HclEntry[] = [];
  if (statement.Sid !== undefined) body.push({ name: 'sid', value: statement.Sid });
  body.push({ name: 'effect', value: statement.Effect });
  if (statement.Action !== undefined) body.push({ name: 'actions', value: list(statement.Action) });
  if (statement.NotAction !== undefined) body.push({ name: 'not_actions', value: list(statement.NotAction) });
  if (statement.Resource !== undefined) body.push({ name: 'resources', value: list(statement.Resource) });
  if (statement.NotResource !== undefined) body.push({ name: 'not_resources', value: list(statement.NotResource) });
  if (statement.Principal === '*') body.push({ type: 'principals', body: [{ name: 'type', value: '*' }, { name: 'identifiers', value: ['*'] }] });
  else {
    for (const [type, who] of Object.entries(statement.Principal ?? {})) body.push({ type: 'principals', body: [{ name: 'type', value: type }, { name: 'identifiers', value: list(who) }] });
  }
  for (const [test, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [variable, values] of Object.entries(entries)) body.push({ type: 'condition', body: [{ name: 'test', value: test }, { name: 'variable', value: variable }, { name: 'values', value: list(values) }] });
  }
  return { type: 'statement', body };
}

function policyDocument(name: string, document: PolicyDocument, comment: string): HclBlock {
  return { type: 'data', labels: ['aws_iam_policy_document', name], comment, body: document.Statement.map(statementBlock) };
}

const tags = (record: Record<string, string>): HclValue => ({ ...record });
const snake = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toLowerCase();

function roleBlocks(role: RoleModel): Array<HclBlock | { comment: string }> {
  const id = TF_NAMES[role.key];
  const name = raw(`var.${TF_VARIABLES[role.key]}`);
  const roleRef = role.owned ? `aws_iam_role.${id}` : `data.aws_iam_role.${id}`;
  const blocks: Array<HclBlock | { comment: string }> = [];
  if (role.owned) {
    blocks.push(policyDocument(`${id}_trust`, role.trust.document, commentText(role.trust.why)));
    blocks.push({
      type: 'resource',
      labels: ['aws_iam_role', id],
      comment: commentText(role.description),
      body: [
        { name: 'name', value: name },
        { name: 'description', value: tfValue(role.description) },
        { name: 'assume_role_policy', value: raw(`data.aws_iam_policy_document.${id}_trust.json`) },
        { name: 'tags', value: tags(role.tags) },
      ],
    });
    for (const policy of role.managed) {
      const short = policy.arn.split('/').pop() ?? policy.arn;
      blocks.push({
        type: 'resource',
        labels: ['aws_iam_role_policy_attachment', `${id}_${snake(short)}`],
        comment: `${short}: ${commentText(policy.why)}`,
        body: [
          { name: 'role', value: raw(`${roleRef}.name`) },
          { name: 'policy_arn', value: tfValue(policy.arn) },
        ],
      });
    }
  } else {
    blocks.push({ type: 'data', labels: ['aws_iam_role', id], comment: `Setup reused this role: it is read here, not managed.${role.managed.map((policy) => `\nIt must have ${policy.arn.split('/').pop() ?? policy.arn} attached (${commentText(policy.why)}).`).join('')}`, body: [{ name: 'name', value: name }] });
  }
  for (const policy of role.inline) {
    const policyId = `${id}_${snake(policy.name.replace(/^cd-wizard-/, ''))}`;
    blocks.push(policyDocument(policyId, policy.document, commentText(policy.why)));
    blocks.push({
      type: 'resource',
      labels: ['aws_iam_role_policy', policyId],
      body: [
        { name: 'name', value: policy.name },
        { name: 'role', value: raw(`${roleRef}.name`) },
        { name: 'policy', value: raw(`data.aws_iam_policy_document.${policyId}.json`) },
      ],
    });
  }
  return blocks;
}

function variables(model: ExportModel): HclBlock[] {
  const { answers } = model;
  const role = (key: RoleKey) => model.roles.find((one) => one.key === key)?.owned ?? true;
  const github = model.roles.some((one) => one.key === 'deployRole');
  const reused = (owned: boolean) => (owned ? '' : ' (exists already: setup reused it)');
  const variable = (name: string, value: string, description: string): HclBlock => ({
    type: 'variable',
    labels: [name],
    body: [
      { name: 'type', value: raw('string') },
      { name: 'default', value },
      { name: 'description', value: description },
    ],
  });
  return [
    variable(TF_VARIABLES.region, answers.region, 'Region of the instances, the bucket and CodeDeploy'),
    variable(TF_VARIABLES.app, answers.app, `CodeDeploy application${reused(model.application.owned)}`),
    variable(TF_VARIABLES.group, answers.group, `Deployment group${reused(model.deploymentGroup.owned)}`),
    variable(TF_VARIABLES.bucket, answers.bucket, `S3 bucket the revisions are uploaded to${reused(model.bucket.owned)}`),
    variable(TF_VARIABLES.serviceRole, answers.serviceRole ?? DEFAULTS.serviceRole, `Service role CodeDeploy acts with${reused(role('serviceRole'))}`),
    variable(TF_VARIABLES.instanceRole, answers.instanceRole, `Role of the CodeDeploy agent on the instances${reused(role('instanceRole'))}`),
    variable(TF_VARIABLES.instanceProfile, answers.instanceProfile, `Instance profile that hands the instance role to EC2${reused(model.instanceProfile.owned)}`),
    ...(github ? [variable(TF_VARIABLES.deployRole, answers.deployRole ?? '', `Role GitHub Actions deploys with${reused(role('deployRole'))}`)] : []),
  ];
}

/** GitHub's OIDC identity provider: a resource as setup creates it, or the account's own read as a data source. */
function oidcProviderBlock(provider: OidcProviderModel): HclBlock {
  if (!provider.owned) {
    return { type: 'data', labels: ['aws_iam_openid_connect_provider', TF_NAMES.oidcProvider], comment: 'Setup reused the account\'s provider: it is read here, not managed.', body: [{ name: 'url', value: provider.url }] };
  }
  return {
    type: 'resource',
    labels: ['aws_iam_openid_connect_provider', TF_NAMES.oidcProvider],
    comment: `${commentText(provider.why)}.\nNo thumbprint_list: IAM checks this issuer's certificate itself (setup creates it the same way).\nAn account holds one provider per issuer: where it has one already, import it (terraform import) or read it with a data source.`,
    body: [
      { name: 'url', value: provider.url },
      { name: 'client_id_list', value: provider.audiences },
      { name: 'tags', value: tags(provider.tags) },
    ],
  };
}

function bucketBlocks(model: ExportModel): HclBlock[] {
  if (!model.bucket.owned) return [];
  const bucket = raw(`aws_s3_bucket.${TF_NAMES.bucket}.id`);
  return [
    { type: 'resource', labels: ['aws_s3_bucket', TF_NAMES.bucket], comment: 'Where your revisions are uploaded; private and encrypted by default, as setup creates it.', body: [{ name: 'bucket', value: raw(`var.${TF_VARIABLES.bucket}`) }, { name: 'tags', value: tags(model.bucket.tags) }] },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_public_access_block', TF_NAMES.bucket],
      body: [
        { name: 'bucket', value: bucket },
        { name: 'block_public_acls', value: true },
        { name: 'ignore_public_acls', value: true },
        { name: 'block_public_policy', value: true },
        { name: 'restrict_public_buckets', value: true },
      ],
    },
    {
      type: 'resource',
      labels: ['aws_s3_bucket_server_side_encryption_configuration', TF_NAMES.bucket],
      body: [{ name: 'bucket', value: bucket }, { type: 'rule', body: [{ type: 'apply_server_side_encryption_by_default', body: [{ name: 'sse_algorithm', value: 'AES256' }] }] }],
    },
  ];
}

function groupBlock(model: ExportModel): HclBlock {
  const { spec, filters } = model.deploymentGroup;
  const serviceRole = model.roles.find((role) => role.key === 'serviceRole');
  const filter = (one: (typeof filters)[number][number]): HclBlock => ({
    type: 'ec2_tag_filter',
    body: [...(one.key === undefined ? [] : [{ name: 'key', value: one.key }]), { name: 'type', value: one.type }, ...(one.value === undefined ? [] : [{ name: 'value', value: one.value }])],
  });
  const targets: HclEntry[] =
    filters.length === 1
      ? [{ comment: 'One tag group: an instance with any of these tags is selected.' }, ...(filters[0] ?? []).map(filter)]
      : filters.length > 1
        ? [{ comment: 'Several tag groups: an instance needs a tag of every group.' }, ...filters.map((group): HclBlock => ({ type: 'ec2_tag_set', body: group.map(filter) }))]
        : [];
  return {
    type: 'resource',
    labels: ['aws_codedeploy_deployment_group', TF_NAMES.deploymentGroup],
    comment: 'Selects the instances and rolls out with the deployment configuration, as setup creates it.',
    body: [
      { name: 'app_name', value: raw(model.application.owned ? `aws_codedeploy_app.${TF_NAMES.application}.name` : `var.${TF_VARIABLES.app}`) },
      { name: 'deployment_group_name', value: raw(`var.${TF_VARIABLES.group}`) },
      { name: 'service_role_arn', value: raw(`${serviceRole?.owned === false ? 'data.aws_iam_role' : 'aws_iam_role'}.${TF_NAMES.serviceRole}.arn`) },
      { name: 'deployment_config_name', value: spec.deploymentConfig },
      ...(spec.autoScalingGroups ? [{ name: 'autoscaling_groups', value: spec.autoScalingGroups }] : []),
      { name: 'tags', value: tags(model.deploymentGroup.tags) },
      ...targets,
      { type: 'auto_rollback_configuration', body: [{ name: 'enabled', value: spec.autoRollback }, { name: 'events', value: spec.autoRollback ? ['DEPLOYMENT_FAILURE'] : [] }] },
      { type: 'deployment_style', body: [{ name: 'deployment_type', value: 'IN_PLACE' }, { name: 'deployment_option', value: spec.targetGroupName ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL' }] },
      ...(spec.targetGroupName ? [{ type: 'load_balancer_info', body: [{ type: 'target_group_info', body: [{ name: 'name', value: spec.targetGroupName }] }] }] : []),
    ],
  };
}

/** The AWS provider: 5.0 for everything, 5.81 for an OIDC provider without thumbprint_list (optional from then on). */
const providerVersion = (model: ExportModel) => (model.oidcProvider?.owned ? '>= 5.81' : '>= 5.0');

export function renderTerraform(model: ExportModel): string {
  const header = [
    `CodeDeploy on EC2 for ${model.answers.app}/${model.answers.group}, exported by cd-wizard from setup's own plan:`,
    'the same trust conditions, least-privilege policies, tags and group settings setup creates.',
    ...(!model.deploymentGroup.owned ? [`Deployment group ${model.answers.group} was reused by setup and is not in this file.`] : []),
    ...model.notes,
  ].join('\n');
  const instanceRole = model.roles.find((role) => role.key === 'instanceRole');
  const blocks: Array<HclBlock | { comment: string }> = [
    { comment: header },
    { type: 'terraform', body: [{ type: 'required_providers', body: [{ name: 'aws', value: { source: 'hashicorp/aws', version: providerVersion(model) } }] }] },
    { type: 'provider', labels: ['aws'], body: [{ name: 'region', value: raw(`var.${TF_VARIABLES.region}`) }] },
    ...variables(model),
    { type: 'data', labels: ['aws_partition', 'current'], body: [] },
    { type: 'data', labels: ['aws_caller_identity', 'current'], body: [] },
    ...(model.oidcProvider ? [oidcProviderBlock(model.oidcProvider)] : []),
    ...model.roles.flatMap(roleBlocks),
  ];
  if (model.instanceProfile.owned) {
    blocks.push({
      type: 'resource',
      labels: ['aws_iam_instance_profile', TF_NAMES.instanceProfile],
      comment: 'Hands the instance role to EC2 instances.',
      body: [
        { name: 'name', value: raw(`var.${TF_VARIABLES.instanceProfile}`) },
        { name: 'role', value: raw(`${instanceRole?.owned === false ? 'data.aws_iam_role' : 'aws_iam_role'}.${TF_NAMES.instanceRole}.name`) },
        { name: 'tags', value: tags(model.instanceProfile.tags) },
      ],
    });
  }
  blocks.push(...bucketBlocks(model));
  if (model.application.owned) {
    blocks.push({ type: 'resource', labels: ['aws_codedeploy_app', TF_NAMES.application], body: [{ name: 'name', value: raw(`var.${TF_VARIABLES.app}`) }, { name: 'compute_platform', value: 'Server' }, { name: 'tags', value: tags(model.application.tags) }] });
  }
  if (model.deploymentGroup.owned) blocks.push(groupBlock(model));
  return writeHcl(blocks);
}
