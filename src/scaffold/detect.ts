import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AppKind } from './types.js';

/**
 * Good defaults from what is in the folder: which kind of app it looks like, its name, how it starts, where a
 * static site is built, the compose file and the Git branch. Only defaults: every one can be overridden, and
 * nothing here is guessed silently without a terminal (the kind must then be given).
 */

export interface Detected {
  kind: AppKind | undefined;
  /** Why that kind, in words ("package.json"). */
  evidence: string | undefined;
  name: string;
  startCommands: Partial<Record<AppKind, string>>;
  staticSource: string;
  composeFile: string;
  branch: string;
  hasPackageJson: boolean;
}

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const SITE_FOLDERS = ['public', 'dist', 'build', '_site', 'out', 'site', 'www'];

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A name usable for a service and a user: lowercase, safe characters, from a package name or folder. */
export function suggestName(raw: string): string {
  const cleaned = raw
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[-.]+$/g, '')
    .slice(0, 32);
  return /^[a-z_]/.test(cleaned) ? cleaned : cleaned === '' ? 'app' : `app-${cleaned}`;
}

/** The checked-out branch, from .git/HEAD (or a worktree's gitdir); main when there is none. */
function gitBranch(dir: string): string {
  try {
    let gitDir = join(dir, '.git');
    if (!isDir(gitDir)) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1];
      if (pointer === undefined) return 'main';
      gitDir = resolve(dir, pointer.trim());
    }
    return /^ref: refs\/heads\/(.+)$/m.exec(readFileSync(join(gitDir, 'HEAD'), 'utf8'))?.[1]?.trim() ?? 'main';
  } catch {
    return 'main';
  }
}

function nodeStart(dir: string, pkg: Record<string, unknown> | undefined): string {
  const scripts = pkg?.scripts as Record<string, unknown> | undefined;
  if (typeof scripts?.start === 'string') return 'npm start';
  if (typeof pkg?.main === 'string') return `node ${pkg.main}`;
  const entry = ['server.js', 'app.js', 'index.js', 'main.js'].find((file) => existsSync(join(dir, file)));
  return entry === undefined ? 'npm start' : `node ${entry}`;
}

function javaStart(dir: string): string {
  const jar = readdirSync(dir).find((file) => file.endsWith('.jar'));
  return `java -jar ${jar ?? 'app.jar'}`;
}

function pythonStart(dir: string): string {
  const entry = ['app.py', 'main.py', 'server.py'].find((file) => existsSync(join(dir, file)));
  return `python3 ${entry ?? 'app.py'}`;
}

export function detect(dir: string): Detected {
  const has = (file: string) => existsSync(join(dir, file));
  const pkg = has('package.json') ? readJson(join(dir, 'package.json')) : undefined;
  const composeFile = COMPOSE_FILES.find(has);
  const site = SITE_FOLDERS.find((folder) => has(join(folder, 'index.html'))) ?? SITE_FOLDERS.find((folder) => isDir(join(dir, folder)));
  const clues: Array<[AppKind, string | undefined]> = [
    ['docker-compose', composeFile],
    ['java', ['pom.xml', 'build.gradle', 'build.gradle.kts'].find(has)],
    ['node', pkg !== undefined ? 'package.json' : undefined],
    ['python', ['requirements.txt', 'pyproject.toml', 'setup.py'].find(has)],
    ['static', has('index.html') ? 'index.html' : site !== undefined && has(join(site, 'index.html')) ? `${site}/index.html` : undefined],
  ];
  const found = clues.find(([, evidence]) => evidence !== undefined);
  return {
    kind: found?.[0],
    evidence: found?.[1],
    name: suggestName(typeof pkg?.name === 'string' ? pkg.name : basename(resolve(dir))),
    startCommands: { node: nodeStart(dir, pkg), java: javaStart(dir), python: pythonStart(dir) },
    staticSource: site ?? 'public',
    composeFile: composeFile ?? 'compose.yaml',
    branch: gitBranch(dir),
    hasPackageJson: pkg !== undefined,
  };
}
