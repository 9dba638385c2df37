import type { AwsPorts, CallerIdentity } from '../../aws/ports/index.js';
import { DEFAULTS, type DraftAnswers } from '../../codedeploy/answers.js';
import type { SetupPlan } from '../../codedeploy/plan.js';
import { changesOf, plural, type ConfirmKind, type Step } from '../../codedeploy/steps.js';
import { DEPLOYMENT_CONFIGS, checkTargetGroup, type DeploymentConfig } from '../../codedeploy/validate.js';
import { askGithub } from './ask-github.js';
import { askApp, askBucket, askGroup, askInstanceProfile, askRole, type GroupChoice } from './ask-resources.js';
import { askTargets, countTargets } from './ask-targets.js';
import { q, type SetupPrompter } from './questions.js';
import { explainDeploymentConfig } from './targets.js';

/**
 * The "ask" part of validate → ask → execute. setup.ts calls a SetupAsker; the interactive one asks through any
 * SetupPrompter (inquirer on a terminal; tests answer by question id) ONLY what the flags and the answers file left
 * open — or, with --reconfigure, every question with the saved answers as defaults — in this order: who and where,
 * names, roles, instance profile, bucket, targets, rollout. Every question has a default and one line of help.
 * Execute never prompts.
 */

export type { Choice } from '../../prompt/prompter.js';
export { QUESTIONS, type QuestionId, type SetupPrompter } from './questions.js';

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
  /** --reconfigure: the saved answers, offered as the defaults of every question. */
  saved?: DraftAnswers;
}

/** What setup.ts needs from the user beyond the flags. */
export interface SetupAsker {
  /** Returns the draft with missing answers filled in (the non-interactive asker returns it unchanged). */
  askAnswers(draft: DraftAnswers, context: AskContext): Promise<DraftAnswers>;
  /** "Apply these N changes?" — default No. */
  confirmPlan(plan: SetupPlan): Promise<boolean>;
  /** The separate yes for changes to what cd-wizard does not own (one question per kind) — default No. */
  confirmOwnChanges(kind: ConfirmKind, steps: Step[]): Promise<boolean>;
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
  confirmOwnChanges: async () => false,
};

