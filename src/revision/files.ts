import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Which files go into a revision bundle: every file under the bundle root except what the ignore file
 * (`.cd-wizardignore`, gitignore syntax) and the defaults leave out. The defaults are only version-control folders
 * and operating-system litter, never build output or node_modules: an app may need those on the instance, so
 * leaving them out is the user's call, written in the ignore file.
 */

export const IGNORE_FILE = '.cd-wizardignore';

/** Left out of every bundle. `__MACOSX/` (Finder's zip litter) is there because it hides the AppSpec from the agent. */
export const DEFAULT_IGNORES: readonly string[] = ['.git/', '.hg/', '.svn/', '.DS_Store', 'Thumbs.db', '__MACOSX/', IGNORE_FILE];

export interface BundleFile {
  /** Relative to the bundle root, forward slashes: the path inside the zip. */
  path: string;
  absolute: string;
  size: number;
  /** Permission bits (0o777): an executable hook script stays executable in the zip. */
  mode: number;
  mtime: Date;
}

export interface BundleList {
  root: string;
  /** In byte order of their paths, so the same tree always gives the same zip. */
  files: BundleFile[];
  totalBytes: number;
  /** Files and folders left out by the ignore rules (folders count once). */
  ignored: number;
  /** The ignore file read, if there is one. */
  ignoreFile?: string;
  /** Entries that cannot go into a zip (sockets, links to folders, unreadable ones), with why. */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * The rules: the defaults and `extra` (paths the caller knows are not the app's, like the answers file), then the
 * user's file (its `!pattern` lines can bring back what an earlier line left out).
 */
export function ignoreRules(userRules: string | undefined, extra: readonly string[] = []): Ignore {
  const rules = ignore().add([...DEFAULT_IGNORES, ...extra]);
  if (userRules !== undefined) rules.add(userRules);
  return rules;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function listBundleFiles(root: string, extra: readonly string[] = []): BundleList {
  let userRules: string | undefined;
  try {
    userRules = readFileSync(join(root, IGNORE_FILE), 'utf8');
  } catch {
    userRules = undefined;
  }
  const rules = ignoreRules(userRules, extra);
  const list: BundleList = { root, files: [], totalBytes: 0, ignored: 0, skipped: [], ...(userRules === undefined ? {} : { ignoreFile: IGNORE_FILE }) };
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => byteOrder(a.name, b.name))) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const absolute = join(root, path);
      let stats;
      try {
        // Links are followed to what they point at (as zip tools do); a link to a folder is left out (it may loop).
        stats = statSync(absolute);
      } catch (error) {
        list.skipped.push({ path, reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      if (stats.isDirectory()) {
        if (rules.ignores(`${path}/`)) list.ignored += 1;
        else if (entry.isSymbolicLink()) list.skipped.push({ path, reason: 'a link to a folder' });
        else walk(path);
      } else if (!stats.isFile()) {
        list.skipped.push({ path, reason: 'not a regular file' });
      } else if (rules.ignores(path)) {
        list.ignored += 1;
      } else {
        list.files.push({ path, absolute, size: stats.size, mode: stats.mode & 0o777, mtime: stats.mtime });
        list.totalBytes += stats.size;
      }
    }
  };
  walk('');
  return list;
}

/** A short hash of what the bundle holds (paths, sizes, modes, times): the same tree gives the same key suffix. */
export function treeHash(list: BundleList, length = 8): string {
  const hash = createHash('sha256');
  for (const file of list.files) hash.update(`${file.path}\0${file.size}\0${file.mode}\0${file.mtime.getTime()}\n`);
  return hash.digest('hex').slice(0, length);
}
