/**
 * Reading exported templates back into what setup's plan says, for the export tests: resolving CloudFormation's
 * intrinsic functions and Terraform's interpolations with an account's values (export-cfn-helpers.ts,
 * export-tf-helpers.ts), and the plan's own view of what it creates (here). Both sides end in the same shape, compared
 * structurally.
 */
import type { DeploymentGroupSpec } from '../../../src/aws/ports/index.js';
import type { PolicyDocument, TargetTag } from '../../../src/aws/types.js';
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
  oidcProvider?: { url: string; audiences: string[]; tags: Record<string, string> };
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
    if (op.type === 'create-oidc-provider') created.oidcProvider = { url: op.url, audiences: op.audiences, tags: op.tags };
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

/** An OIDC provider's ARN from its URL, as IAM makes it. */
export const oidcProviderArnOf = (where: Where, url: string): string => `arn:${where.partition}:iam::${where.account}:oidc-provider/${url.replace(/^https:\/\//, '')}`;

/** A deployment group's tag filter (CloudFormation's shape; Terraform's is mapped to it) as setup's TargetTag. */
export const fromFilter = (filter: { Key?: string; Value?: string; Type: string }): TargetTag =>
  filter.Type === 'KEY_ONLY' ? { key: filter.Key ?? '' } : filter.Type === 'VALUE_ONLY' ? { key: '', value: filter.Value ?? '' } : { key: filter.Key ?? '', value: filter.Value ?? '' };

