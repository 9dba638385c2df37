import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A revision bundle as lint sees it: a tree of files addressed by paths relative to its root, with the exact
 * case the instance will see (Linux file names are case-sensitive even when the disk lint runs on is not).
 * A directory on disk is one implementation; tests use an in-memory one.
 */

export interface BundleEntry {
  type: 'file' | 'directory' | 'other';
  /** Permission bits (0o7777); undefined where the platform has none (Windows). */
  mode: number | undefined;
  size: number;
}

export interface Bundle {
  /** Names in a directory ('' is the root), exactly as stored; undefined when it is not a directory. */
  list(dir: string): string[] | undefined;
  /** The entry at a path whose every part matches in case; undefined when there is none. */
  stat(path: string): BundleEntry | undefined;
  /** The file's bytes (up to `limit`); undefined when it is not a readable file. */
  read(path: string, limit?: number): Buffer | undefined;
}

/** Splits a bundle-relative path into its parts: forward slashes, no leading slash, no "." parts. */
export function pathParts(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/** Joins bundle path parts. */
export function joinPath(...parts: string[]): string {
  return parts.flatMap(pathParts).join('/');
}

/**
 * The closest existing spelling of a path that differs only in case ("Scripts/Start.sh" for "scripts/start.sh"),
 * or undefined.
 */
export function caseVariant(bundle: Bundle, path: string): string | undefined {
  const found: string[] = [];
  for (const part of pathParts(path)) {
    const names = bundle.list(found.join('/'));
    const match = names?.find((name) => name.toLowerCase() === part.toLowerCase());
    if (match === undefined) return undefined;
    found.push(match);
  }
  const variant = found.join('/');
  return variant === pathParts(path).join('/') ? undefined : variant;
}

/** A directory on disk. Listings are cached: a bundle is read once per lint. */
export function directoryBundle(root: string): Bundle {
  const listings = new Map<string, string[] | undefined>();
  const list = (dir: string): string[] | undefined => {
    const key = pathParts(dir).join('/');
    if (!listings.has(key)) {
      try {
        listings.set(key, readdirSync(join(root, key)).sort());
      } catch {
        listings.set(key, undefined);
      }
    }
    return listings.get(key);
  };
  // Every part must be listed in its parent with this exact case.
  const exists = (path: string): boolean => {
    const parts = pathParts(path);
    return parts.every((part, index) => list(parts.slice(0, index).join('/'))?.includes(part) ?? false);
  };
  return {
    list,
    stat(path) {
      if (!exists(path)) return undefined;
      try {
        const stats = statSync(join(root, ...pathParts(path)));
        return {
          type: stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other',
          mode: process.platform === 'win32' ? undefined : stats.mode & 0o7777,
          size: stats.size,
        };
      } catch {
        return undefined;
      }
    },
    read(path, limit) {
      if (!exists(path)) return undefined;
      try {
        const bytes = readFileSync(join(root, ...pathParts(path)));
        return limit === undefined ? bytes : bytes.subarray(0, limit);
      } catch {
        return undefined;
      }
    },
  };
}

/** An in-memory bundle: `{ 'appspec.yml': 'text', 'scripts/start.sh': { text, mode: 0o755 } }`. */
export function memoryBundle(files: Record<string, string | { text: string | Buffer; mode?: number }>): Bundle {
  const entries = new Map<string, { bytes: Buffer; mode: number }>();
  const dirs = new Map<string, Set<string>>([['', new Set()]]);
  for (const [path, spec] of Object.entries(files)) {
    const parts = pathParts(path);
    const bytes = typeof spec === 'string' ? Buffer.from(spec) : Buffer.from(spec.text);
    entries.set(parts.join('/'), { bytes, mode: typeof spec === 'string' ? 0o644 : (spec.mode ?? 0o644) });
    for (let index = 0; index < parts.length; index++) {
      const dir = parts.slice(0, index).join('/');
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)?.add(parts[index] ?? '');
    }
  }
  return {
    list: (dir) => {
      const names = dirs.get(pathParts(dir).join('/'));
      return names === undefined ? undefined : [...names].sort();
    },
    stat(path) {
      const key = pathParts(path).join('/');
      const file = entries.get(key);
      if (file) return { type: 'file', mode: file.mode, size: file.bytes.length };
      return dirs.has(key) ? { type: 'directory', mode: 0o755, size: 0 } : undefined;
    },
    read(path, limit) {
      const bytes = entries.get(pathParts(path).join('/'))?.bytes;
      return bytes === undefined || limit === undefined ? bytes : bytes.subarray(0, limit);
    },
  };
}
