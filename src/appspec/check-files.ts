import type { Node, Pair } from 'yaml';
import { caseVariant, pathParts } from './bundle.js';
import type { AppSpecOs, CheckContext } from './context.js';
import { closest } from './spelling.js';
import { uniquePairs } from './check-top.js';
import { isEmpty, isList, isMapping, isScalarNode, stringValue, written } from './yaml-doc.js';

/**
 * The files section (what Install copies where) and the permissions section (Linux only; ownership and modes of
 * what this deployment installed).
 */

const FILE_KEYS = ['source', 'destination'];
const PERMISSION_KEYS = ['object', 'pattern', 'except', 'owner', 'group', 'mode', 'acls', 'context', 'type'];
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

function basename(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
}

/** Returns the destinations (for the permissions check). */
export function checkFiles(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined, os: AppSpecOs | undefined): string[] {
  if (pair === undefined || isEmpty(pair.value)) return [];
  if (!isList(pair.value)) {
    ctx.report('appspec-structure', pair.value, `files must be a list of entries, not ${written(pair.value)}`, 'write - source: / and destination: /path under files');
    return [];
  }
  const destinations: string[] = [];
  for (const item of pair.value.items as Array<Node | null>) {
    if (!isMapping(item)) {
      ctx.report('appspec-structure', item ?? pair.value, `A files entry must have source and destination, not ${written(item)}`);
      continue;
    }
    const entry = uniquePairs(ctx, item, 'in this files entry');
    for (const [key, field] of entry) {
      if (FILE_KEYS.includes(key)) continue;
      const near = closest(key, FILE_KEYS);
      if (key === 'overwrite') {
        ctx.report('appspec-structure', field.key as Node, 'The agent ignores overwrite in a files entry', 'use file_exists_behavior: OVERWRITE at the top level', 'warning');
      } else if (key === 'file_exists_behavior') {
        ctx.report('appspec-structure', field.key as Node, 'file_exists_behavior is ignored inside a files entry', 'move it to the top level', 'warning');
      } else {
        ctx.report('appspec-structure', field.key as Node, `Unknown key ${key} in a files entry; the agent ignores it`, near === undefined ? undefined : `did you mean ${near}?`, 'warning');
      }
    }
    const source = entry.get('source');
    const destination = entry.get('destination');
    if (source === undefined || destination === undefined) {
      ctx.report('appspec-structure', item, `This files entry has no ${source === undefined ? 'source' : 'destination'}; the agent rejects the AppSpec`);
    }
    const sourceType = source === undefined ? undefined : checkSource(ctx, source, os);
    if (destination !== undefined) {
      const path = checkDestination(ctx, destination, os);
      if (path !== undefined) {
        destinations.push(path);
        const from = stringValue(source?.value);
        if (sourceType === 'file' && from !== undefined && basename(from) === basename(path)) {
          const folder = path.slice(0, path.length - basename(path).length).replace(/\/+$/, '') || '/';
          ctx.report(
            'appspec-files-destination',
            destination.value,
            `A file is copied into the destination folder: this makes ${path.replace(/\/+$/, '')}/${basename(from)}`,
            `use the folder as the destination: ${folder}`,
            'warning',
          );
        }
      }
    }
  }
  return destinations;
}

function checkSource(ctx: CheckContext, pair: Pair<unknown, Node | null>, os: AppSpecOs | undefined): 'file' | 'directory' | undefined {
  const value = stringValue(pair.value);
  if (value === undefined || value.trim() === '') {
    ctx.report('appspec-files-source', pair.value ?? pair.key as Node, `source must be a path in the bundle (/ for all of it), not ${written(pair.value)}`);
    return undefined;
  }
  if (os !== 'windows' && value.includes('\\')) {
    ctx.report('appspec-files-source', pair.value, `source ${value} uses backslashes, which Linux reads as part of a name`, `write ${value.replace(/\\/g, '/')}`);
    return undefined;
  }
  const parts = pathParts(value.replace(/\\/g, '/'));
  if (parts.includes('..')) {
    ctx.report('appspec-files-source', pair.value, `source ${value} points outside the bundle`, 'sources are relative to the bundle root');
    return undefined;
  }
  if (parts.length === 0) return 'directory';
  const path = parts.join('/');
  const entry = ctx.bundle.stat(path);
  if (entry !== undefined) return entry.type === 'directory' ? 'directory' : 'file';
  const variant = caseVariant(ctx.bundle, path);
  if (variant !== undefined) {
    ctx.report('appspec-files-source', pair.value, `source ${value} is not in the bundle; ${variant} differs in case`, `write ${variant}: names are case-sensitive on the instance`);
  } else {
    ctx.report('appspec-files-source', pair.value, `source ${value} is not in the bundle, so Install fails`, 'build it first, or fix the path (relative to the bundle root)');
  }
  return undefined;
}

