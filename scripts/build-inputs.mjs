// What dist/ is built from, and one digest of all of it. The build stamps the digest into dist/; `npm start`
// (scripts/build.mjs --if-stale) rebuilds only when the digest of the files now differs from the stamp.
// A content digest rather than modification times: a checkout, a stash or a copy changes times without changing
// what is built, and an edit undone within the same second keeps them; reading ~2 MB costs ~10 ms.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders and files whose content decides dist/ (the lockfile stands for the bundled dependencies). */
const INPUT_DIRS = ['src', 'content'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/build-inputs.mjs', 'scripts/gen-ids.mjs', 'scripts/sdk-schemas.mjs'];
/** Generated from content/ by the build itself (scripts/gen-ids.mjs): content/ already stands for it. */
const DERIVED = new Set(['src/kb/generated']);

export const STAMP_FILE = 'build-stamp.json';

function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []));
}

/** sha256 over every input's path and content, in a fixed order. */
export function inputsDigest(root) {
  const derived = [...DERIVED].map((dir) => join(root, dir));
  const inputs = INPUT_DIRS.flatMap((dir) => filesUnder(join(root, dir))).filter((path) => !derived.some((dir) => path.startsWith(`${dir}/`)));
  const files = [...inputs, ...INPUT_FILES.map((file) => join(root, file))];
  const hash = createHash('sha256');
  for (const file of files.map((path) => relative(root, path).split('\\').join('/')).sort()) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
      hash.update('\0missing');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The digest the build that produced `dist` stamped, or undefined when there is none (no build, an old build). */
export function stampedDigest(dist) {
  try {
    return JSON.parse(readFileSync(join(dist, STAMP_FILE), 'utf8')).inputs;
  } catch {
    return undefined;
  }
}
