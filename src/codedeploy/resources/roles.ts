import { nameOfArn, partitionOfArn } from '../../aws/arn.js';
import type { AwsPorts, IamRole, SimulationResult } from '../../aws/ports/index.js';
import type { PolicyDocument } from '../../aws/types.js';
import { describeStatement, samePolicy, sameStatement, type PolicySpec } from '../documents.js';
import { CODEDEPLOY_ROLE_POLICY, MANAGED_BY_TAG, codeDeployRolePolicyArn, roleArn } from '../names.js';
import { namedStep, step, reuseStep, type ResourceKey, type RoleKey, type Step } from '../steps.js';
import { outsidePrincipals, repairedTrust, trustVerdict, wantedTrust, type TrustContext, type TrustedService } from '../trust.js';
import type { CheckVerdict, Remedy } from '../verdict.js';
import { reuseStatus } from '../state.js';

/**
 * The two IAM roles: the service role CodeDeploy acts with and the instance role the agent uses. Observed once,
 * judged by the trust rules of trust.ts, and made right by the same steps in setup's plan and in fix's remedies.
 */

export interface ObservedRole {
  role: IamRole;
  attached: string[];
  /** The inline policies cd-wizard manages, by name (undefined = absent). */
  inline: Record<string, PolicyDocument | undefined>;
}

export async function observeRole(ports: AwsPorts, name: string, inlineNames: readonly string[]): Promise<ObservedRole | undefined> {
  const role = await ports.iam.getRole(name);
  if (!role) return undefined;
  const [attached, ...inline] = await Promise.all([ports.iam.listAttachedPolicies(name), ...inlineNames.map((policy) => ports.iam.getInlinePolicy(name, policy))]);
  return { role, attached, inline: Object.fromEntries(inlineNames.map((policy, i) => [policy, inline[i]])) };
}

const ROLE_WORDS: Record<RoleKey, { label: string; service: TrustedService; description: string; word: string }> = {
  serviceRole: {
    label: 'service role',
    service: 'codedeploy',
    word: 'CodeDeploy',
    description: 'CodeDeploy service role (cd-wizard): lets CodeDeploy read instances and manage Auto Scaling hooks.',
  },
  instanceRole: {
    label: 'instance role',
    service: 'ec2',
    word: 'EC2',
    description: 'EC2 instance role for the CodeDeploy agent (cd-wizard): reads revisions from S3.',
  },
};

const STEP_IDS: Record<RoleKey, string> = { serviceRole: 'service-role', instanceRole: 'instance-role' };

/** The step that makes a role's trust right: ours gets exactly the wanted document, someone else's gets our statement added. */
export function trustRepairStep(key: RoleKey, role: IamRole, wanted: PolicyDocument, owned: boolean, reason: string): Step {
  const words = ROLE_WORDS[key];
  const document = repairedTrust(role.trust, wanted, owned);
  return step({
    id: STEP_IDS[key],
    kind: 'update',
    resource: key,
    summary: `Repair the trust policy of ${words.label} ${role.name}`,
    title: `Repairing the trust policy of ${role.name}`,
    doneTitle: `Repaired the trust policy of ${role.name}`,
    reason,
    calls: ['iam:UpdateAssumeRolePolicy'],
    documents: [{ name: 'trust policy', why: owned ? 'Replaced by the trust cd-wizard wants.' : `Our statement is added; the role's own statements are kept.`, document }],
    op: { type: 'update-trust', role: key, name: role.name, arn: role.arn, trust: document },
  });
}

export interface RolePlan {
  step: Step;
  /** Why setup cannot use the role at all (nothing is changed while there is one). */
  problem?: { message: string; hint: string };
}

/**
 * Setup: create the role, reuse it, or repair its trust. `owned`: cd-wizard made it (answers file and tag agree),
 * so its trust must be exactly ours; someone else's role only has to let the service in, and a role a principal
 * outside the account can assume is never given CodeDeploy's permissions.
 */
