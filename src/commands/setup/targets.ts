import { nameOfArn } from '../../aws/arn.js';
import type { Ec2Instance } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import { plural } from '../../codedeploy/steps.js';
import { describeTagGroups, instancesMatching } from '../../codedeploy/tags.js';
import type { DeploymentConfig } from '../../codedeploy/validate.js';

/**
 * What the target questions show, as pure functions: the instance table, which instances a tag matches,
 * and what each deployment configuration means for the user's number of instances.
 */

/* ---------- the instance table ---------- */

export interface InstanceTable {
  /** Column titles, aligned with the rows. */
  header: string;
  /** One aligned row per instance, in the order given. */
  rows: string[];
}

const GAP = '  ';
const MIN_TAGS = 12;

function fit(text: string, width: number, pad: boolean): string {
  if (text.length > width) return `${text.slice(0, Math.max(0, width - 1))}…`;
  return pad ? text.padEnd(width) : text;
}

/** Tags other than Name, as KEY=VALUE, sorted by key. */
export function tagSummary(tags: Record<string, string>): string {
  return Object.entries(tags)
    .filter(([key]) => key !== 'Name')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => (value === '' ? key : `${key}=${value}`))
    .join(', ');
}

/**
 * Instances as a table that fits `width` columns: id, Name, state, current instance profile, and the tags when
 * there is room for them. Ids are never cut. The Name and profile columns are as wide as their longest value up
 * to a cap; when the row is too wide, the tags go first (typing in the picker still finds them), then Name and
 * profile give way (widest first, down to 8), cut with "…".
 */
export function instanceTable(instances: readonly Ec2Instance[], width: number): InstanceTable {
  const cells = instances.map((instance) => [
    instance.id,
    instance.name ?? '',
    instance.state,
    instance.profileArn === undefined ? '—' : nameOfArn(instance.profileArn),
    tagSummary(instance.tags) || '—',
  ]);
  const titles = ['INSTANCE', 'NAME', 'STATE', 'INSTANCE PROFILE', 'TAGS'];
  const natural = (column: number) => Math.max(titles[column]?.length ?? 0, ...cells.map((row) => row[column]?.length ?? 0));
  const caps = [Infinity, 20, 13, 28];
  const widths = caps.map((cap, column) => Math.min(cap, natural(column)));
  const used = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  const withTags = used() + GAP.length + MIN_TAGS <= width;
  while (!withTags && used() > width) {
    const [name = 0, profile = 0] = [widths[1], widths[3]];
    if (Math.max(name, profile) <= 8) break;
    widths[name >= profile ? 1 : 3] = Math.max(name, profile) - 1;
  }
  const tagsWidth = width - used() - GAP.length;
  const line = (row: readonly string[]) =>
    row
      .slice(0, withTags ? 5 : 4)
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : fit(cell, column === 4 ? tagsWidth : (widths[column] ?? cell.length), column < (withTags ? 4 : 3))))
      .join(GAP)
      .trimEnd();
  return { header: line(titles), rows: cells.map(line) };
}

/** What typing in the picker matches for an instance: every column in full, the tags included. */
export function instanceKeywords(instance: Ec2Instance): string {
  return [instance.id, instance.name ?? '', instance.state, instance.profileArn === undefined ? '' : nameOfArn(instance.profileArn), tagSummary(instance.tags)].join(' ');
}

/* ---------- tags ---------- */


/**
 * The live note under the tag question: how many instances carry the tags now, and how many of the picked
 * ones setup will tag. `listed` is what the pick list showed (every instance that is not terminated).
 */
export function tagMatchNote(listed: readonly Ec2Instance[], groups: readonly (readonly TargetTag[])[], picked: readonly string[]): string {
  const text = describeTagGroups(groups);
  const matching = new Set(instancesMatching(listed, groups));
  const toTag = picked.filter((id) => !matching.has(id)).length;
  const now = `${plural(matching.size, 'instance')} match${matching.size === 1 ? 'es' : ''} ${text}`;
  return toTag === 0 ? now : `${now} (+${toTag} picked, tagged by setup)`;
}

/* ---------- deployment configurations ---------- */

/**
 * What a predefined configuration does with `count` instances (CodeDeploy's rules: OneAtATime tolerates a
 * failure on the last instance only; HalfAtATime deploys to half, rounded down, and needs half, rounded up,
 * to succeed; AllAtOnce succeeds when one instance does). Count 0: the rule without numbers.
 */
export function explainDeploymentConfig(config: DeploymentConfig, count: number): string {
  const n = plural(count, 'instance');
  switch (config) {
    case 'CodeDeployDefault.OneAtATime':
      if (count === 0) return 'One instance at a time; the deployment fails as soon as any instance but the last fails. Safest, slowest.';
      if (count === 1) return '1 instance: the deployment fails if it fails.';
      return `${n}: one at a time; the deployment fails if any instance but the last fails.`;
    case 'CodeDeployDefault.HalfAtATime': {
      if (count === 0) return 'Half of the instances at a time (rounded down); at least half (rounded up) must succeed.';
      if (count === 1) return '1 instance: deployed alone; it must succeed.';
      const batch = Math.max(1, Math.floor(count / 2));
      const needed = Math.ceil(count / 2);
      return `${n}: ${batch} at a time; at least ${needed} must succeed, or the deployment fails.`;
    }
    case 'CodeDeployDefault.AllAtOnce':
      if (count === 0) return 'Every instance at once (the application is down while they restart); succeeds if one instance does.';
      if (count === 1) return '1 instance: deployed at once; it must succeed.';
      return `${n}: all at once (the application is down while they restart); succeeds if at least 1 does.`;
  }
}
