import type { Node, Pair, YAMLMap } from 'yaml';
import type { AppSpecOs, CheckContext } from './context.js';
import { closest } from './spelling.js';
import { isMapping, isScalarNode, keyText, stringValue, written } from './yaml-doc.js';

/**
 * The top level of an EC2/on-premises AppSpec: which keys, version, os and file_exists_behavior, with the
 * agent's own rules (version must be the number 0.0, os exactly linux or windows, the behaviour in capitals).
 */

export const TOP_KEYS = ['version', 'os', 'files', 'file_exists_behavior', 'permissions', 'hooks'] as const;
export type TopKey = (typeof TOP_KEYS)[number];

export const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN'] as const;

export interface TopLevel {
  map: YAMLMap<unknown, Node | null>;
  /** The node of each known key (the last one when repeated: that is the one the agent keeps). */
  sections: Partial<Record<TopKey, Pair<unknown, Node | null>>>;
  os: AppSpecOs | undefined;
}

/**
 * Reports keys that appear twice in a mapping (the agent keeps the last one silently) and returns the pairs by
 * key, the last of each.
 */
export function uniquePairs(ctx: CheckContext, map: YAMLMap<unknown, Node | null>, where: string): Map<string, Pair<unknown, Node | null>> {
  const byKey = new Map<string, Pair<unknown, Node | null>>();
  for (const pair of map.items) {
    const key = keyText(pair);
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      ctx.report('appspec-structure', pair.key as Node, `${key} appears twice ${where} (also line ${ctx.doc.at(earlier.key as Node).line}); the agent keeps only this one`, 'merge the two');
    }
    byKey.set(key, pair);
  }
  return byKey;
}

export function checkTopLevel(ctx: CheckContext): TopLevel | undefined {
  const root = ctx.doc.root;
  if (root === null || (isScalarNode(root) && (root.value === null || root.value === ''))) {
    ctx.report('appspec-structure', undefined, 'The AppSpec is empty; the agent rejects it', 'start with version: 0.0 and os: linux (cd-wizard init writes a complete one)');
    return undefined;
  }
  if (!isMapping(root)) {
    ctx.report('appspec-structure', root, `The AppSpec must be a mapping of keys (version, os, files, hooks), not ${written(root)}`);
    return undefined;
  }
  const pairs = uniquePairs(ctx, root, 'at the top level');
  const sections: TopLevel['sections'] = {};
  for (const [key, pair] of pairs) {
    if ((TOP_KEYS as readonly string[]).includes(key)) {
      sections[key as TopKey] = pair;
      continue;
    }
    const near = closest(key, TOP_KEYS);
    if (key === 'resources') {
      ctx.report('appspec-structure', pair.key as Node, 'resources is for ECS and Lambda AppSpecs', 'an EC2/on-premises AppSpec uses files and hooks');
    } else if (near !== undefined) {
      ctx.report('appspec-structure', pair.key as Node, `Unknown key ${key} (did you mean ${near}?): the agent ignores the section`, `rename it to ${near}`);
    } else {
      ctx.report('appspec-structure', pair.key as Node, `Unknown key ${key}; the agent ignores it`, undefined, 'warning');
    }
  }
  checkVersion(ctx, root, sections.version);
  const os = checkOs(ctx, root, sections.os);
  checkFileExistsBehavior(ctx, sections.file_exists_behavior);
  return { map: root, sections, os };
}

function checkVersion(ctx: CheckContext, root: Node, pair: Pair<unknown, Node | null> | undefined): void {
  if (pair === undefined) {
    ctx.report('appspec-version', root, 'version is missing; the agent rejects the file', 'add version: 0.0 as the first line');
    return;
  }
  const value = pair.value;
  if (isScalarNode(value) && typeof value.value === 'number' && value.value === 0) return;
  if (isScalarNode(value) && typeof value.value === 'string' && Number(value.value) === 0 && value.value.trim() !== '') {
    ctx.report('appspec-version', value, `version is the text ${written(value)}, not the number 0.0; the agent rejects it`, 'remove the quotes: version: 0.0');
    return;
  }
  ctx.report('appspec-version', value ?? pair.key as Node, `version must be 0.0 (the only AppSpec version), not ${written(value)}`, 'write version: 0.0');
}

function checkOs(ctx: CheckContext, root: Node, pair: Pair<unknown, Node | null> | undefined): AppSpecOs | undefined {
  if (pair === undefined) {
    ctx.report('appspec-os', root, 'os is missing; the agent rejects the file', 'add os: linux (or os: windows) after the version line');
    return undefined;
  }
  const value = stringValue(pair.value);
  if (value === 'linux' || value === 'windows') return value;
  const near = value === undefined ? undefined : closest(value, ['linux', 'windows']);
  ctx.report('appspec-os', pair.value ?? pair.key as Node, `os must be linux or windows, exactly, not ${written(pair.value)}`, near === undefined ? undefined : `write os: ${near}`);
  return near as AppSpecOs | undefined;
}

function checkFileExistsBehavior(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined): void {
  if (pair === undefined) return;
  const value = stringValue(pair.value);
  if (value !== undefined && (FILE_EXISTS_BEHAVIORS as readonly string[]).includes(value)) return;
  const near = value === undefined ? undefined : closest(value, FILE_EXISTS_BEHAVIORS);
  ctx.report(
    'appspec-file-exists-behavior',
    pair.value ?? pair.key as Node,
    `file_exists_behavior must be DISALLOW, OVERWRITE or RETAIN, not ${written(pair.value)}`,
    near === undefined ? 'the agent rejects any other value' : `write ${near} (capitals)`,
  );
}
