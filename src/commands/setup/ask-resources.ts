import { nameOfArn } from '../../aws/arn.js';
import type { AwsPorts, CallerIdentity, CodeDeployDeploymentGroup, IamInstanceProfile } from '../../aws/ports/index.js';
import { DEFAULTS } from '../../codedeploy/answers.js';
import { deploymentGroupArn, isManagedByCdWizard } from '../../codedeploy/names.js';
import { describeTagGroups } from '../../codedeploy/tags.js';
import { servicePrincipal, trustVerdict, type TrustedService } from '../../codedeploy/trust.js';
import { checkBucketName, checkCodeDeployName, checkInstanceProfileName, checkRoleName } from '../../codedeploy/validate.js';
import type { Choice } from '../../prompt/prompter.js';
import { NEW, q, type QuestionId, type SetupPrompter } from './questions.js';

/** The questions that pick or name a resource: application, group, roles, instance profile, bucket. */

/** Pick one of the existing names, or choose "new" and type one; straight to typing when there are none. */
async function pickOrNew(
  prompter: SetupPrompter,
  pick: { id: QuestionId; choices: Array<Choice<string>>; newLabel: string; default?: string },
  input: Parameters<SetupPrompter['input']>[0],
): Promise<string> {
  const { newLabel, choices, id, default: fallback } = pick;
  const known = fallback !== undefined && choices.some((choice) => choice.value === fallback);
  const picked =
    choices.length > 0
      ? await prompter.select({ ...q(id), choices: [...choices, { label: newLabel, value: NEW }], default: known ? fallback : (choices[0]?.value ?? NEW) })
      : NEW;
  return picked === NEW ? prompter.input(input) : picked;
}

export async function askApp(prompter: SetupPrompter, aws: AwsPorts, suggested: string | undefined): Promise<string> {
  const existing = await aws.codeDeploy.listApplications().catch(() => [] as string[]);
  return pickOrNew(
    prompter,
    { id: 'appPick', choices: existing.map((name) => ({ label: name, value: name, hint: 'existing' })), newLabel: 'Create a new application', ...(suggested === undefined ? {} : { default: suggested }) },
    { ...q('app'), ...(suggested === undefined ? {} : { default: suggested }), validate: (v) => checkCodeDeployName('Application name', v) },
  );
}

export interface GroupChoice {
  name: string;
  existing?: CodeDeployDeploymentGroup;
  /** What keeping the existing group's settings keeps, one line each (shown with the question). */
  keptDetails?: string[];
}

/** The settings of an existing group, as the "keep them?" question lists them. */
export function keptSettings(group: CodeDeployDeploymentGroup): string[] {
  const rollback = group.autoRollback.enabled && group.autoRollback.events.includes('DEPLOYMENT_FAILURE');
  return [
    `Service role        ${nameOfArn(group.serviceRoleArn) || '(none)'}`,
    `Deployment config   ${group.deploymentConfig}`,
    `Rollback            ${rollback ? 'on failure' : 'off'}`,
    `Load balancing      ${group.targetGroupNames.length > 0 ? `target group ${group.targetGroupNames.join(', ')}` : 'off'}`,
    `Targets now         ${describeTagGroups(group.tagGroups)}${group.autoScalingGroups.length > 0 ? `; Auto Scaling ${group.autoScalingGroups.join(', ')}` : ''}`,
    'Alarms and triggers are never touched.',
  ];
}

export async function askGroup(prompter: SetupPrompter, aws: AwsPorts, app: string, saved: string | undefined): Promise<GroupChoice> {
  const existing = await aws.codeDeploy.listDeploymentGroups(app).catch(() => [] as string[]);
  const name = await pickOrNew(
    prompter,
    { id: 'groupPick', choices: existing.map((group) => ({ label: group, value: group, hint: 'existing; keeps the settings you do not change' })), newLabel: 'Create a new deployment group', ...(saved === undefined ? {} : { default: saved }) },
    { ...q('group'), default: saved ?? 'production', validate: (v) => checkCodeDeployName('Deployment group name', v) },
  );
  if (!existing.includes(name)) return { name };
  const group = await aws.codeDeploy.getDeploymentGroup(app, name).catch(() => undefined);
  return group ? { name, existing: group, keptDetails: keptSettings(group) } : { name };
}

/**
 * The service role (codedeploy) or the instance role (ec2): create the default, reuse a role the service may assume
 * (judged by the one trust rule), or create one with another name. `other` is the other role's name (they must differ).
 */
