import type { Node, Pair } from 'yaml';
import type { AppSpecOs, CheckContext, HookScript } from './context.js';
import { closest } from './spelling.js';
import { uniquePairs } from './check-top.js';
import { isEmpty, isList, isMapping, isScalarNode, stringValue, written } from './yaml-doc.js';

/**
 * The hooks section: event names an EC2/on-premises deployment runs, in the order it runs them; entries with a
 * location, a timeout and runas.
 */

/** The scriptable events in the order they run (in-place deployment with a load balancer). */
export const HOOK_ORDER = [
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

/** Events the agent or the service runs itself; scripts listed under them never run. */
export const RESERVED_EVENTS = ['Start', 'DownloadBundle', 'Install', 'BlockTraffic', 'AllowTraffic', 'End'] as const;

/** Run only when the deployment group has a load balancer, or in blue/green deployments. */
export const TRAFFIC_HOOKS = ['BeforeBlockTraffic', 'AfterBlockTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;

/** Run from the last successful revision on the instance, not from the one being deployed. */
export const PREVIOUS_REVISION_HOOKS = ['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic'] as const;

/** Hooks of other compute platforms people copy into EC2 AppSpecs. */
const OTHER_PLATFORM_HOOKS: Record<string, string> = { AfterAllowTestTraffic: 'ECS' };

const ENTRY_KEYS = ['location', 'timeout', 'runas', 'sudo'];
const MAX_TIMEOUT = 3600;
const ORDER_TEXT = 'ApplicationStop → BeforeInstall → AfterInstall → ApplicationStart → ValidateService';

export function checkHooks(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined, os: AppSpecOs | undefined): HookScript[] {
  if (pair === undefined || isEmpty(pair.value)) return [];
  if (!isMapping(pair.value)) {
    ctx.report('appspec-structure', pair.value, `hooks must map event names to lists of scripts, not ${written(pair.value)}`, 'write ApplicationStart: then - location: scripts/start.sh under it');
    return [];
  }
  const scripts: HookScript[] = [];
  const listed: Array<{ name: string; node: Node }> = [];
  for (const [name, hook] of uniquePairs(ctx, pair.value, 'under hooks')) {
    const keyNode = hook.key as Node;
    if ((HOOK_ORDER as readonly string[]).includes(name)) listed.push({ name, node: keyNode });
    else reportUnknownEvent(ctx, name, keyNode);
    if ((TRAFFIC_HOOKS as readonly string[]).includes(name)) reportTrafficHook(ctx, name, keyNode);
    scripts.push(...checkEntries(ctx, name, hook, os));
  }
  reportOrder(ctx, listed);
  return scripts;
}

function reportUnknownEvent(ctx: CheckContext, name: string, node: Node): void {
  if ((RESERVED_EVENTS as readonly string[]).includes(name)) {
    const instead = name === 'Install' || name === 'DownloadBundle' ? 'BeforeInstall or AfterInstall' : name === 'BlockTraffic' ? 'BeforeBlockTraffic or AfterBlockTraffic' : name === 'AllowTraffic' ? 'BeforeAllowTraffic or AfterAllowTraffic' : 'ApplicationStop or ValidateService';
    ctx.report('appspec-hook-reserved', node, `${name} is run by CodeDeploy itself and takes no scripts`, `move them to ${instead}`);
    return;
  }
  const platform = OTHER_PLATFORM_HOOKS[name];
  if (platform !== undefined) {
    ctx.report('appspec-hook-unknown', node, `${name} is an ${platform} hook; the agent rejects it in an EC2/on-premises AppSpec`, 'remove it');
    return;
  }
  const near = closest(name, [...HOOK_ORDER, ...RESERVED_EVENTS]);
  ctx.report(
    'appspec-hook-unknown',
    node,
    `${name} is not a lifecycle event; the agent rejects the AppSpec`,
    near !== undefined ? `did you mean ${near}?` : `hooks are ${HOOK_ORDER.join(', ')}`,
  );
}

function reportTrafficHook(ctx: CheckContext, name: string, node: Node): void {
  if (ctx.options.loadBalancer === true) return;
  if (ctx.options.loadBalancer === false) {
    ctx.report('appspec-hook-traffic', node, `${name} never runs: the deployment group has no load balancer`, 'traffic hooks run only with one, or in blue/green deployments', 'warning');
    return;
  }
  ctx.report('appspec-hook-traffic', node, `${name} runs only if the deployment group has a load balancer`, 'or in blue/green deployments; otherwise it is skipped');
}

/** Hooks run in lifecycle order whatever order the file lists them in; one note at the first one out of place. */
function reportOrder(ctx: CheckContext, listed: ReadonlyArray<{ name: string; node: Node }>): void {
  const rank = (name: string) => (HOOK_ORDER as readonly string[]).indexOf(name);
  for (let k = 1; k < listed.length; k++) {
    const previous = listed[k - 1];
    const current = listed[k];
    if (previous === undefined || current === undefined || rank(current.name) > rank(previous.name)) continue;
    ctx.report('appspec-hook-order', current.node, `${current.name} is listed after ${previous.name} but runs before it`, `hooks run in lifecycle order, not file order: ${ORDER_TEXT}`);
    return;
  }
}

function checkEntries(ctx: CheckContext, name: string, hook: Pair<unknown, Node | null>, os: AppSpecOs | undefined): HookScript[] {
  const value = hook.value;
  if (value === null || (isScalarNode(value) && (value.value === null || value.value === '')) || (isList(value) && value.items.length === 0)) {
    ctx.report('appspec-hook-empty', hook.key as Node, `${name} lists no scripts, so nothing runs there`, 'add - location: scripts/….sh under it, or remove it');
    return [];
  }
  if (!isList(value)) {
    const fix = isMapping(value) ? 'put "- " before location' : 'write it as a list: - location: scripts/….sh';
    ctx.report('appspec-structure', value, `${name} must be a list of scripts, not ${written(value)}`, fix);
    return [];
  }
  const scripts: HookScript[] = [];
  let total = 0;
  for (const item of value.items as Array<Node | null>) {
    if (!isMapping(item)) {
      ctx.report('appspec-structure', item ?? value, `A ${name} entry must be a mapping with location, not ${written(item)}`, 'write - location: scripts/….sh');
      continue;
    }
    const entry = uniquePairs(ctx, item, `in this ${name} entry`);
    for (const [key, field] of entry) {
      if (ENTRY_KEYS.includes(key)) continue;
      const near = closest(key, ENTRY_KEYS);
      ctx.report('appspec-structure', field.key as Node, `Unknown key ${key} in a ${name} entry; the agent ignores it`, near === undefined ? undefined : `did you mean ${near}?`, 'warning');
    }
    const location = entry.get('location');
    const path = isScalarNode(location?.value) && location.value.value !== null ? String(location.value.value).trim() : '';
    if (location === undefined || path === '') {
      ctx.report('appspec-hook-location', location?.value ?? item, `This ${name} entry has no location; the agent rejects the AppSpec`, "location: the script's path in the bundle");
    } else if (location.value !== null) {
      scripts.push({ event: name, location: path, node: location.value });
    }
    total += checkTimeout(ctx, name, entry.get('timeout'));
    checkRunas(ctx, entry.get('runas'), os);
  }
  if (total > MAX_TIMEOUT) {
    ctx.report('appspec-timeout-total', hook.key as Node, `The timeouts of ${name} add up to ${total} s; an event may run ${MAX_TIMEOUT} s`, 'lower them, or move a script to another hook');
  }
  return scripts;
}

/** Checks one timeout; returns it (0 when absent or invalid) for the event's total. */
function checkTimeout(ctx: CheckContext, name: string, pair: Pair<unknown, Node | null> | undefined): number {
  if (pair === undefined) return 0;
  const node = pair.value;
  const raw = isScalarNode(node) ? node.value : undefined;
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    ctx.report('appspec-timeout', node ?? pair.key as Node, `timeout must be whole seconds from 1 to ${MAX_TIMEOUT}, not ${written(node)}`, 'the agent rejects any other value');
    return 0;
  }
  if (seconds > MAX_TIMEOUT) {
    ctx.report('appspec-timeout', node, `timeout ${seconds} is over the ${MAX_TIMEOUT} s a ${name} event may run`, `use ${MAX_TIMEOUT} or less: CodeDeploy fails the event then anyway`);
    return seconds;
  }
  return seconds;
}

function checkRunas(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined, os: AppSpecOs | undefined): void {
  if (pair === undefined) return;
  if (os === 'windows') {
    ctx.report('appspec-runas', pair.key as Node, 'runas is ignored on Windows: scripts run as the agent', undefined, 'warning');
    return;
  }
  const user = stringValue(pair.value);
  if (user === undefined || !/^[a-z_][a-z0-9_.-]*\$?$/i.test(user)) {
    ctx.report('appspec-runas', pair.value ?? pair.key as Node, `runas must be one Linux user name, not ${written(pair.value)}`, 'such as ubuntu or ec2-user');
  }
}

