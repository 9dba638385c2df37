import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { AutoScalingGroupInfo } from '../../../src/aws/ports/index.js';
import type { PolicyDocument } from '../../../src/aws/types.js';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { actionsOf, canonicalPolicy } from '../../../src/codedeploy/documents.js';
import { renderCloudFormation } from '../../../src/codedeploy/export/cloudformation.js';
import { hclString } from '../../../src/codedeploy/export/hcl.js';
import { exportModel } from '../../../src/codedeploy/export/model.js';
import { renderTerraform } from '../../../src/codedeploy/export/terraform.js';
import { GITHUB_OIDC } from '../../../src/codedeploy/names.js';
import { githubDeployPolicy } from '../../../src/codedeploy/permissions.js';
import { computePlan } from '../../../src/codedeploy/plan.js';
import { type Observation } from '../../../src/codedeploy/observe.js';
import type { SetupState } from '../../../src/codedeploy/state.js';
import { githubDeployTrust } from '../../../src/codedeploy/trust.js';
import { ACCOUNT, emptyObservation, setupAnswers } from '../../helpers/fixtures.js';
import { cfnProblems, createdByCfn, resolveCfn, type CfnTemplate } from './export-cfn-helpers.js';
import { createdByPlan, type Created, type Where } from './export-helpers.js';
import { createdByTerraform, parseTerraform, resolveTerraform } from './export-tf-helpers.js';

const AWS: Where = { account: ACCOUNT, partition: 'aws', region: 'eu-west-1', urlSuffix: 'amazonaws.com' };
const CHINA: Where = { account: ACCOUNT, partition: 'aws-cn', region: 'cn-north-1', urlSuffix: 'amazonaws.com.cn' };

/** An account where nothing of setup's exists: setup's plan then creates every piece. */
function emptyAccount(where: Where, serviceRole: string, groups: AutoScalingGroupInfo[] = []): Observation {
  return {
    ...emptyObservation(where.partition),
    identity: { account: where.account, partition: where.partition, arn: `arn:${where.partition}:sts::${where.account}:assumed-role/Admin/alice` },
    serviceRoleName: serviceRole,
    instances: [],
    autoScalingGroups: groups,
    bucket: { status: 'missing' },
  };
}

/** Documents as their canonical form (order of statements and lists, one-item lists): structure, not text. */
function comparable(created: Created) {
  const docs = (record: Record<string, PolicyDocument>) => Object.fromEntries(Object.entries(record).map(([name, doc]) => [name, JSON.parse(canonicalPolicy(doc)) as unknown]));
  return {
    ...created,
    roles: Object.fromEntries(Object.entries(created.roles).map(([name, role]) => [name, { ...role, trust: JSON.parse(canonicalPolicy(role.trust)) as unknown, inline: docs(role.inline), managed: [...role.managed].sort() }])),
    policiesOnReusedRoles: Object.fromEntries(Object.entries(created.policiesOnReusedRoles).map(([name, record]) => [name, docs(record)])),
  };
}

interface Case {
  name: string;
  answers: SetupAnswers;
  groups?: AutoScalingGroupInfo[];
  state?: SetupState;
  reusedRoles?: string[];
  where?: Where;
}