export async function askRole(
  prompter: SetupPrompter,
  aws: AwsPorts,
  identity: CallerIdentity,
  where: { service: TrustedService; region: string; app: string; group: string },
  other: string | undefined,
  saved: string | undefined,
): Promise<string> {
  const [fallback, pickId, nameId] = where.service === 'codedeploy' ? ([DEFAULTS.serviceRole, 'serviceRole', 'serviceRoleName'] as const) : ([DEFAULTS.instanceRole, 'instanceRole', 'instanceRoleName'] as const);
  const principal = servicePrincipal(where.service, identity.partition);
  const context = { partition: identity.partition, account: identity.account, region: where.region, sourceArn: deploymentGroupArn({ partition: identity.partition, region: where.region, account: identity.account }, where.app, where.group) };
  const roles = (await aws.iam.listRoles().catch(() => [])).filter((role) => role.name !== other && trustVerdict(role.trust, where.service, context).allows);
  const names = roles.map((role) => role.name);
  const choices: Array<Choice<string>> = [
    ...(names.includes(fallback) || fallback === other ? [] : [{ label: `Create ${fallback}`, value: fallback, short: `${fallback} (new)`, hint: 'recommended' }]),
    ...roles.map((role) => ({ label: `Reuse ${role.name}`, value: role.name, short: role.name, hint: isManagedByCdWizard(role.tags) ? 'created by cd-wizard' : `trusts ${principal}` })),
  ];
  const differs = (name: string) => (name === other ? `The service role and the instance role need different names; ${name} is taken by the other role.` : undefined);
  return pickOrNew(
    prompter,
    { id: pickId, choices, newLabel: 'Create a role with another name', default: saved ?? fallback },
    { ...q(nameId), default: saved ?? (fallback === other ? '' : fallback), validate: (v) => checkRoleName(v) ?? differs(v) },
  );
}

/**
 * The instance profile: reuse CodeDeployInstanceProfile or a profile named after the instance role (the console's
 * habit) when it holds that role, holds none, or is cd-wizard's; otherwise create one.
 */
export async function askInstanceProfile(prompter: SetupPrompter, aws: AwsPorts, instanceRole: string, saved: string | undefined): Promise<string> {
  const candidates = [...new Set([DEFAULTS.instanceProfile, instanceRole, ...(saved === undefined ? [] : [saved])])];
  const found = (await Promise.all(candidates.map((name) => aws.iam.getInstanceProfile(name).catch(() => undefined)))).filter(
    (profile): profile is IamInstanceProfile => profile !== undefined,
  );
  const usable = found.filter((profile) => profile.roles.length === 0 || profile.roles.some((role) => role.name === instanceRole) || isManagedByCdWizard(profile.tags));
  const holds = (profile: IamInstanceProfile) => (profile.roles.length === 0 ? 'holds no role yet' : `holds ${profile.roles.map((role) => role.name).join(', ')}`);
  const names = usable.map((profile) => profile.name);
  const choices: Array<Choice<string>> = [
    ...usable.map((profile) => ({ label: `Reuse ${profile.name}`, value: profile.name, short: profile.name, hint: holds(profile) })),
    ...(names.includes(DEFAULTS.instanceProfile) ? [] : [{ label: `Create ${DEFAULTS.instanceProfile}`, value: DEFAULTS.instanceProfile, short: `${DEFAULTS.instanceProfile} (new)`, hint: 'recommended' }]),
  ];
  const taken = found.filter((profile) => !names.includes(profile.name)).map((profile) => profile.name);
  return pickOrNew(
    prompter,
    { id: 'instanceProfilePick', choices, newLabel: 'Create an instance profile with another name', default: saved ?? names.find((name) => name === instanceRole) ?? names[0] ?? DEFAULTS.instanceProfile },
    {
      ...q('instanceProfile'),
      ...(taken.includes(DEFAULTS.instanceProfile) ? {} : { default: DEFAULTS.instanceProfile }),
      validate: (v) => checkInstanceProfileName(v) ?? (taken.includes(v) ? `Instance profile ${v} exists and holds another role; give a new name.` : undefined),
    },
  );
}

/** A bucket name that follows S3's rules, from the application and account. */
function suggestBucket(app: string, account: string): string | undefined {
  const name = `${app.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-revisions-${account}`.replace(/-+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return checkBucketName(name) === undefined ? name : undefined;
}

/** The revision bucket: one of the account's buckets, or a new name (setup creates it, private and encrypted). */
export async function askBucket(prompter: SetupPrompter, aws: AwsPorts, where: { app: string; account: string; region: string; saved?: string }): Promise<string> {
  const existing = (await aws.s3.listBuckets().catch(() => [] as string[])).filter((name) => !name.startsWith('aws-codedeploy-') && checkBucketName(name) === undefined);
  const fallback = where.saved ?? suggestBucket(where.app, where.account);
  return pickOrNew(
    prompter,
    { id: 'bucketPick', choices: existing.slice(0, 50).map((name) => ({ label: name, value: name, hint: 'existing' })), newLabel: 'A new bucket (setup creates it)', ...(where.saved === undefined ? {} : { default: where.saved }) },
    { ...q('bucket'), ...(fallback === undefined ? {} : { default: fallback }), validate: checkBucketName },
  );
}
