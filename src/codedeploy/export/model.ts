import type { AutoScalingGroupInfo, DeploymentGroupSpec } from '../../aws/ports/index.js';
import type { PolicyDocument } from '../../aws/types.js';
import { DEFAULTS, type GroupSettings, type SetupAnswers } from '../answers.js';
import type { PolicySpec } from '../documents.js';
import { GITHUB_OIDC, oidcProviderArn } from '../names.js';
import { computePlan, type SetupPlan } from '../plan.js';
import { type Observation } from '../observe.js';
import { madeByUs, recordsOf, type RecordKey, type SetupState } from '../state.js';
import type { Step } from '../steps.js';
import { tagFilterType, type TagFilterType } from '../tags.js';

/**
 * What `cd-wizard export` writes, taken from setup's own plan: setup's plan for an account where nothing exists yet,
 * computed with placeholders (tokens) for everything account-specific. The trust policies, permission documents with
 * their reasons, managed policies, tags and the deployment group's spec are therefore exactly what setup would create;
 * each renderer (CloudFormation, Terraform) only turns tokens into its own parameters and references. What the answers
 * file records as reused becomes a reference instead of a resource. With GitHub Actions, the OIDC provider and the
 * deploy role come from the same plan: the role's trust names the provider through a token (`oidcProvider` for the
 * provider the file creates, `reusedOidcProvider` for the one setup found), which each renderer turns into a reference.
 */

export type TokenName =
  | 'partition'
  | 'account'
  | 'region'
  | 'urlSuffix'
  | 'bucket'
  | 'app'
  | 'group'
  | 'serviceRole'
  | 'instanceRole'
  | 'instanceProfile'
  | 'deployRole'
  | 'oidcProvider'
  | 'reusedOidcProvider';

const TOKEN = /\{\{cdw:([a-zA-Z]+)\}\}/g;

export const token = (name: TokenName): string => `{{cdw:${name}}}`;

/** A string as literal text and tokens, in order (renderers turn each part into their syntax). */
export function splitTokens(text: string): Array<string | { token: TokenName }> {
  const parts: Array<string | { token: TokenName }> = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ token: match[1] as TokenName });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export const hasTokens = (text: string): boolean => text.includes('{{cdw:');

/** A service principal as setup writes it in the aws partition → the partition's own DNS suffix (amazonaws.com.cn in China). */
function withDnsSuffix<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/^(ec2|codedeploy)\.amazonaws\.com$/, `$1.${token('urlSuffix')}`) as T;
  if (Array.isArray(value)) return value.map(withDnsSuffix) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withDnsSuffix(inner)])) as T;
  return value;
}

const spec = (policy: PolicySpec): PolicySpec => ({ ...policy, document: withDnsSuffix(policy.document) });

/** `value` with every string equal to `from` replaced by `to`. */
function replacing<T>(value: T, from: string, to: string): T {
  if (value === from) return to as T;
  if (Array.isArray(value)) return value.map((inner: unknown) => replacing(inner, from, to)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replacing(inner, from, to)])) as T;
  return value;
}

export type RoleKey = 'serviceRole' | 'instanceRole' | 'deployRole';

export interface ManagedPolicyModel {
  arn: string;
  why: string;
}

export interface RoleModel {
  key: RoleKey;
  /** Created here (setup creates it); false: a reference to the role setup reused. */
  owned: boolean;
  /** The answer: the default of the name parameter. */
  name: string;
  description: string;
  trust: PolicySpec;
  managed: ManagedPolicyModel[];
  inline: PolicySpec[];
  tags: Record<string, string>;
}

export interface TagFilterModel {
  type: TagFilterType;
  key?: string;
  value?: string;
}

/** GitHub's OIDC identity provider, as setup creates it (the deploy role is one of `roles`). */
export interface OidcProviderModel {
  /** Created here; false: setup reused the account's own, a reference here. */
  owned: boolean;
  url: string;
  audiences: string[];
  tags: Record<string, string>;
  /** Why it exists (setup's plan says it). */
  why: string;
  /** The ARN the answers file records for a reused provider. */
  arn?: string;
}

