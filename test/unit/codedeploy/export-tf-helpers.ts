/**
 * Terraform configurations read back for the export tests: parsed with HashiCorp's parser, interpolations resolved
 * with an account's values, and turned into what they create.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import type { PolicyDocument, PolicyStatement } from '../../../src/aws/types.js';
import { fromFilter, oidcProviderArnOf, type Created, type Where } from './export-helpers.js';
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
    const provider = /^(data\.)?aws_iam_openid_connect_provider\.(\w+)\.arn$/.exec(text);
    if (provider) {
      const block = (provider[1] ? hcl.data : hcl.resource)?.aws_iam_openid_connect_provider?.[provider[2] ?? '']?.[0];
      if (!block) throw new Error(`\${${text}} names a provider the configuration does not define`);
      return oidcProviderArnOf(where, String(block.url));
    }
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
  const provider = first(Object.values(hcl.resource?.aws_iam_openid_connect_provider ?? {})[0]);
  if (provider.url !== undefined) created.oidcProvider = { url: String(provider.url), audiences: provider.client_id_list as string[], tags: (provider.tags as Record<string, string>) ?? {} };
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

