import type { AwsPorts, Ec2Instance } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import { defaultTargetTag, type DraftAnswers } from '../../codedeploy/answers.js';
import { plural } from '../../codedeploy/steps.js';
import { instancesMatching, parseTagList } from '../../codedeploy/tags.js';
import { LIMITS, checkTag } from '../../codedeploy/validate.js';
import { q, type SetupPrompter } from './questions.js';
import { instanceKeywords, instanceTable, tagMatchNote } from './targets.js';

/** The target questions: instances from a table, Auto Scaling groups, and the tags with a live count of what they match. */

const tagText = (tag: TargetTag) => (tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`);

interface Targets {
  instances: string[];
  asg: string[];
  tagGroups: TargetTag[][];
  /** Instances the deployment group will reach: picked, matching the tags, in the groups. */
  count: number;
}

/** Instances from the table and/or Auto Scaling groups, then the tag groups with a live count of what they match. */
export async function askTargets(prompter: SetupPrompter, aws: AwsPorts, where: { app: string; group: string; columns: number; saved?: DraftAnswers }): Promise<Targets> {
  const [listed, groups] = await Promise.all([aws.ec2.listInstances().catch(() => [] as Ec2Instance[]), aws.autoScaling.listGroups().catch(() => [])]);

  let instances: string[] = [];
  if (listed.length > 0) {
    // The labels sit after the checkbox (3 columns) and leave a margin.
    const table = instanceTable(listed, Math.max(40, where.columns - 5));
    instances = await prompter.multiSelect({
      ...q('instances'),
      header: table.header,
      filterable: true,
      noun: 'instances',
      choices: listed.map((instance, i) => ({ label: table.rows[i] ?? instance.id, value: instance.id, short: instance.name ? `${instance.id} (${instance.name})` : instance.id, keywords: instanceKeywords(instance) })),
      default: (where.saved?.instances ?? []).filter((id) => listed.some((instance) => instance.id === id)),
    });
  }

  let asg: string[] = [];
  if (groups.length > 0) {
    asg = await prompter.multiSelect({
      ...q('asg'),
      choices: groups.map((group) => ({ label: group.name, value: group.name, hint: plural(group.instanceIds.length, 'instance') })),
      default: (where.saved?.asg ?? []).filter((name) => groups.some((group) => group.name === name)),
      validate: (values) => (values.length > LIMITS.autoScalingGroups ? `A deployment group takes at most ${LIMITS.autoScalingGroups} Auto Scaling groups.` : undefined),
    });
  }

  // A tag is needed to find picked instances, or when nothing else is picked; with groups only, it is optional.
  const tagGroups: TargetTag[][] = [];
  const wantTags = instances.length > 0 || asg.length === 0 || (await prompter.confirm({ ...q('useTags'), default: false }));
  while (wantTags && tagGroups.length < LIMITS.tagGroups) {
    const before = [...tagGroups];
    const first = before.length === 0;
    const saved = where.saved?.tagGroups?.[before.length];
    const fallback = saved ? saved.map((tag) => (tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`)).join(' ') : first && instances.length > 0 ? tagText(defaultTargetTag(where.app, where.group)) : undefined;
    const text = await prompter.input({
      ...q('tags', first ? undefined : `Instance tag, group ${before.length + 1} (KEY=VALUE; instances must also match it)`),
      ...(fallback === undefined ? {} : { default: fallback }),
      validate: (value) => {
        const tags = parseTagList(value);
        if (tags.length === 0) return 'Give at least one tag, e.g. Env=production.';
        if (tags.length > LIMITS.tagsPerGroup) return `A tag group has at most ${LIMITS.tagsPerGroup} tags.`;
        return tags.map(checkTag).find((problem) => problem !== undefined);
      },
      note: (value) => tagMatchNote(listed, [...before, parseTagList(value)], instances),
    });
    tagGroups.push(parseTagList(text));
    if (tagGroups.length >= LIMITS.tagGroups || !(await prompter.confirm({ ...q('moreTags'), default: (where.saved?.tagGroups?.length ?? 0) > tagGroups.length }))) break;
  }

  const reached = new Set([...instances, ...instancesMatching(listed, tagGroups), ...groups.filter((group) => asg.includes(group.name)).flatMap((group) => group.instanceIds)]);
  return { instances, asg, tagGroups, count: reached.size };
}

/** Targets given as flags or in the answers file: how many instances they reach now, for the rollout help. */
export async function countTargets(aws: AwsPorts, draft: DraftAnswers): Promise<number> {
  const [listed, groups] = await Promise.all([
    (draft.tagGroups?.length ?? 0) > 0 ? aws.ec2.listInstances().catch(() => [] as Ec2Instance[]) : Promise.resolve([] as Ec2Instance[]),
    (draft.asg?.length ?? 0) > 0 ? aws.autoScaling.describeGroups(draft.asg ?? []).catch(() => ({ found: [], missing: [] })) : Promise.resolve({ found: [], missing: [] }),
  ]);
  return new Set([...(draft.instances ?? []), ...instancesMatching(listed, draft.tagGroups ?? []), ...groups.found.flatMap((group) => group.instanceIds)]).size;
}