export interface ExportModel {
  answers: SetupAnswers;
  settings: GroupSettings;
  roles: RoleModel[];
  /** Only when the answers name a GitHub repository. */
  oidcProvider?: OidcProviderModel;
  instanceProfile: { owned: boolean; name: string; tags: Record<string, string> };
  bucket: { owned: boolean; name: string; tags: Record<string, string> };
  application: { owned: boolean; name: string; tags: Record<string, string> };
  /** spec.serviceRoleArn and the names are tokens. */
  deploymentGroup: { owned: boolean; spec: DeploymentGroupSpec; filters: TagFilterModel[][]; tags: Record<string, string> };
  /** What setup does that infrastructure code does not (instances it attaches the profile to and tags). */
  notes: string[];
}

export interface ExportInput {
  answers: SetupAnswers;
  /** The answers file's record: what setup reused (referenced, not created). */
  state?: SetupState;
  /** The Auto Scaling groups of the answers as AWS describes them (whether they launch from a template). */
  autoScalingGroups?: readonly AutoScalingGroupInfo[];
}

/** An account where nothing exists yet, in token form: setup's plan for it creates every piece. */
function emptyAccount(answers: SetupAnswers, groups: readonly AutoScalingGroupInfo[]): Observation {
  return {
    identity: { account: token('account'), partition: token('partition'), arn: '' },
    serviceRoleName: answers.serviceRole ?? DEFAULTS.serviceRole,
    instances: [],
    missingInstances: [],
    associations: [],
    autoScalingGroups: [...groups],
    missingAutoScalingGroups: [],
    launches: {},
    bucket: { status: 'missing' },
    tagMatches: [],
    deploymentConfigExists: true,
    applicationTags: {},
    deploymentGroupTags: {},
  };
}

function filterOf(tag: { key: string; value?: string }): TagFilterModel {
  const type = tagFilterType(tag);
  return { type, ...(type === 'VALUE_ONLY' ? {} : { key: tag.key }), ...(type === 'KEY_ONLY' ? {} : { value: tag.value ?? '' }) };
}

const ops = <T extends Step['op']['type']>(steps: readonly Step[], type: T) => steps.flatMap((one) => (one.op.type === type ? [{ step: one, op: one.op as Extract<Step['op'], { type: T }> }] : []));

const reused = (state: SetupState | undefined, key: RecordKey) => state?.[key] !== undefined && !madeByUs(state[key]);

/** The provider's ARN as the plan writes it into the deploy role's trust (token form). */
const PLANNED_PROVIDER_ARN = oidcProviderArn(token('partition'), token('account'), GITHUB_OIDC.host);

function roleModels(plan: SetupPlan, state: SetupState | undefined, names: Record<RoleKey, string>, providerToken: string): RoleModel[] {
  return ops(plan.steps, 'create-role').map(({ step, op }) => ({
    key: op.role,
    owned: !reused(state, op.role),
    name: names[op.role],
    description: op.description,
    // The deploy role trusts the provider: a reference to it, not its ARN spelled out.
    trust: spec({ name: 'trust policy', why: step.documents[0]?.why ?? '', document: replacing(op.trust, PLANNED_PROVIDER_ARN, providerToken) }),
    managed: ops(plan.steps, 'attach-policy')
      .filter(({ op: attach }) => attach.roleName === token(op.role))
      .map(({ step: attached, op: attach }) => ({ arn: attach.policyArn, why: attached.reason ?? '' })),
    inline: ops(plan.steps, 'put-inline-policy')
      .filter(({ op: put }) => put.roleName === token(op.role))
      .map(({ step: put, op: policy }) => spec(put.documents[0] ?? { name: policy.policyName, why: '', document: policy.document })),
    tags: op.tags,
  }));
}