export function planRole(key: RoleKey, name: string, observed: ObservedRole | undefined, ctx: TrustContext, owned: boolean): RolePlan {
  const words = ROLE_WORDS[key];
  const wanted = wantedTrust(words.service, ctx);
  if (!observed) {
    return {
      step: namedStep('create', words.label, name, {
        id: STEP_IDS[key],
        resource: key,
        calls: ['iam:CreateRole'],
        documents: [wanted],
        op: { type: 'create-role', role: key, name, trust: wanted.document, description: words.description, tags: { ...MANAGED_BY_TAG } },
      }),
    };
  }
  const role = observed.role;
  const outside = owned ? [] : outsidePrincipals(role.trust, ctx.account);
  const problem =
    outside.length > 0
      ? {
          message: `Role ${name} can be assumed by ${outside.join(', ')}, outside account ${ctx.account}; cd-wizard will not give it ${words.word}'s permissions.`,
          hint: `Let setup create a role of its own: --${key === 'serviceRole' ? 'service-role' : 'instance-role'} ${key === 'serviceRole' ? 'CodeDeployServiceRole' : 'CodeDeployInstanceRole'} (or another new name).`,
        }
      : undefined;
  const record = { [key]: { name, arn: role.arn, status: reuseStatus(owned) } };
  if (owned) {
    if (samePolicy(role.trust, wanted.document)) return { step: reuseStep(STEP_IDS[key], key, words.label, name, record, 'created by cd-wizard') };
    const now = role.trust === undefined ? 'its trust policy cannot be read' : `its trust policy was changed outside cd-wizard (now: ${role.trust.Statement.map(describeStatement).join('; ') || 'no statements'})`;
    return { step: trustRepairStep(key, role, wanted.document, true, now) };
  }
  const verdict = trustVerdict(role.trust, words.service, ctx);
  if (verdict.allows) return { step: reuseStep(STEP_IDS[key], key, words.label, name, record, `exists; ${verdict.detail}`), ...(problem ? { problem } : {}) };
  const now = role.trust === undefined ? 'unreadable' : role.trust.Statement.map(describeStatement).join('; ') || 'no statements';
  const repair = trustRepairStep(key, role, wanted.document, false, `cd-wizard did not create this role: ${verdict.detail} (now: ${now}); our statement is added, its own are kept`);
  return { step: { ...repair, confirm: 'foreign' }, ...(problem ? { problem } : {}) };
}

const FOREIGN_NOTE = 'cd-wizard did not create this role';

/** Attaches an AWS managed policy unless the role has it. On a role cd-wizard did not create, it needs its own yes. */
export function managedPolicyStep(id: string, key: RoleKey, roleName: string, observed: ObservedRole | undefined, policyArn: string, why: string, foreign = false): Step | undefined {
  if (observed?.attached.includes(policyArn)) return undefined;
  const short = policyArn.split('/').pop() ?? policyArn;
  const attached = observed ? ` (attached now: ${observed.attached.map((arn) => arn.split('/').pop()).join(', ') || 'none'})` : '';
  return step({
    id,
    kind: 'attach',
    resource: key,
    summary: `Attach ${short} to ${roleName}`,
    title: `Attaching ${short} to ${roleName}`,
    doneTitle: `Attached ${short} to ${roleName}`,
    reason: foreign ? `${FOREIGN_NOTE}${attached}: ${why}` : observed ? `missing from the role: ${why}` : why,
    calls: ['iam:AttachRolePolicy'],
    ...(foreign ? { confirm: 'foreign' as const } : {}),
    op: { type: 'attach-policy', roleName, policyArn },
  });
}

/**
 * Our statements (by Sid) replaced by what we want, every other statement of the document kept: a statement someone
 * added by hand to a cd-wizard policy survives a repair. Undefined when the document already holds what we want.
 */
