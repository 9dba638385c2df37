import type { TargetTag } from '../aws/types.js';
import { UsageError } from '../errors.js';
import { DEFAULT_NAMES, defaultDeployRoleName } from './names.js';
import { FLAG_OF, missingAnswers, validateAnswers, type Problem } from './validate.js';

/**
 * The user's answers: what CodeDeploy should look like for one application and deployment group. Setup collects
 * them (flags > answers file > questions), saves them, and every other command reads them from the answers file.
 *
 * The deployment group's settings (service role, deployment configuration, rollback, target group) are optional
 * on purpose: left open, an existing group keeps its own (it is adopted, not rewritten) and a new group gets the
 * defaults (settingsFor).
 */
export interface SetupAnswers {
  region: string;
  app: string;
  group: string;
  /** Undefined: the existing group's role, else CodeDeployServiceRole. */
  serviceRole?: string;
  instanceRole: string;
  instanceProfile: string;
  bucket: string;
  /** Instances to prepare (profile + tags). */
  instances: string[];
  /** Auto Scaling groups, by name. */
  asg: string[];
  /** One group: any tag matches (OR). Several: an instance needs a tag of every group (AND). */
  tagGroups: TargetTag[][];
  /** Undefined: the existing group's configuration, else CodeDeployDefault.OneAtATime. */
  deploymentConfig?: string;
  /** Undefined: the existing group's setting, else on. */
  rollback?: boolean;
  /** Undefined: the existing group's load balancing, else none. */
  targetGroup?: string;
  ssm: boolean;
  /** GitHub Actions deploys with OIDC: the repository (OWNER/REPO), and the branch or environment it deploys from. */
  githubRepo?: string;
  githubBranch?: string;
  githubEnvironment?: string;
  /** The role GitHub Actions assumes (default cd-wizard-deploy-<app>). */
  deployRole?: string;
}

export const DEFAULT_GITHUB_BRANCH = 'main';

/** Answers being collected; any may be missing. */
export type DraftAnswers = Partial<SetupAnswers>;

export const DEFAULTS = {
  ...DEFAULT_NAMES,
  deploymentConfig: 'CodeDeployDefault.OneAtATime',
  rollback: true,
  ssm: false,
} as const;

/** The tag put on chosen instances when no --tag is given, so the deployment group can find them. */
export function defaultTargetTag(app: string, group: string): TargetTag {
  return { key: 'cd-wizard:group', value: `${app}/${group}` };
}

/** Flags (or a fresh answer) win over the answers file, field by field. */
export function mergeAnswers(file: DraftAnswers | undefined, flags: DraftAnswers): DraftAnswers {
  const saved: DraftAnswers = { ...(file ?? {}) };
  // A branch and an environment exclude each other: the one given now replaces the one saved.
  if (flags.githubEnvironment !== undefined) delete saved.githubBranch;
  if (flags.githubBranch !== undefined) delete saved.githubEnvironment;
  return { ...saved, ...flags };
}

/** Fills the answers that have a default (not the group settings: see settingsFor). Needs app and group for the default instance tag. */
export function withDefaults(draft: DraftAnswers): DraftAnswers {
  const out: DraftAnswers = {
    instanceRole: DEFAULTS.instanceRole,
    instanceProfile: DEFAULTS.instanceProfile,
    ssm: DEFAULTS.ssm,
    instances: [],
    asg: [],
    tagGroups: [],
    ...draft,
  };
  if ((out.tagGroups?.length ?? 0) === 0 && (out.instances?.length ?? 0) > 0 && out.app && out.group) {
    out.tagGroups = [[defaultTargetTag(out.app, out.group)]];
  }
  // A repository alone deploys from main; the role is named after the application.
  if (out.githubRepo !== undefined && out.githubBranch === undefined && out.githubEnvironment === undefined) out.githubBranch = DEFAULT_GITHUB_BRANCH;
  if (out.githubRepo !== undefined && out.deployRole === undefined && out.app) out.deployRole = defaultDeployRoleName(out.app);
  return out;
}

/** What the deployment group's settings come to: the answer, else the existing group's, else the default. */
export interface GroupSettings {
  serviceRole: string;
  deploymentConfig: string;
  rollback: boolean;
  /** Target group name; undefined: no load balancing. */
  targetGroup?: string;
  /** The settings that were kept from the existing group rather than answered. */
  adopted: Array<'serviceRole' | 'deploymentConfig' | 'rollback' | 'targetGroup'>;
}

export interface ExistingGroupSettings {
  serviceRoleName?: string;
  deploymentConfig: string;
  rollback: boolean;
  targetGroups: string[];
}

export function settingsFor(answers: Pick<SetupAnswers, 'serviceRole' | 'deploymentConfig' | 'rollback' | 'targetGroup'>, existing: ExistingGroupSettings | undefined): GroupSettings {
  const adopted: GroupSettings['adopted'] = [];
  const pick = <K extends GroupSettings['adopted'][number], T>(key: K, answer: T | undefined, kept: T | undefined, fallback: T): T => {
    if (answer !== undefined) return answer;
    if (existing !== undefined && kept !== undefined) {
      adopted.push(key);
      return kept;
    }
    return fallback;
  };
  const serviceRole = pick('serviceRole', answers.serviceRole, existing?.serviceRoleName, DEFAULTS.serviceRole);
  const deploymentConfig = pick('deploymentConfig', answers.deploymentConfig, existing?.deploymentConfig, DEFAULTS.deploymentConfig);
  const rollback = pick('rollback', answers.rollback, existing?.rollback, DEFAULTS.rollback);
  const targetGroup = pick('targetGroup', answers.targetGroup, existing === undefined ? undefined : (existing.targetGroups[0] ?? ''), '');
  return { serviceRole, deploymentConfig, rollback, ...(targetGroup === '' ? {} : { targetGroup }), adopted };
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `  • ${problem.flag}: ${problem.message}`).join('\n');
}

export function invalidAnswersError(problems: readonly Problem[], source = 'The answers'): UsageError {
  return new UsageError(
    `${source} ${problems.length === 1 ? 'have a problem' : `have ${problems.length} problems`}:\n${formatProblems(problems)}`,
    `Fix ${problems.length === 1 ? 'it' : 'them'} and run again; nothing was changed in AWS.`,
  );
}

/**
 * The complete answers, or a UsageError naming every missing flag (non-interactive runs end here instead of
 * waiting for input that will never come) and every answer that breaks a rule.
 */
export function completeAnswers(draft: DraftAnswers, answersFile: string): SetupAnswers {
  const full = withDefaults(draft);
  const missing = missingAnswers(full);
  if (missing.length > 0) {
    const list = missing.map((problem) => `  • ${problem.flag}: ${problem.message}`).join('\n');
    throw new UsageError(
      `Setup needs ${missing.length === 1 ? 'one more answer' : `${missing.length} more answers`} and cannot ask for ${missing.length === 1 ? 'it' : 'them'} here (no terminal, or --no-input):\n${list}`,
      `Give ${missing.length === 1 ? 'it' : 'them'} as flags, or in ${answersFile} (cd-wizard setup --answers FILE). See cd-wizard setup --help.`,
    );
  }
  const invalid = validateAnswers(full);
  if (invalid.length > 0) throw invalidAnswersError(invalid);
  if (!full.region) throw new UsageError('No AWS region is set.', `Give ${FLAG_OF.region}.`);
  return full as SetupAnswers;
}
