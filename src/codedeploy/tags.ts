import type { TargetTag } from '../aws/types.js';

/**
 * How a deployment group selects instances by tag: the one set of rules, used by setup (what its answers will
 * match, what to tag), fix (which instances the group reaches) and export.
 *
 * Source: CodeDeploy API reference, EC2TagFilter and EC2TagSet. A filter is KEY_ONLY (the key, any value),
 * VALUE_ONLY (the value, under any key) or KEY_AND_VALUE. In `ec2TagFilters` (one group) an instance matching ANY
 * filter is selected; in `ec2TagSet` (up to three groups) it must match a filter of EVERY group.
 *
 * In cd-wizard's TargetTag, `{ key }` is KEY_ONLY, `{ key: '', value }` is VALUE_ONLY and `{ key, value }` is
 * KEY_AND_VALUE.
 */

export type TagFilterType = 'KEY_ONLY' | 'VALUE_ONLY' | 'KEY_AND_VALUE';

export function tagFilterType(tag: TargetTag): TagFilterType {
  if (tag.value === undefined) return 'KEY_ONLY';
  return tag.key === '' ? 'VALUE_ONLY' : 'KEY_AND_VALUE';
}

/** Whether one filter matches an instance's tags. */
export function tagMatches(tag: TargetTag, tags: Readonly<Record<string, string>>): boolean {
  switch (tagFilterType(tag)) {
    case 'KEY_ONLY':
      return Object.prototype.hasOwnProperty.call(tags, tag.key);
    case 'VALUE_ONLY':
      return Object.values(tags).includes(tag.value ?? '');
    case 'KEY_AND_VALUE':
      return tags[tag.key] === tag.value;
  }
}

/** Groups without filters select nothing and are ignored, as CodeDeploy ignores an empty set. */
function nonEmpty(groups: readonly (readonly TargetTag[])[]): Array<readonly TargetTag[]> {
  return groups.filter((group) => group.length > 0);
}

/** One group: any filter (OR). Several: a filter of every group (AND). No filters at all: nothing. */
export function matchesTagGroups(groups: readonly (readonly TargetTag[])[], tags: Readonly<Record<string, string>>): boolean {
  const used = nonEmpty(groups);
  return used.length > 0 && used.every((group) => group.some((tag) => tagMatches(tag, tags)));
}

/** The ids of the instances a selection matches, in the order given. */
export function instancesMatching<T extends { id: string; tags: Readonly<Record<string, string>> }>(instances: readonly T[], groups: readonly (readonly TargetTag[])[]): string[] {
  return instances.filter((instance) => matchesTagGroups(groups, instance.tags)).map((instance) => instance.id);
}

/** One filter in words: "Env=prod", "Env (any value)", "any key = prod". */
export function describeTag(tag: TargetTag): string {
  switch (tagFilterType(tag)) {
    case 'KEY_ONLY':
      return `${tag.key} (any value)`;
    case 'VALUE_ONLY':
      return `any key = ${tag.value ?? ''}`;
    case 'KEY_AND_VALUE':
      return `${tag.key}=${tag.value ?? ''}`;
  }
}

/** The selection in words: "Env=prod or Env=staging, and Role=web"; "no tags" when there are none. */
export function describeTagGroups(groups: readonly (readonly TargetTag[])[]): string {
  const used = nonEmpty(groups);
  if (used.length === 0) return 'no tags';
  return used.map((group) => group.map(describeTag).join(' or ')).join(', and ');
}

/** KEY=VALUE, or KEY alone (any value); the form the flags and the answers file use. */
export function parseTag(text: string): TargetTag {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text.trim() } : { key: text.slice(0, eq).trim(), value: text.slice(eq + 1) };
}

/** "Env=prod Role" → two tags (one group: any of them matches). */
export function parseTagList(text: string): TargetTag[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(parseTag);
}

/** The same selection, whatever the order of groups and filters. */
export function sameTagGroups(a: readonly (readonly TargetTag[])[], b: readonly (readonly TargetTag[])[]): boolean {
  const canonical = (groups: readonly (readonly TargetTag[])[]) =>
    JSON.stringify(nonEmpty(groups).map((group) => group.map((tag) => `${tagFilterType(tag)}:${tag.key}=${tag.value ?? ''}`).sort()).sort());
  return canonical(a) === canonical(b);
}

export type TagWrite = { tags: Record<string, string>; /** Keys the instance has now with another value: key → current value. */ overwrites: Record<string, string> } | { conflict: string };

/**
 * The tags to add so that an instance with `current` tags matches: for every group it does not match yet, one filter
 * that can be written (a VALUE_ONLY filter names no key), preferring a key the instance does not carry yet. A
 * selection that tagging cannot satisfy (two groups needing different values of one key, a value another group needs
 * overwritten) is a conflict in words; keys whose current value would change are listed in `overwrites`.
 */
export function tagsToAdd(groups: readonly (readonly TargetTag[])[], current: Readonly<Record<string, string>>): TagWrite {
  const tags: Record<string, string> = {};
  for (const group of nonEmpty(groups)) {
    if (group.some((tag) => tagMatches(tag, { ...current, ...tags }))) continue;
    const writable = group.filter((tag) => tag.key !== '');
    if (writable.length === 0) return { conflict: `the group "${group.map(describeTag).join(' or ')}" names no tag key cd-wizard could write` };
    const free = (tag: TargetTag) => !(tag.key in tags) && (!(tag.key in current) || current[tag.key] === (tag.value ?? ''));
    const chosen = writable.find(free) ?? writable.find((tag) => !(tag.key in tags)) ?? writable[0];
    if (!chosen) continue;
    const value = chosen.value ?? '';
    if (chosen.key in tags && tags[chosen.key] !== value) {
      return { conflict: `the tag groups need both ${chosen.key}=${tags[chosen.key]} and ${chosen.key}=${value}; an instance has one value per key` };
    }
    tags[chosen.key] = value;
  }
  if (!matchesTagGroups(groups, { ...current, ...tags })) {
    return { conflict: `adding ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ')} would change a tag another group of the selection needs` };
  }
  const overwrites = Object.fromEntries(Object.keys(tags).filter((k) => k in current && current[k] !== tags[k]).map((k) => [k, current[k] ?? '']));
  return { tags, overwrites };
}

/** An EC2 DescribeInstances filter that finds the instances one tag filter can match. */
export function ec2FilterFor(tag: TargetTag): { Name: string; Values: string[] } {
  switch (tagFilterType(tag)) {
    case 'KEY_ONLY':
      return { Name: 'tag-key', Values: [tag.key] };
    case 'VALUE_ONLY':
      return { Name: 'tag-value', Values: [tag.value ?? ''] };
    case 'KEY_AND_VALUE':
      return { Name: `tag:${tag.key}`, Values: [tag.value ?? ''] };
  }
}
