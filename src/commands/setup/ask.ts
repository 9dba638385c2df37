import type { AwsPorts, CallerIdentity, Ec2Instance, IamInstanceProfile } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import type { Choice, Prompter } from '../../prompt/prompter.js';
import { DEFAULTS, defaultTargetTag, type DraftAnswers } from './answers.js';
import type { PlanStep, SetupPlan } from './plan.js';
import { MANAGED_BY_TAG, servicePrincipal } from './policies.js';
import { explainDeploymentConfig, instanceTable, instancesMatching, parseTagList, tagMatchNote } from './targets.js';
import {
  DEPLOYMENT_CONFIGS,
  LIMITS,
  checkBucketName,
  checkCodeDeployName,
  checkInstanceProfileName,
  checkRoleName,
  checkTag,
  checkTargetGroup,
  type DeploymentConfig,
} from './validate.js';

/**
 * The "ask" part of validate → ask → execute. setup.ts calls a SetupAsker; the interactive one is built
 * from any SetupPrompter (src/prompt/inquirer-prompter.ts on a terminal; tests answer by question id), and
 * asks ONLY what the flags and the answers file left open, in the order of the issue: who and where, names,
 * roles, instance profile, bucket, targets, rollout. Every question has a default and one line of help.
 * Execute never prompts.
 */

export type { Choice } from '../../prompt/prompter.js';

/** The questions a prompter must be able to ask. `id` is stable: tests and the UI key on it, not on text. */
export type SetupPrompter = Prompter<QuestionId>;

export interface AskContext {
  aws: AwsPorts;
  region: string;
  /** Where the region came from (--region, AWS_REGION, the profile …), for "who and where". */
  regionSource?: string;
  /** Where the credentials come from, in words ("profile dev", "AWS_ACCESS_KEY_ID in the environment"). */
  credentials?: string;
  /** Terminal width, for the instance table. Default 100. */
  columns?: number;
  /** A default application name (the folder's name). */
  suggestedApp?: string;
}

/** What setup.ts needs from the user beyond the flags. */
export interface SetupAsker {
  /** Returns the draft with missing answers filled in (the non-interactive asker returns it unchanged). */
  askAnswers(draft: DraftAnswers, context: AskContext): Promise<DraftAnswers>;
  /** "Apply these N changes?" — default No. */
  confirmPlan(plan: SetupPlan): Promise<boolean>;
  /** The separate yes for replacing instances' existing profiles — default No. */
  confirmReplaceProfiles(steps: PlanStep[]): Promise<boolean>;
}

/** The user answered "no" to working in this account and region: setup stops before asking anything else. */
export class SetupDeclined extends Error {
  constructor(readonly hint: string) {
    super('Cancelled: nothing was changed.');
    this.name = 'SetupDeclined';
  }
}

/** Asks nothing; setup then fails naming the flags still missing (see completeAnswers). */
export const nonInteractiveAsker: SetupAsker = {
  askAnswers: async (draft) => draft,
  confirmPlan: async () => false,
  confirmReplaceProfiles: async () => false,
};

