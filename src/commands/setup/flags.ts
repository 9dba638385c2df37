import type { DraftAnswers } from '../../codedeploy/answers.js';
import { parseTag } from '../../codedeploy/tags.js';
import { normaliseDeploymentConfig, type AnswersToCheck, type Problem } from '../../codedeploy/validate.js';

/** Setup's flags as commander hands them over (undefined = not given), and how they become draft answers. */

type NameFlags = Pick<AnswersToCheck, 'app' | 'group' | 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'bucket' | 'deploymentConfig' | 'targetGroup'>;

export interface SetupFlags extends NameFlags {
  /** Each entry may hold several ids separated by commas. */
  instances?: string[];
  asg?: string[];
  /** KEY=VALUE or KEY (any value); all --tag form one group (OR). */
  tag?: string[];
  /** KEY=VALUE,KEY=VALUE: each --tag-group is one group; groups are ANDed. */
  tagGroup?: string[];
  /** false only when --no-rollback was given. */
  rollback?: boolean;
  ssm?: boolean;
  /** GitHub Actions with OIDC: OWNER/REPO, and a branch or an environment; the role's name. */
  githubRepo?: string;
  githubBranch?: string;
  githubEnvironment?: string;
  deployRole?: string;
  /** Install the CodeDeploy agent through Systems Manager as the last step (not saved: it is an action). */
  installAgent?: boolean;
  replaceProfile?: boolean;
  /** Change a tag value someone else set on an instance (it may move the instance out of another group). */
  retag?: boolean;
  /** Change roles, policies and a deployment group cd-wizard did not create. */
  changeForeign?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  /** Ask every question again, with the saved answers as defaults. */
  reconfigure?: boolean;
  /** The plan in full: every policy statement and each step's AWS calls. */
  verbose?: boolean;
}

const splitList = (values: readonly string[] | undefined): string[] | undefined =>
  values === undefined
    ? undefined
    : [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== ''))];

/** Flags → draft answers, plus every problem in how they were written (not yet the name rules). */
export function draftFromFlags(flags: SetupFlags & { region?: string }): { draft: DraftAnswers; problems: Problem[] } {
  const problems: Problem[] = [];
  const draft: DraftAnswers = {};
  const strings = ['region', 'app', 'group', 'serviceRole', 'instanceRole', 'instanceProfile', 'bucket', 'targetGroup', 'githubRepo', 'githubBranch', 'githubEnvironment', 'deployRole'] as const;
  for (const key of strings) {
    const value = flags[key];
    if (value !== undefined) draft[key] = value.trim();
  }
  const instances = splitList(flags.instances);
  if (instances !== undefined) draft.instances = instances;
  const asg = splitList(flags.asg);
  if (asg !== undefined) draft.asg = asg;
  if (flags.tag !== undefined && flags.tagGroup !== undefined) {
    problems.push({ field: 'tagGroups', flag: '--tag', message: 'Use either --tag (one group: any tag matches) or --tag-group (several groups, all must match), not both.' });
  } else if (flags.tag !== undefined) {
    draft.tagGroups = [flags.tag.map(parseTag)];
  } else if (flags.tagGroup !== undefined) {
    draft.tagGroups = flags.tagGroup.map((group) => group.split(',').filter((part) => part.trim() !== '').map(parseTag));
  }
  if (flags.deploymentConfig !== undefined) draft.deploymentConfig = normaliseDeploymentConfig(flags.deploymentConfig);
  if (flags.rollback !== undefined) draft.rollback = flags.rollback;
  if (flags.ssm !== undefined) draft.ssm = flags.ssm;
  return { draft, problems };
}