function checkDestination(ctx: CheckContext, pair: Pair<unknown, Node | null>, os: AppSpecOs | undefined): string | undefined {
  const value = stringValue(pair.value);
  if (value === undefined || value.trim() === '') {
    ctx.report('appspec-files-destination', pair.value ?? pair.key as Node, `destination must be an absolute path on the instance, not ${written(pair.value)}`);
    return undefined;
  }
  if (os === 'windows') {
    if (WINDOWS_ABSOLUTE.test(value)) return value;
    ctx.report('appspec-files-destination', pair.value, `destination ${value} is not an absolute Windows path`, 'write it like C:\\inetpub\\app');
    return undefined;
  }
  if (WINDOWS_ABSOLUTE.test(value) || value.includes('\\')) {
    ctx.report('appspec-files-destination', pair.value, `destination ${value} is a Windows path, but os is ${os ?? 'linux'}`, 'write a Linux path such as /var/www/app');
    return undefined;
  }
  if (!value.startsWith('/')) {
    ctx.report('appspec-files-destination', pair.value, `destination ${value} is not an absolute path`, `start it with /, for example /${value.replace(/^\.?\/*/, '')}`);
    return undefined;
  }
  return value;
}

/** Whether one path is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  const clean = (path: string) => path.replace(/\/+$/, '') || '/';
  const [x, y] = [clean(a), clean(b)];
  const inside = (inner: string, outer: string) => inner === outer || outer === '/' || inner.startsWith(`${outer}/`);
  return inside(x, y) || inside(y, x);
}

export function checkPermissions(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined, os: AppSpecOs | undefined, destinations: readonly string[]): void {
  if (pair === undefined || isEmpty(pair.value)) return;
  if (os === 'windows') {
    ctx.report('appspec-permissions', pair.key as Node, 'permissions are Linux-only; the agent rejects them on Windows', 'remove the section');
    return;
  }
  if (!isList(pair.value)) {
    ctx.report('appspec-permissions', pair.value, `permissions must be a list of entries, not ${written(pair.value)}`, 'write - object: /path under permissions');
    return;
  }
  for (const item of pair.value.items as Array<Node | null>) {
    if (!isMapping(item)) {
      ctx.report('appspec-permissions', item ?? pair.value, `A permissions entry must be a mapping with object, not ${written(item)}`);
      continue;
    }
    const entry = uniquePairs(ctx, item, 'in this permissions entry');
    for (const [key, field] of entry) {
      if (PERMISSION_KEYS.includes(key)) continue;
      const near = closest(key, PERMISSION_KEYS);
      ctx.report('appspec-permissions', field.key as Node, `Unknown key ${key} in a permissions entry; the agent ignores it`, near === undefined ? undefined : `did you mean ${near}?`, 'warning');
    }
    const object = stringValue(entry.get('object')?.value);
    if (object === undefined || object.trim() === '') {
      ctx.report('appspec-permissions', entry.get('object')?.value ?? item, 'This permissions entry has no object; the agent rejects the AppSpec', 'object: the path it applies to');
    } else if (!object.startsWith('/')) {
      ctx.report('appspec-permissions', entry.get('object')?.value, `object ${object} is not an absolute path`, 'name the installed path, such as /var/www/app');
    } else if (destinations.length > 0 && !destinations.some((destination) => overlaps(object, destination))) {
      ctx.report('appspec-permissions', entry.get('object')?.value, `object ${object} is not under any files destination, so this entry changes nothing`, 'permissions apply only to what this deployment installs', 'warning');
    }
    checkMode(ctx, entry.get('mode'));
    const type = entry.get('type');
    if (type !== undefined && !isEmpty(type.value)) {
      const values = isList(type.value) ? (type.value.items as Array<Node | null>) : undefined;
      if (values === undefined) {
        ctx.report('appspec-permissions', type.value, `type must be a list (- file, - directory), not ${written(type.value)}`);
      } else {
        for (const value of values) {
          const text = stringValue(value);
          if (text !== 'file' && text !== 'directory') ctx.report('appspec-permissions', value ?? type.value, `type entries are file or directory, not ${written(value)}`);
        }
      }
    }
    const except = entry.get('except');
    if (except !== undefined && !isEmpty(except.value) && !isList(except.value)) {
      ctx.report('appspec-permissions', except.value, `except must be a list of patterns, not ${written(except.value)}`);
    }
  }
}

function checkMode(ctx: CheckContext, pair: Pair<unknown, Node | null> | undefined): void {
  if (pair === undefined || pair.value === null || isEmpty(pair.value)) return;
  const node = pair.value;
  if (!isScalarNode(node)) {
    ctx.report('appspec-permissions', node, `mode must be octal digits such as 644 or "0755", not ${written(node)}`);
    return;
  }
  const source = (node as { source?: string }).source ?? String(node.value);
  if (node.type === 'PLAIN' && typeof node.value === 'number' && /^0\d+$/.test(source)) {
    ctx.report(
      'appspec-permissions',
      node,
      `mode ${source} unquoted is the octal number ${node.value} to the agent, not ${source}`,
      `write mode: ${source.replace(/^0+(?=\d{3})/, '')} or mode: "${source}"`,
    );
    return;
  }
  const digits = typeof node.value === 'number' ? String(node.value) : String(node.value ?? '');
  if (!/^[0-7]{1,4}$/.test(digits)) {
    ctx.report('appspec-permissions', node, `mode must be one to four octal digits (0-7), not ${written(node)}`, 'such as 644 or "0755"');
  }
}