/** Question ids and their copy, in one place. Messages that carry numbers or names are completed where asked. */
export const QUESTIONS = {
  whereAmI: { message: 'Set up CodeDeploy in this account and region?', help: 'No stops here; use --profile (or AWS_PROFILE) and --region to work elsewhere.' },
  appPick: { message: 'CodeDeploy application', help: 'An application holds your deployment groups and revisions; pick one or create one.' },
  app: { message: 'Name of the new application', help: 'Letters, digits and . _ + = , @ - (up to 100); usually the name of the service.' },
  groupPick: { message: 'Deployment group', help: 'Which instances get a revision, and how; an existing group is updated to these answers.' },
  group: { message: 'Name of the new deployment group', help: 'Usually the environment: production, staging, …' },
  serviceRole: { message: 'Service role (the role CodeDeploy acts with)', help: 'It gets the AWS managed policy AWSCodeDeployRole. Roles listed trust codedeploy.amazonaws.com.' },
  serviceRoleName: { message: 'Name of the new service role', help: 'Letters, digits and + = , . @ _ - (up to 64).' },
  instanceRole: { message: 'Instance role (the role the agent on the instances uses)', help: 'It reads revisions from your bucket. Roles listed trust ec2.amazonaws.com.' },
  instanceRoleName: { message: 'Name of the new instance role', help: 'Letters, digits and + = , . @ _ - (up to 64).' },
  instanceProfilePick: { message: 'Instance profile (hands the instance role to the instances)', help: 'An instance carries one instance profile, and the profile holds the role.' },
  instanceProfile: { message: 'Name of the new instance profile', help: 'Letters, digits and + = , . @ _ - (up to 128).' },
  bucket: { message: 'S3 bucket your revisions are uploaded to (name only)', help: 'It scopes the instance policy: the instances may read this bucket only (and the agent\'s).' },
  ssm: { message: 'Also attach AmazonSSMManagedInstanceCore to the instance role?', help: 'Lets Systems Manager reach the instances, to install and update the agent without SSH.' },
  instances: { message: 'Instances to deploy to', help: 'Space picks, Enter confirms. Picked ones get the instance profile and the tag.' },
  asg: { message: 'Auto Scaling groups to deploy to', help: 'Space picks, Enter confirms. New instances in a group get the current revision.' },
  useTags: { message: 'Also deploy to instances that carry a tag?', help: 'No: the deployment group targets the Auto Scaling groups only.' },
  tags: { message: 'Instance tag (KEY=VALUE)', help: 'Space-separated tags form one group: ANY matches (OR). Several groups must ALL match (AND).' },
  moreTags: { message: 'Add another tag group?', help: 'Several tag groups: an instance must match EVERY group (AND). Up to 3.' },
  deploymentConfig: { message: 'How should a deployment roll out?', help: 'Move through the choices to see what each means for your instances.' },
  rollback: { message: 'Roll back automatically when a deployment fails?', help: 'CodeDeploy then redeploys the last revision that succeeded.' },
  useTargetGroup: { message: 'Take instances out of a load balancer target group while deploying?', help: 'Only with an ALB or NLB in front of the instances; without one, answer no.' },
  targetGroup: { message: 'Target group ARN (or name)', help: 'arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID' },
  confirmPlan: { message: 'Apply these changes?', help: 'Nothing has been changed yet; no leaves AWS as it is.' },
  confirmReplace: { message: 'Replace the instance profile of these instances?', help: 'Each loses the permissions of its current profile. No: they keep it; setup skips them.' },
} as const satisfies Record<string, { message: string; help: string }>;

export type QuestionId = keyof typeof QUESTIONS;

const NEW = '\u0000new';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A question's copy by id, with an optional message of its own (numbers, names). */
const q = <Id extends QuestionId>(id: Id, message?: string) => ({ id, message: message ?? QUESTIONS[id].message, help: QUESTIONS[id].help });

