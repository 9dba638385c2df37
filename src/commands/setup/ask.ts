import type { Choice, Prompter } from '../../prompt/prompter.js';
import type { AwsPorts } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import { DEFAULTS, parseTag, type DraftAnswers } from './answers.js';
import type { PlanStep, SetupPlan } from './plan.js';
import { servicePrincipal } from './policies.js';
import {
  DEPLOYMENT_CONFIGS,
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
 * from any SetupPrompter (the ink/inquirer UI implements it; tests answer by question id), and asks ONLY
 * what the flags and the answers file left open. Execute never prompts.
 */

export type { Choice } from '../../prompt/prompter.js';

/** The questions a prompter must be able to ask. `id` is stable: tests and the UI key on it, not on text. */
export type SetupPrompter = Prompter<QuestionId>;

export interface AskContext {
  aws: AwsPorts;
  region: string;
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

/** Asks nothing; setup then fails naming the flags still missing (see completeAnswers). */
export const nonInteractiveAsker: SetupAsker = {
  askAnswers: async (draft) => draft,
  confirmPlan: async () => false,
  confirmReplaceProfiles: async () => false,
};

/** Question ids and their copy, in one place. */
export const QUESTIONS = {
  app: 'CodeDeploy application name',
  appPick: 'Which CodeDeploy application?',
  group: 'Deployment group name',
  groupPick: 'Which deployment group?',
  bucket: 'S3 bucket your revisions are uploaded to (name only)',
  targetKind: 'Which instances should the deployment group deploy to?',
  instances: 'Pick the instances',
  tags: 'Tags that select the instances, KEY=VALUE separated by spaces (any of them matches)',
  asg: 'Pick the Auto Scaling groups',
  serviceRole: 'CodeDeploy service role',
  serviceRoleName: 'Name of the new service role',
  instanceRole: 'EC2 instance role (used by the agent)',
  instanceRoleName: 'Name of the new instance role',
  instanceProfile: 'Instance profile name',
  deploymentConfig: 'How many instances at a time?',
  rollback: 'Roll back automatically when a deployment fails?',
  useTargetGroup: 'Send traffic through a load balancer target group during deployments?',
  targetGroup: 'Target group ARN',
  ssm: 'Also let Systems Manager manage the instances (to install the agent with SSM)?',
  confirmPlan: 'Apply these changes?',
  confirmReplace: 'Replace the existing instance profiles listed above? Those instances lose their current permissions',
} as const;

export type QuestionId = keyof typeof QUESTIONS;

const NEW = '\u0000new';

/** An asker that asks, through `prompter`, every question the draft leaves open. */
export function createInteractiveAsker(prompter: SetupPrompter): SetupAsker {
  return {
    async askAnswers(draft, { aws }) {
      const out: DraftAnswers = { ...draft };

      if (out.app === undefined) {
        const existing = await aws.codeDeploy.listApplications().catch(() => [] as string[]);
        out.app = await pickOrNew(
          prompter,
          { id: 'appPick', message: QUESTIONS.appPick, choices: existing.map((name) => ({ label: name, value: name })), newLabel: 'Create a new application' },
          { id: 'app', message: QUESTIONS.app, validate: (v) => checkCodeDeployName('Application name', v) },
        );
      }

      if (out.group === undefined) {
        const existing = await aws.codeDeploy.listDeploymentGroups(out.app).catch(() => [] as string[]);
        out.group = await pickOrNew(
          prompter,
          { id: 'groupPick', message: QUESTIONS.groupPick, choices: existing.map((name) => ({ label: name, value: name })), newLabel: 'Create a new deployment group' },
          { id: 'group', message: QUESTIONS.group, default: 'production', validate: (v) => checkCodeDeployName('Deployment group name', v) },
        );
      }

      if (out.bucket === undefined) out.bucket = await prompter.input({ id: 'bucket', message: QUESTIONS.bucket, validate: checkBucketName });

      const hasTargets = (out.instances?.length ?? 0) + (out.asg?.length ?? 0) + (out.tagGroups?.length ?? 0) > 0;
      if (!hasTargets) {
        const kind = await prompter.select<'instances' | 'tags' | 'asg'>({
          id: 'targetKind',
          message: QUESTIONS.targetKind,
          choices: [
            { label: 'Instances I pick now (cd-wizard tags them)', value: 'instances' },
            { label: 'Instances that carry a tag', value: 'tags' },
            { label: 'Auto Scaling groups', value: 'asg' },
          ],
        });
        if (kind === 'instances') {
          const instances = await aws.ec2.listInstances();
          out.instances = await prompter.multiSelect({
            id: 'instances',
            message: QUESTIONS.instances,
            choices: instances.map((instance) => ({
              label: `${instance.id}${instance.name ? `  ${instance.name}` : ''}`,
              value: instance.id,
              hint: [instance.state, instance.profileArn ? `profile ${instance.profileArn.split('/').pop()}` : 'no profile'].join(', '),
            })),
            validate: (values) => (values.length === 0 ? 'Pick at least one instance.' : undefined),
          });
        } else if (kind === 'tags') {
          const text = await prompter.input({
            id: 'tags',
            message: QUESTIONS.tags,
            validate: (value) => {
              const tags = splitTags(value);
              if (tags.length === 0) return 'Give at least one tag, e.g. Env=production.';
              return tags.map(checkTag).find((problem) => problem !== undefined);
            },
          });
          out.tagGroups = [splitTags(text)];
        } else {
          const groups = await aws.autoScaling.listGroups();
          out.asg = await prompter.multiSelect({
            id: 'asg',
            message: QUESTIONS.asg,
            choices: groups.map((group) => ({ label: group.name, value: group.name, hint: `${group.instanceIds.length} instances` })),
            validate: (values) => (values.length === 0 ? 'Pick at least one group.' : values.length > 10 ? 'At most 10.' : undefined),
          });
        }
      }

      if (out.serviceRole === undefined) out.serviceRole = await pickRole(prompter, aws, 'codedeploy', DEFAULTS.serviceRole, 'serviceRole', 'serviceRoleName');
      if (out.instanceRole === undefined) out.instanceRole = await pickRole(prompter, aws, 'ec2', DEFAULTS.instanceRole, 'instanceRole', 'instanceRoleName');
      if (out.instanceProfile === undefined) {
        out.instanceProfile = await prompter.input({ id: 'instanceProfile', message: QUESTIONS.instanceProfile, default: DEFAULTS.instanceProfile, validate: checkInstanceProfileName });
      }
      if (out.deploymentConfig === undefined) {
        out.deploymentConfig = await prompter.select<DeploymentConfig>({
          id: 'deploymentConfig',
          message: QUESTIONS.deploymentConfig,
          choices: DEPLOYMENT_CONFIGS.map((config) => ({ label: config.replace('CodeDeployDefault.', ''), value: config, hint: CONFIG_HINTS[config] })),
          default: DEFAULTS.deploymentConfig,
        });
      }
      if (out.rollback === undefined) out.rollback = await prompter.confirm({ id: 'rollback', message: QUESTIONS.rollback, default: true });
      if (out.targetGroup === undefined && (await prompter.confirm({ id: 'useTargetGroup', message: QUESTIONS.useTargetGroup, default: false }))) {
        out.targetGroup = await prompter.input({ id: 'targetGroup', message: QUESTIONS.targetGroup, validate: checkTargetGroup });
      }
      if (out.ssm === undefined) out.ssm = await prompter.confirm({ id: 'ssm', message: QUESTIONS.ssm, default: false });
      return out;
    },

    confirmPlan: () => prompter.confirm({ id: 'confirmPlan', message: QUESTIONS.confirmPlan, default: false }),
    confirmReplaceProfiles: () => prompter.confirm({ id: 'confirmReplace', message: QUESTIONS.confirmReplace, default: false }),
  };
}

const CONFIG_HINTS: Record<DeploymentConfig, string> = {
  'CodeDeployDefault.OneAtATime': 'safest: one instance at a time',
  'CodeDeployDefault.HalfAtATime': 'half of the instances at a time',
  'CodeDeployDefault.AllAtOnce': 'fastest: every instance at once (downtime)',
};

function splitTags(text: string): TargetTag[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(parseTag);
}

type InputQuestion = Parameters<SetupPrompter['input']>[0];

/** Pick one of the existing names, or choose "new" and type one; straight to typing when there are none. */
async function pickOrNew(
  prompter: SetupPrompter,
  pick: { id: QuestionId; message: string; choices: Array<Choice<string>>; newLabel: string; default?: string },
  input: InputQuestion,
): Promise<string> {
  const { newLabel, choices, ...question } = pick;
  const picked = choices.length > 0 ? await prompter.select({ ...question, choices: [...choices, { label: newLabel, value: NEW }] }) : NEW;
  return picked === NEW ? prompter.input(input) : picked;
}

async function pickRole(
  prompter: SetupPrompter,
  aws: AwsPorts,
  service: 'codedeploy' | 'ec2',
  fallback: string,
  pickId: 'serviceRole' | 'instanceRole',
  nameId: 'serviceRoleName' | 'instanceRoleName',
): Promise<string> {
  const identity = await aws.identity.whoAmI().catch(() => undefined);
  const roles = await aws.iam.listRolesTrusting(servicePrincipal(service, identity?.partition ?? 'aws')).catch(() => []);
  const names = roles.map((role) => role.name);
  const choices = names.length === 0 ? [] : [...(names.includes(fallback) ? [] : [{ label: `Create ${fallback}`, value: fallback }]), ...names.map((name) => ({ label: name, value: name, hint: 'existing role' }))];
  return pickOrNew(
    prompter,
    { id: pickId, message: QUESTIONS[pickId], choices, newLabel: 'Create a role with another name', default: fallback },
    { id: nameId, message: QUESTIONS[nameId], default: fallback, validate: checkRoleName },
  );
}