const CASES: Case[] = [
  { name: 'the defaults: one tag, instances named', answers: setupAnswers() },
  {
    name: 'two tag groups (AND) with key-only and value-only filters, an Auto Scaling group with a launch template, a target group, no rollback, SSM',
    answers: setupAnswers({
      tagGroups: [[{ key: 'Env', value: 'prod' }, { key: 'Role' }], [{ key: '', value: 'web' }]],
      asg: ['web-asg'],
      targetGroup: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef',
      rollback: false,
      deploymentConfig: 'CodeDeployDefault.HalfAtATime',
      ssm: true,
    }),
    groups: [{ name: 'web-asg', usesLaunchTemplate: true, launchTemplateName: 'web-lt', instanceIds: [] }],
  },
  { name: 'the China partition (amazonaws.com.cn principals)', answers: setupAnswers({ region: 'cn-north-1' }), where: CHINA },
  {
    name: 'roles, bucket and application setup reused are references, not resources',
    answers: setupAnswers({ serviceRole: 'TheirServiceRole', instanceRole: 'TheirInstanceRole' }),
    state: {
      serviceRole: { name: 'TheirServiceRole', status: 'reused' },
      instanceRole: { name: 'TheirInstanceRole', status: 'reused' },
      bucket: { name: 'my-revisions', status: 'reused' },
      application: { name: 'web', status: 'reused' },
    },
    reusedRoles: ['TheirServiceRole', 'TheirInstanceRole'],
  },
  {
    name: 'GitHub Actions from a branch: the OIDC provider, and the deploy role with its trust and policy',
    answers: setupAnswers({ githubRepo: 'my-org/shop', githubBranch: 'main', deployRole: 'cd-wizard-deploy-web' }),
  },
  {
    name: 'GitHub Actions from an environment, the provider and the deploy role setup reused: references, and the policy alone',
    answers: setupAnswers({ githubRepo: 'my-org/shop', githubEnvironment: 'production', deployRole: 'TheirDeployer' }),
    state: {
      oidcProvider: { name: GITHUB_OIDC.host, arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB_OIDC.host}`, status: 'reused' },
      deployRole: { name: 'TheirDeployer', status: 'reused' },
      bucket: { name: 'my-revisions', status: 'created' },
    },
    reusedRoles: ['TheirDeployer'],
  },
];

const BRANCH = CASES[4] as Case;
const REUSED_PROVIDER = CASES[5] as Case;

/** What setup's plan creates, less what the answers file says it reused. */
function expected(one: Case): Created {
  const where = one.where ?? AWS;
  const plan = computePlan({ ...one.answers, instances: [] }, emptyAccount(where, one.answers.serviceRole ?? 'CodeDeployServiceRole', one.groups ?? []));
  const created = createdByPlan(plan, one.reusedRoles ?? []);
  if (one.state?.bucket?.status === 'reused') delete created.bucket;
  if (one.state?.application?.status === 'reused') delete created.application;
  if (one.state?.oidcProvider?.status === 'reused') delete created.oidcProvider;
  return created;
}

const model = (one: Case) => exportModel({ answers: one.answers, ...(one.state ? { state: one.state } : {}), ...(one.groups ? { autoScalingGroups: one.groups } : {}) });

describe('export --format cloudformation equals what setup creates', () => {
  it.each(CASES)('$name', (one) => {
    const text = renderCloudFormation(model(one));
    const template = parseYaml(text) as CfnTemplate;
    expect(cfnProblems(template)).toEqual([]);
    const created = createdByCfn(resolveCfn(template, one.where ?? AWS));
    expect(comparable(created)).toEqual(comparable(expected(one)));
  });

  it('says why each permission exists, next to it', () => {
    const text = renderCloudFormation(model(CASES[1] as Case));
    expect(text).toContain('# Lets CodeDeploy assume the role only for deployment groups of account ${AWS::AccountId} (aws:SourceAccount and aws:SourceArn block the confused-deputy problem).\n      AssumeRolePolicyDocument:');
    expect(text).toContain('# Lets the agent download revisions from ${RevisionBucketName} and its own installer and updates from aws-codedeploy-${AWS::Region}; read-only, nothing else.\n        - PolicyName: cd-wizard-revision-read');
    expect(text).toContain('# An Auto Scaling group with a launch template: CodeDeploy launches instances from it, tags them as they launch and passes them the instance role.');
    expect(text).toContain('AmazonSSMManagedInstanceCore: lets Systems Manager install and update the agent (--ssm)');
  });

  it('names are parameters with the answers as defaults; reused ones say so', () => {
    const template = parseYaml(renderCloudFormation(model(CASES[3] as Case))) as CfnTemplate & { Parameters: Record<string, { Default: string; Description: string }> };
    expect(template.Parameters.ServiceRoleName).toMatchObject({ Type: 'String', Default: 'TheirServiceRole', Description: 'Service role CodeDeploy acts with (exists already: setup reused it; this template does not create it)' });
    expect(Object.values(template.Resources).map((resource) => resource.Type).sort()).toEqual([
      'AWS::CodeDeploy::DeploymentGroup',
      'AWS::IAM::InstanceProfile',
      'AWS::IAM::RolePolicy',
    ]);
  });

  it('a bucket setup found (setup ran, and recorded no bucket) is a parameter, not a resource', () => {
    const found = parseYaml(renderCloudFormation(exportModel({ answers: setupAnswers(), state: { application: { name: 'web', status: 'created' } } }))) as CfnTemplate;
    expect(Object.values(found.Resources).map((resource) => resource.Type)).not.toContain('AWS::S3::Bucket');
    const fresh = parseYaml(renderCloudFormation(exportModel({ answers: setupAnswers() }))) as CfnTemplate;
    expect(Object.values(fresh.Resources).map((resource) => resource.Type)).toContain('AWS::S3::Bucket');
  });

  it('has no `*` action anywhere, and quotes what YAML 1.1 would read as a date', () => {
    const text = renderCloudFormation(model(CASES[1] as Case));
    const template = parseYaml(text) as CfnTemplate;
    const documents = JSON.stringify(template.Resources).match(/"Action":(\[[^\]]*\]|"[^"]*")/g) ?? [];
    expect(documents.length).toBeGreaterThan(3);
    expect(documents.join(' ')).not.toMatch(/"\*"|:\*"/);
    expect(text).toContain('AWSTemplateFormatVersion: "2010-09-09"');
  });
});

describe('export --format terraform equals what setup creates', () => {
  it.each(CASES)('$name', async (one) => {
    const hcl = await parseTerraform(renderTerraform(model(one)));
    const created = createdByTerraform(resolveTerraform(hcl, one.where ?? AWS));
    expect(comparable(created)).toEqual(comparable(expected(one)));
  });

  it('is HCL that HashiCorp\'s parser reads (and rejects when broken)', async () => {
    const text = renderTerraform(model(CASES[0] as Case));
    await expect(parseTerraform(text)).resolves.toHaveProperty('resource.aws_codedeploy_deployment_group');
    await expect(parseTerraform(text.replace(/\}\n$/, ''))).rejects.toThrow(/Unclosed configuration block/);
  });

  it('says why each permission exists, and reads reused roles as data sources', async () => {
    const text = renderTerraform(model(CASES[3] as Case));
    expect(text).toContain('# Lets the agent download revisions from ${var.revision_bucket} and its own installer and updates from aws-codedeploy-${var.region}; read-only, nothing else.\ndata "aws_iam_policy_document" "instance_revision_read"');
    const hcl = await parseTerraform(text);
    expect(Object.keys(hcl.data?.aws_iam_role ?? {}).sort()).toEqual(['instance', 'service']);
    expect(hcl.resource?.aws_iam_role).toBeUndefined();
    expect(text).toContain('It must have AWSCodeDeployRole attached');
  });
});

describe('export with GitHub Actions', () => {
  const documents = (text: string) => createdByCfn(resolveCfn(parseYaml(text) as CfnTemplate, AWS)).roles['cd-wizard-deploy-web'];
  const canonical = (document: PolicyDocument | undefined) => (document === undefined ? undefined : (JSON.parse(canonicalPolicy(document)) as unknown));

  it('the deploy role trusts and may do exactly what setup builds for it, in both formats', async () => {
    const trust = githubDeployTrust(AWS, { repo: 'my-org/shop', branch: 'main' }).document;
    const policy = githubDeployPolicy({ ...AWS, bucket: 'my-revisions', application: 'web', group: 'prod', deploymentConfig: 'CodeDeployDefault.OneAtATime' }).document;
    const fromCfn = documents(renderCloudFormation(model(BRANCH)));
    const fromTf = createdByTerraform(resolveTerraform(await parseTerraform(renderTerraform(model(BRANCH))), AWS)).roles['cd-wizard-deploy-web'];
    for (const role of [fromCfn, fromTf]) {
      expect(canonical(role?.trust)).toEqual(canonical(trust));
      expect(canonical(role?.inline['cd-wizard-deploy'])).toEqual(canonical(policy));
    }
    expect(fromCfn?.trust.Statement[0]?.Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:my-org/shop:ref:refs/heads/main' },
    });
  });

  it('the role names the provider by reference, so the provider exists before the role trusts it', async () => {
    const template = parseYaml(renderCloudFormation(model(BRANCH))) as CfnTemplate;
    expect(template.Resources.GithubOidcProvider).toEqual({
      Type: 'AWS::IAM::OIDCProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'], Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] },
    });
    expect(JSON.stringify(template.Resources.DeployRole)).toContain('"Federated":{"Ref":"GithubOidcProvider"}');
    const text = renderTerraform(model(BRANCH));
    expect(text).toContain('identifiers = [aws_iam_openid_connect_provider.github.arn]');
    // thumbprint_list is optional from AWS provider 5.81 on; setup creates the provider without one too.
    expect(text).toContain('version = ">= 5.81"');
    expect(text).not.toMatch(/^\s*thumbprint_list\s*=/m);
  });

  it('a provider setup reused is a parameter (CloudFormation) or a data source (Terraform), never a resource', async () => {
    const template = parseYaml(renderCloudFormation(model(REUSED_PROVIDER))) as CfnTemplate & { Parameters: Record<string, { Default?: string; Description: string }> };
    expect(Object.values(template.Resources).map((resource) => resource.Type)).not.toContain('AWS::IAM::OIDCProvider');
    expect(template.Parameters.GithubOidcProviderArn).toMatchObject({ Default: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` });
    expect(template.Resources.DeployRolePolicy1?.Type).toBe('AWS::IAM::RolePolicy');
    const hcl = await parseTerraform(renderTerraform(model(REUSED_PROVIDER)));
    expect(hcl.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(hcl.data?.aws_iam_openid_connect_provider?.github?.[0]).toEqual({ url: 'https://token.actions.githubusercontent.com' });
  });

  it('no longer says the GitHub pieces are left out', () => {
    for (const text of [renderCloudFormation(model(BRANCH)), renderTerraform(model(BRANCH))]) expect(text).not.toMatch(/GitHub.*not in this file/);
  });
});

describe('the HCL writer', () => {
  it('escapes what Terraform would read as templates or string ends', () => {
    expect(hclString('a "b" \\ ${x} %{y}\n')).toBe('a \\"b\\" \\\\ $${x} %%{y}\\n');
  });
});

describe('the export model', () => {
  it('holds no action with a wildcard, like setup', () => {
    const documents = model(CASES[1] as Case).roles.flatMap((role) => [role.trust.document, ...role.inline.map((policy) => policy.document)]);
    expect(documents.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
  });
});