/** A name CodeDeploy accepts, from a folder name ("My Service!" → "My-Service"); undefined when nothing is left. */
export function suggestName(text: string): string | undefined {
  const name = text.replace(/[^A-Za-z0-9._+=,@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return name === '' ? undefined : name;
}

/** A bucket name that follows S3's rules, from the application and account. */
function suggestBucket(app: string, account: string): string | undefined {
  const name = `${app.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-revisions-${account}`.replace(/-+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return checkBucketName(name) === undefined ? name : undefined;
}

/** An asker that asks, through `prompter`, every question the draft leaves open. */
export function createInteractiveAsker(prompter: SetupPrompter): SetupAsker {
  return {
    async askAnswers(draft, context) {
      const { aws } = context;
      const out: DraftAnswers = { ...draft };

      // Who and where, first: credentials that do not work fail here, before any question.
      const identity = await aws.identity.whoAmI();
      await askWhereAmI(prompter, identity, context);

      if (out.app === undefined) out.app = await askApp(prompter, aws, context.suggestedApp);
      const app = out.app;
      if (out.group === undefined) out.group = await askGroup(prompter, aws, app);

      if (out.serviceRole === undefined) out.serviceRole = await askRole(prompter, aws, identity, 'codedeploy', out.instanceRole);
      if (out.instanceRole === undefined) out.instanceRole = await askRole(prompter, aws, identity, 'ec2', out.serviceRole);
      if (out.instanceProfile === undefined) out.instanceProfile = await askInstanceProfile(prompter, aws, out.instanceRole);

      if (out.bucket === undefined) {
        const fallback = suggestBucket(app, identity.account);
        out.bucket = await prompter.input({ ...q('bucket'), ...(fallback === undefined ? {} : { default: fallback }), validate: checkBucketName });
      }
      if (out.ssm === undefined) out.ssm = await prompter.confirm({ ...q('ssm'), default: DEFAULTS.ssm });

      const hasTargets = (out.instances?.length ?? 0) + (out.asg?.length ?? 0) + (out.tagGroups?.length ?? 0) > 0;
      let targetCount = 0;
      if (!hasTargets) {
        const targets = await askTargets(prompter, aws, { app, group: out.group, columns: context.columns ?? 100 });
        out.instances = targets.instances;
        out.asg = targets.asg;
        out.tagGroups = targets.tagGroups;
        targetCount = targets.count;
      } else {
        targetCount = await countTargets(aws, out);
      }

      if (out.deploymentConfig === undefined) {
        out.deploymentConfig = await prompter.select<DeploymentConfig>({
          ...q('deploymentConfig'),
          choices: DEPLOYMENT_CONFIGS.map((config) => ({
            label: config.replace('CodeDeployDefault.', ''),
            value: config,
            hint: CONFIG_HINTS[config],
            description: explainDeploymentConfig(config, targetCount),
          })),
          default: DEFAULTS.deploymentConfig,
        });
      }
      if (out.rollback === undefined) out.rollback = await prompter.confirm({ ...q('rollback'), default: DEFAULTS.rollback });
      if (out.targetGroup === undefined && (await prompter.confirm({ ...q('useTargetGroup'), default: false }))) {
        out.targetGroup = await prompter.input({ ...q('targetGroup'), validate: checkTargetGroup });
      }
      return out;
    },

    confirmPlan: (plan) => {
      const changes = plan.steps.filter((step) => step.calls.length > 0).length;
      return prompter.confirm({ ...q('confirmPlan', `Apply these ${plural(changes, 'change')}?`), default: false });
    },

    confirmReplaceProfiles: (steps) => {
      const details = steps.flatMap((step) =>
        step.op.type === 'replace-profile' ? [`${step.op.instanceId}${labelOf(step)}: loses ${step.op.currentProfile}, gets ${step.op.profileName}`] : [],
      );
      return prompter.confirm({ ...q('confirmReplace', `Replace the instance profile of ${plural(details.length, 'instance')}?`), details, default: false });
    },
  };
}

/** " (web-1)" from a step summary that names the instance that way; empty otherwise. */
function labelOf(step: PlanStep): string {
  const name = /\(([^)]+)\)$/.exec(step.summary)?.[1];
  return name === undefined ? '' : ` (${name})`;
}

const CONFIG_HINTS: Record<DeploymentConfig, string> = {
  'CodeDeployDefault.OneAtATime': 'safest, slowest',
  'CodeDeployDefault.HalfAtATime': 'half the fleet at a time',
  'CodeDeployDefault.AllAtOnce': 'fastest, with downtime',
};

async function askWhereAmI(prompter: SetupPrompter, identity: CallerIdentity, context: AskContext): Promise<void> {
  const details = [
    `Account  ${identity.account}`,
    `Caller   ${identity.arn}`,
    `Profile  ${context.credentials ?? 'default'}`,
    `Region   ${context.region}${context.regionSource === undefined ? '' : ` (from ${context.regionSource})`}`,
  ];
  const message = `Set up CodeDeploy in account ${identity.account}, region ${context.region}?`;
  if (!(await prompter.confirm({ ...q('whereAmI', message), details, default: true }))) {
    throw new SetupDeclined('Choose the account with --profile (or AWS_PROFILE) and the region with --region, then run cd-wizard setup again.');
  }
}

/** Pick one of the existing names, or choose "new" and type one; straight to typing when there are none. */
async function pickOrNew(
  prompter: SetupPrompter,
  pick: { id: QuestionId; choices: Array<Choice<string>>; newLabel: string; default?: string },
  input: Parameters<SetupPrompter['input']>[0],
): Promise<string> {
  const { newLabel, choices, id, default: fallback } = pick;
  const picked =
    choices.length > 0
      ? await prompter.select({ ...q(id), choices: [...choices, { label: newLabel, value: NEW }], default: fallback ?? choices[0]?.value ?? NEW })
      : NEW;
  return picked === NEW ? prompter.input(input) : picked;
}

async function askApp(prompter: SetupPrompter, aws: AwsPorts, suggested: string | undefined): Promise<string> {
  const existing = await aws.codeDeploy.listApplications().catch(() => [] as string[]);
  return pickOrNew(
    prompter,
    { id: 'appPick', choices: existing.map((name) => ({ label: name, value: name, hint: 'existing' })), newLabel: 'Create a new application' },
    { ...q('app'), ...(suggested === undefined ? {} : { default: suggested }), validate: (v) => checkCodeDeployName('Application name', v) },
  );
}

async function askGroup(prompter: SetupPrompter, aws: AwsPorts, app: string): Promise<string> {
  const existing = await aws.codeDeploy.listDeploymentGroups(app).catch(() => [] as string[]);
  return pickOrNew(
    prompter,
    { id: 'groupPick', choices: existing.map((name) => ({ label: name, value: name, hint: 'existing; updated to these answers' })), newLabel: 'Create a new deployment group' },
    { ...q('group'), default: 'production', validate: (v) => checkCodeDeployName('Deployment group name', v) },
  );
}

/**
 * The service role (codedeploy) or the instance role (ec2): create the default, reuse a role that already
 * trusts the service, or create one with another name. `other` is the other role's name (they must differ).
 */
async function askRole(prompter: SetupPrompter, aws: AwsPorts, identity: CallerIdentity, service: 'codedeploy' | 'ec2', other: string | undefined): Promise<string> {
  const [fallback, pickId, nameId, principal] =
    service === 'codedeploy'
      ? ([DEFAULTS.serviceRole, 'serviceRole', 'serviceRoleName', servicePrincipal('codedeploy', identity.partition)] as const)
      : ([DEFAULTS.instanceRole, 'instanceRole', 'instanceRoleName', servicePrincipal('ec2', identity.partition)] as const);
  const roles = (await aws.iam.listRolesTrusting(principal).catch(() => [])).filter((role) => role.name !== other);
  const names = roles.map((role) => role.name);
  const choices: Array<Choice<string>> = [
    ...(names.includes(fallback) || fallback === other ? [] : [{ label: `Create ${fallback}`, value: fallback, short: `${fallback} (new)`, hint: 'recommended' }]),
    ...roles.map((role) => ({
      label: `Reuse ${role.name}`,
      value: role.name,
      short: role.name,
      hint: role.tags.ManagedBy === MANAGED_BY_TAG.ManagedBy ? 'created by cd-wizard' : `trusts ${principal}`,
    })),
  ];
  const differs = (name: string) => (name === other ? `The service role and the instance role need different names; ${name} is taken by the other role.` : undefined);
  return pickOrNew(
    prompter,
    { id: pickId, choices, newLabel: 'Create a role with another name', default: fallback },
    { ...q(nameId), default: fallback === other ? '' : fallback, validate: (v) => checkRoleName(v) ?? differs(v) },
  );
}

/**
 * The instance profile: reuse CodeDeployInstanceProfile or a profile named after the instance role (the
 * console's habit) when it holds that role, holds none, or is cd-wizard's; otherwise create one.
 */
async function askInstanceProfile(prompter: SetupPrompter, aws: AwsPorts, instanceRole: string): Promise<string> {
  const candidates = [...new Set([DEFAULTS.instanceProfile, instanceRole])];
  const found = (await Promise.all(candidates.map((name) => aws.iam.getInstanceProfile(name).catch(() => undefined)))).filter(
    (profile): profile is IamInstanceProfile => profile !== undefined,
  );
  const usable = found.filter(
    (profile) => profile.roles.length === 0 || profile.roles.some((role) => role.name === instanceRole) || profile.tags.ManagedBy === MANAGED_BY_TAG.ManagedBy,
  );
  const holds = (profile: IamInstanceProfile) => (profile.roles.length === 0 ? 'holds no role yet' : `holds ${profile.roles.map((role) => role.name).join(', ')}`);
  const names = usable.map((profile) => profile.name);
  const choices: Array<Choice<string>> = [
    ...usable.map((profile) => ({ label: `Reuse ${profile.name}`, value: profile.name, short: profile.name, hint: holds(profile) })),
    ...(names.includes(DEFAULTS.instanceProfile) ? [] : [{ label: `Create ${DEFAULTS.instanceProfile}`, value: DEFAULTS.instanceProfile, short: `${DEFAULTS.instanceProfile} (new)`, hint: 'recommended' }]),
  ];
  const taken = found.filter((profile) => !names.includes(profile.name)).map((profile) => profile.name);
  return pickOrNew(
    prompter,
    { id: 'instanceProfilePick', choices, newLabel: 'Create an instance profile with another name', default: names.find((name) => name === instanceRole) ?? names[0] ?? DEFAULTS.instanceProfile },
    {
      ...q('instanceProfile'),
      ...(taken.includes(DEFAULTS.instanceProfile) ? {} : { default: DEFAULTS.instanceProfile }),
      validate: (v) => checkInstanceProfileName(v) ?? (taken.includes(v) ? `Instance profile ${v} exists and holds another role; give a new name.` : undefined),
    },
  );
}

interface Targets {
  instances: string[];
  asg: string[];
  tagGroups: TargetTag[][];
  /** Instances the deployment group will reach: picked, matching the tags, in the groups. */
  count: number;
}

/** Instances from the table and/or Auto Scaling groups, then the tag groups with a live count of what they match. */
async function askTargets(prompter: SetupPrompter, aws: AwsPorts, where: { app: string; group: string; columns: number }): Promise<Targets> {
  const [listed, groups] = await Promise.all([aws.ec2.listInstances().catch(() => [] as Ec2Instance[]), aws.autoScaling.listGroups().catch(() => [])]);

  let instances: string[] = [];
  if (listed.length > 0) {
    // The labels sit after the checkbox (3 columns) and leave a margin.
    const table = instanceTable(listed, Math.max(40, where.columns - 5));
    instances = await prompter.multiSelect({
      ...q('instances'),
      header: table.header,
      choices: listed.map((instance, i) => ({ label: table.rows[i] ?? instance.id, value: instance.id, short: instance.name ? `${instance.id} (${instance.name})` : instance.id })),
      default: [],
    });
  }

  let asg: string[] = [];
  if (groups.length > 0) {
    asg = await prompter.multiSelect({
      ...q('asg'),
      choices: groups.map((group) => ({ label: group.name, value: group.name, hint: plural(group.instanceIds.length, 'instance') })),
      default: [],
      validate: (values) => (values.length > LIMITS.autoScalingGroups ? `A deployment group takes at most ${LIMITS.autoScalingGroups} Auto Scaling groups.` : undefined),
    });
  }

  // A tag is needed to find picked instances, or when nothing else is picked; with groups only, it is optional.
  const tagGroups: TargetTag[][] = [];
  const wantTags = instances.length > 0 || asg.length === 0 || (await prompter.confirm({ ...q('useTags'), default: false }));
  while (wantTags && tagGroups.length < LIMITS.tagGroups) {
    const before = [...tagGroups];
    const first = before.length === 0;
    const fallback = first && instances.length > 0 ? defaultTargetTag(where.app, where.group) : undefined;
    const text = await prompter.input({
      ...q('tags', first ? undefined : `Instance tag, group ${before.length + 1} (KEY=VALUE; instances must also match it)`),
      ...(fallback === undefined ? {} : { default: `${fallback.key}=${fallback.value ?? ''}` }),
      validate: (value) => {
        const tags = parseTagList(value);
        if (tags.length === 0) return 'Give at least one tag, e.g. Env=production.';
        if (tags.length > LIMITS.tagsPerGroup) return `A tag group has at most ${LIMITS.tagsPerGroup} tags.`;
        return tags.map(checkTag).find((problem) => problem !== undefined);
      },
      note: (value) => tagMatchNote(listed, [...before, parseTagList(value)], instances),
    });
    tagGroups.push(parseTagList(text));
    if (tagGroups.length >= LIMITS.tagGroups || !(await prompter.confirm({ ...q('moreTags'), default: false }))) break;
  }

  const reached = new Set([...instances, ...instancesMatching(listed, tagGroups), ...groups.filter((group) => asg.includes(group.name)).flatMap((group) => group.instanceIds)]);
  return { instances, asg, tagGroups, count: reached.size };
}

/** Targets given as flags or in the answers file: how many instances they reach now, for the rollout help. */
async function countTargets(aws: AwsPorts, draft: DraftAnswers): Promise<number> {
  const [listed, groups] = await Promise.all([
    (draft.tagGroups?.length ?? 0) > 0 ? aws.ec2.listInstances().catch(() => [] as Ec2Instance[]) : Promise.resolve([] as Ec2Instance[]),
    (draft.asg?.length ?? 0) > 0 ? aws.autoScaling.describeGroups(draft.asg ?? []).catch(() => ({ found: [], missing: [] })) : Promise.resolve({ found: [], missing: [] }),
  ]);
  return new Set([...(draft.instances ?? []), ...instancesMatching(listed, draft.tagGroups ?? []), ...groups.found.flatMap((group) => group.instanceIds)]).size;
}