export function repairedPolicy(current: PolicyDocument | undefined, wanted: PolicyDocument): PolicyDocument | undefined {
  if (!current) return wanted;
  const ours = new Set(wanted.Statement.map((statement) => statement.Sid).filter((sid): sid is string => sid !== undefined));
  const kept = current.Statement.filter((statement) => statement.Sid === undefined || !ours.has(statement.Sid));
  const missing = wanted.Statement.some((statement) => !current.Statement.some((existing) => sameStatement(existing, statement)));
  const changedOurs = current.Statement.some((statement) => statement.Sid !== undefined && ours.has(statement.Sid) && !wanted.Statement.some((w) => sameStatement(w, statement)));
  if (!missing && !changedOurs) return undefined;
  return { Version: wanted.Version, Statement: [...wanted.Statement, ...kept] };
}

/**
 * Writes an inline policy unless the role holds what we want. Statements added by hand are kept; on a role cd-wizard
 * did not create, adding the policy needs its own yes.
 */
export function inlinePolicyStep(id: string, key: ResourceKey, roleName: string, observed: ObservedRole | undefined, policy: PolicySpec, foreign = false): Step | undefined {
  const current = observed?.inline[policy.name];
  const document = repairedPolicy(current, policy.document);
  if (document === undefined) return undefined;
  const update = current !== undefined;
  const kept = document.Statement.length - policy.document.Statement.length;
  const why = update
    ? `it differs from what setup wants (now: ${current.Statement.map(describeStatement).join('; ') || 'no statements'})${kept > 0 ? `; ${kept} statement${kept === 1 ? '' : 's'} added by hand ${kept === 1 ? 'is' : 'are'} kept` : ''}`
    : undefined;
  const reason = [foreign ? FOREIGN_NOTE : undefined, why].filter((part) => part !== undefined).join(': ');
  return step({
    id,
    kind: update ? 'update' : 'create',
    resource: key,
    summary: `${update ? 'Repair' : 'Add'} inline policy ${policy.name} on ${roleName}`,
    title: `${update ? 'Repairing' : 'Adding'} inline policy ${policy.name}`,
    doneTitle: `${update ? 'Repaired' : 'Added'} inline policy ${policy.name}`,
    ...(reason === '' ? {} : { reason }),
    calls: ['iam:PutRolePolicy'],
    documents: [{ ...policy, document }],
    ...(foreign ? { confirm: 'foreign' as const } : {}),
    op: { type: 'put-inline-policy', roleName, policyName: policy.name, document },
  });
}

/* ---------- fix's checks of the service role a deployment group names ---------- */

/** What AWSCodeDeployRole grants that an in-place EC2 deployment cannot do without. */
export const ESSENTIAL_SERVICE_ACTIONS = ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'tag:GetResources', 'autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeAutoScalingGroups'];

/**
 * Fix: does the service role the group names exist? When it was deleted, the remedy makes it again as setup would
 * (CodeDeploy's trust and AWSCodeDeployRole) under the same name, so the group's ARN is right again without touching
 * the group. Only for a role at the root path in the group's own account: CreateRole here makes no other ARN.
 */
export function serviceRoleExistsVerdict(role: IamRole | undefined, arn: string, ctx?: TrustContext): CheckVerdict {
  if (arn === '') return { status: 'problem', detail: 'The deployment group has no service role.', cause: 'service-role-missing', guide: 'service-role-missing' };
  if (!role) {
    const remedy = ctx ? recreateServiceRole(arn, ctx) : undefined;
    return { status: 'problem', detail: `Role ${nameOfArn(arn)} (${arn}) does not exist.`, cause: 'service-role-missing', guide: 'service-role-missing', remedies: remedy ? [remedy] : [] };
  }
  if (role.arn !== '' && role.arn !== arn) {
    return { status: 'problem', detail: `The group names ${arn}, but the role ${role.name} is ${role.arn}.`, cause: 'service-role-missing', guide: 'service-role-missing' };
  }
  return { status: 'ok', detail: `${role.arn || arn} exists.` };
}