/** A name CodeDeploy accepts, from a folder name ("My Service!" → "My-Service"); undefined when nothing is left. */
export function suggestName(text: string): string | undefined {
  const name = text.replace(/[^A-Za-z0-9._+=,@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return name === '' ? undefined : name;
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

/** The rollout questions: configuration, rollback, target group — skipped when an existing group's settings are kept. */
async function askRollout(prompter: SetupPrompter, out: DraftAnswers, group: GroupChoice, saved: DraftAnswers, targetCount: number): Promise<void> {
  const existing = group.existing;
  if (out.deploymentConfig === undefined) {
    const fallback = saved.deploymentConfig ?? existing?.deploymentConfig ?? DEFAULTS.deploymentConfig;
    const predefined = DEPLOYMENT_CONFIGS.map((config) => ({ label: config.replace('CodeDeployDefault.', ''), value: config as string, hint: CONFIG_HINTS[config], description: explainDeploymentConfig(config, targetCount) }));
    const custom = predefined.some((choice) => choice.value === fallback) ? [] : [{ label: fallback, value: fallback, hint: 'the group\'s own configuration' }];
    out.deploymentConfig = await prompter.select<string>({ ...q('deploymentConfig'), choices: [...custom, ...predefined], default: fallback });
  }
  if (out.rollback === undefined) {
    const fallback = saved.rollback ?? (existing ? existing.autoRollback.enabled && existing.autoRollback.events.includes('DEPLOYMENT_FAILURE') : DEFAULTS.rollback);
    out.rollback = await prompter.confirm({ ...q('rollback'), default: fallback });
  }
  if (out.targetGroup === undefined) {
    const current = saved.targetGroup ?? existing?.targetGroupNames[0];
    if (await prompter.confirm({ ...q('useTargetGroup'), default: current !== undefined })) {
      out.targetGroup = await prompter.input({ ...q('targetGroup'), ...(current === undefined ? {} : { default: current }), validate: checkTargetGroup });
    }
  }
}

/** An asker that asks, through `prompter`, every question the draft leaves open. */
export function createInteractiveAsker(prompter: SetupPrompter): SetupAsker {
  return {
    async askAnswers(draft, context) {
      const { aws } = context;
      const saved = context.saved ?? {};
      const out: DraftAnswers = { ...draft };

      // Who and where, first: credentials that do not work fail here, before any question.
      const identity = await aws.identity.whoAmI();
      await askWhereAmI(prompter, identity, context);

      if (out.app === undefined) out.app = await askApp(prompter, aws, saved.app ?? context.suggestedApp);
      const app = out.app;
      let group: GroupChoice = { name: out.group ?? '' };
      if (out.group === undefined) {
        group = await askGroup(prompter, aws, app, saved.group);
        out.group = group.name;
      } else {
        const existing = await aws.codeDeploy.getDeploymentGroup(app, out.group).catch(() => undefined);
        group = { name: out.group, ...(existing === undefined ? {} : { existing }) };
      }
      // An existing group keeps its settings unless the user chooses to change them.
      const keep = group.existing !== undefined && (await prompter.confirm({ ...q('keepGroupSettings'), details: group.keptDetails ?? [], default: true }));

      if (out.serviceRole === undefined && !keep) out.serviceRole = await askRole(prompter, aws, identity, { service: 'codedeploy', region: context.region, app, group: group.name }, out.instanceRole, saved.serviceRole);
      if (out.instanceRole === undefined) out.instanceRole = await askRole(prompter, aws, identity, { service: 'ec2', region: context.region, app, group: group.name }, out.serviceRole, saved.instanceRole);
      if (out.instanceProfile === undefined) out.instanceProfile = await askInstanceProfile(prompter, aws, out.instanceRole, saved.instanceProfile);
      if (out.bucket === undefined) out.bucket = await askBucket(prompter, aws, { app, account: identity.account, region: context.region, ...(saved.bucket === undefined ? {} : { saved: saved.bucket }) });
      if (out.ssm === undefined) out.ssm = await prompter.confirm({ ...q('ssm'), default: saved.ssm ?? DEFAULTS.ssm });

      const hasTargets = (out.instances?.length ?? 0) + (out.asg?.length ?? 0) + (out.tagGroups?.length ?? 0) > 0;
      let targetCount: number;
      if (!hasTargets) {
        const targets = await askTargets(prompter, aws, { app, group: group.name, columns: context.columns ?? 100, saved });
        out.instances = targets.instances;
        out.asg = targets.asg;
        out.tagGroups = targets.tagGroups;
        targetCount = targets.count;
      } else {
        targetCount = await countTargets(aws, out);
      }
      if (!keep) await askRollout(prompter, out, group, saved, targetCount);
      await askGithub(prompter, out, saved);
      return out;
    },

    confirmPlan: (plan) => {
      const changes = changesOf(plan.steps).length;
      return prompter.confirm({ ...q('confirmPlan', `Apply these ${plural(changes, 'change')}?`), default: false });
    },

    confirmOwnChanges: (kind, steps) => {
      if (kind === 'replace-profile') {
        const details = steps.flatMap((one) => (one.op.type === 'replace-profile' ? [`${one.op.instanceId}: loses ${one.op.currentProfile}, gets ${one.op.profileName}`] : []));
        return prompter.confirm({ ...q('confirmReplace', `Replace the instance profile of ${plural(details.length, 'instance')}?`), details, default: false });
      }
      const details = steps.map((one) => `${one.summary}${one.reason ? `: ${one.reason}` : ''}`);
      if (kind === 'retag') return prompter.confirm({ ...q('confirmRetag', `Change the tag of ${plural(steps.length, 'instance')}?`), details, default: false });
      return prompter.confirm({ ...q('confirmForeign'), details, default: false });
    },
  };
}

