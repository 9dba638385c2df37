import { joinPath, type Bundle } from './bundle.js';
import type { Finding } from './types.js';

/**
 * Where the AppSpec is. The agent reads `appspec.yml` from the root of the unpacked bundle (its Install step also
 * falls back to appspec.yaml, but the hook runner and `aws deploy push` know only appspec.yml), with that exact
 * case. Anything else is the classic "did not find an AppSpec file" failure.
 */

export const APPSPEC_NAME = 'appspec.yml';

/** Folders never searched for a misplaced AppSpec: dependencies and tool state, not the app. */
const SKIPPED_DIRS = new Set(['node_modules', 'vendor', 'target', 'venv', '.venv', '__pycache__']);
const SEARCH_DEPTH = 3;

/** appspec.yaml, AppSpec.yml, appspec.yml.txt, appspec.json, appspec: names people give it. */
const LOOKALIKE = /^app[-_ ]?spec(?:\.(?:ya?ml|json))?(?:\.\w+)?$/i;

export interface Located {
  /** The file to read, relative to the root (possibly misnamed: its content is still worth checking). */
  path: string | undefined;
  findings: Finding[];
}

function isFile(bundle: Bundle, path: string): boolean {
  return bundle.stat(path)?.type === 'file';
}

/** appspec.yml files (any case) below the root, nearest first. */
function nested(bundle: Bundle, dir = '', depth = 1): string[] {
  if (depth > SEARCH_DEPTH) return [];
  const found: string[] = [];
  const subdirs: string[] = [];
  for (const name of bundle.list(dir) ?? []) {
    const path = joinPath(dir, name);
    if (depth > 1 && /^appspec\.ya?ml$/i.test(name) && isFile(bundle, path)) found.push(path);
    else if (!name.startsWith('.') && !SKIPPED_DIRS.has(name) && bundle.stat(path)?.type === 'directory') subdirs.push(path);
  }
  return [...found, ...subdirs.flatMap((sub) => nested(bundle, sub, depth + 1))];
}

export function locateAppSpec(bundle: Bundle): Located {
  const names = (bundle.list('') ?? []).filter((name) => isFile(bundle, name));
  const lookalikes = names.filter((name) => name !== APPSPEC_NAME && LOOKALIKE.test(name));
  if (names.includes(APPSPEC_NAME)) {
    return {
      path: APPSPEC_NAME,
      findings: lookalikes.map((name) => ({
        rule: 'appspec-file-name',
        severity: 'warning',
        file: name,
        message: `${name} is ignored: the agent reads appspec.yml`,
        fix: `delete ${name} so nobody edits the wrong file`,
      })),
    };
  }
  const misnamed = lookalikes.find((name) => /\.ya?ml$/i.test(name)) ?? lookalikes[0];
  if (misnamed !== undefined) {
    const why =
      misnamed === 'appspec.yaml'
        ? 'the hook runner and `aws deploy push` want appspec.yml'
        : misnamed.toLowerCase() === APPSPEC_NAME
          ? 'names are case-sensitive on the instance'
          : 'the agent looks for appspec.yml';
    return {
      path: misnamed,
      findings: [
        { rule: 'appspec-file-name', severity: 'error', file: misnamed, message: `Wrong name: ${why} ("did not find an AppSpec file")`, fix: `git mv ${misnamed} appspec.yml` },
      ],
    };
  }
  const deeper = nested(bundle);
  if (deeper[0] !== undefined) {
    const folder = deeper[0].slice(0, deeper[0].lastIndexOf('/'));
    return {
      path: undefined,
      findings: [
        {
          rule: 'appspec-not-at-root',
          severity: 'error',
          file: deeper[0],
          message: `appspec.yml is in ${folder}/, not at the bundle root`,
          fix: `bundle that folder (cd-wizard lint ${folder}), or move appspec.yml up`,
        },
      ],
    };
  }
  return {
    path: undefined,
    findings: [
      {
        rule: 'appspec-missing',
        severity: 'error',
        file: '.',
        message: 'No appspec.yml here: a deployment fails with "did not find an AppSpec file"',
        fix: 'cd-wizard init writes one',
      },
    ],
  };
}