function recreateServiceRole(arn: string, ctx: TrustContext): Remedy | undefined {
  const name = nameOfArn(arn);
  if (arn !== roleArn(ctx.partition, ctx.account, name)) return undefined;
  const create = planRole('serviceRole', name, undefined, ctx, true).step;
  const attach = managedPolicyStep('service-role-policy', 'serviceRole', name, undefined, codeDeployRolePolicyArn(ctx.partition), 'the AWS managed policy CodeDeploy needs to read instances, use load balancers and install Auto Scaling hooks');
  if (!create || !attach) return undefined;
  return {
    title: `Create service role ${name} again (CodeDeploy's trust, ${CODEDEPLOY_ROLE_POLICY})`,
    steps: [create, attach],
    recheck: ['service-role', 'service-role-trust', 'service-role-policy'],
    after: 'Start a new deployment: the failed one does not retry by itself (a new role can take a minute to reach CodeDeploy).',
  };
}

/** Fix: can CodeDeploy assume the group's service role? The remedy is setup's repair step. */
export function serviceRoleTrustVerdict(role: IamRole, ctx: TrustContext, owned: boolean): CheckVerdict {
  const verdict = trustVerdict(role.trust, 'codedeploy', ctx);
  if (verdict.allows) return { status: 'ok', detail: `${role.name}: ${verdict.detail}.` };
  const wanted = wantedTrust('codedeploy', ctx).document;
  const repair = trustRepairStep('serviceRole', role, wanted, owned, verdict.detail);
  const remedy: Remedy = {
    title: `Let CodeDeploy assume ${role.name} (trust policy)`,
    steps: [owned ? repair : { ...repair, confirm: 'foreign' }],
    recheck: ['service-role-trust'],
  };
  return { status: 'problem', detail: `${role.name}: ${verdict.detail}.`, cause: 'service-role-trust', guide: 'service-role-trust', remedies: verdict.reason === 'denied' ? [] : [remedy] };
}

/** Fix: does the service role have AWSCodeDeployRole, or policies that allow what it grants? */
export function serviceRolePolicyVerdict(role: IamRole, attached: readonly string[], simulated: readonly SimulationResult[] | undefined, owned = false): CheckVerdict {
  const managed = attached.find((arn) => arn.endsWith(`:policy/service-role/${CODEDEPLOY_ROLE_POLICY}`));
  if (managed) return { status: 'ok', detail: `${role.name} has ${managed}.` };
  const denied = (simulated ?? []).filter((result) => result.decision !== 'allowed').map((result) => result.action);
  if (simulated && denied.length === 0) return { status: 'ok', detail: `${role.name} has no ${CODEDEPLOY_ROLE_POLICY}, but its policies allow what it grants (${ESSENTIAL_SERVICE_ACTIONS.join(', ')}).` };
  const arn = codeDeployRolePolicyArn(partitionOfArn(role.arn));
  const attach = managedPolicyStep('service-role-policy', 'serviceRole', role.name, undefined, arn, 'the AWS managed policy CodeDeploy needs to read instances, use load balancers and install Auto Scaling hooks', !owned);
  return {
    status: 'problem',
    detail: `${role.name} has no ${CODEDEPLOY_ROLE_POLICY}${attached.length > 0 ? ` (attached: ${attached.map(nameOfArn).join(', ')})` : ' (no managed policies)'}${denied.length > 0 ? `; not allowed: ${denied.join(', ')}` : ''}.`,
    cause: 'service-role-permissions',
    guide: 'service-role-permissions',
    remedies: attach ? [{ title: `Attach ${CODEDEPLOY_ROLE_POLICY} to ${role.name}`, steps: [attach], recheck: ['service-role-policy'] }] : [],
  };
}