function oidcProviderModel(plan: SetupPlan, state: SetupState | undefined): OidcProviderModel | undefined {
  const made = ops(plan.steps, 'create-oidc-provider')[0];
  if (!made) return undefined;
  const recorded = state?.oidcProvider;
  const owned = !reused(state, 'oidcProvider');
  return { owned, url: made.op.url, audiences: made.op.audiences, tags: made.op.tags, why: made.step.reason ?? '', ...(!owned && recorded?.arn !== undefined ? { arn: recorded.arn } : {}) };
}

export function exportModel(input: ExportInput): ExportModel {
  const { answers, state } = input;
  const github = answers.githubRepo !== undefined && answers.deployRole !== undefined;
  const tokenized: SetupAnswers = {
    ...answers,
    ...(github ? { deployRole: token('deployRole') } : {}),
    region: token('region'),
    app: token('app'),
    group: token('group'),
    bucket: token('bucket'),
    serviceRole: token('serviceRole'),
    instanceRole: token('instanceRole'),
    instanceProfile: token('instanceProfile'),
    instances: [],
  };
  const observation = emptyAccount(tokenized, (input.autoScalingGroups ?? []).filter((group) => answers.asg.includes(group.name)));
  observation.serviceRoleName = token('serviceRole');
  const plan = computePlan(tokenized, observation);
  const names: Record<RoleKey, string> = { serviceRole: answers.serviceRole ?? DEFAULTS.serviceRole, instanceRole: answers.instanceRole, deployRole: answers.deployRole ?? '' };
  const oidcProvider = oidcProviderModel(plan, state);
  const roles = roleModels(plan, state, names, token(oidcProvider?.owned === false ? 'reusedOidcProvider' : 'oidcProvider'));
  const profile = ops(plan.steps, 'create-instance-profile')[0]?.op;
  const bucket = ops(plan.steps, 'create-bucket')[0]?.op;
  const application = ops(plan.steps, 'create-application')[0]?.op;
  const group = ops(plan.steps, 'create-deployment-group')[0]?.op;
  if (!profile || !bucket || !application || !group) throw new Error('setup plans every resource for an empty account');
  const groups = group.spec.tagGroups ?? [];
  return {
    answers,
    settings: plan.settings,
    roles,
    ...(oidcProvider ? { oidcProvider } : {}),
    instanceProfile: { owned: !reused(state, 'instanceProfile'), name: answers.instanceProfile, tags: profile.tags },
    // Setup records a bucket only when it creates it: once setup has run, no record means it found the bucket.
    bucket: { owned: state?.bucket ? madeByUs(state.bucket) : recordsOf(state ?? {}).length === 0, name: answers.bucket, tags: bucket.tags },
    application: { owned: !reused(state, 'application'), name: answers.app, tags: application.tags },
    deploymentGroup: { owned: !reused(state, 'deploymentGroup'), spec: group.spec, filters: groups.map((one) => one.map(filterOf)), tags: group.tags },
    notes: instanceNotes(answers),
  };
}

function instanceNotes(answers: SetupAnswers): string[] {
  const notes: string[] = [];
  if (answers.instances.length > 0) {
    notes.push(`Setup also attaches the instance profile to ${answers.instances.join(', ')} and tags them so the group selects them; instances are not in this file (set IamInstanceProfile and the tags where you define them).`);
  }
  if (answers.asg.length > 0) notes.push(`The launch template of ${answers.asg.join(', ')} must set the instance profile; CodeDeploy installs its launch hook on ${answers.asg.length === 1 ? 'it' : 'them'} when the group is created.`);
  return notes;
}

/** Every document of the model, for the "no `*` action" check. */
export function documentsOf(model: ExportModel): PolicyDocument[] {
  return model.roles.flatMap((role) => [role.trust.document, ...role.inline.map((policy) => policy.document)]);
}
