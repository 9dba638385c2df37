import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { readZip } from '../../helpers/zip.js';
import { listBundleFiles, treeHash } from '../../../src/revision/files.js';
import { zipBundle } from '../../../src/revision/zip.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A bundle folder from `{ path: text | [text, mode] }`. */
function tree(files: Record<string, string | [string, number]>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdw-bundle-'));
  dirs.push(root);
  for (const [path, spec] of Object.entries(files)) {
    const [text, mode] = typeof spec === 'string' ? [spec, 0o644] : spec;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), mode);
  }
  return root;
}

const APP = {
  'appspec.yml': 'version: 0.0\nos: linux\n',
  'scripts/start.sh': ['#!/bin/bash\nsystemctl start app\n', 0o755] as [string, number],
  'scripts/stop.sh': ['#!/bin/bash\nsystemctl stop app || true\n', 0o755] as [string, number],
  'dist/index.js': 'console.log(1)\n',
};

describe('which files go into the bundle', () => {
  it('everything but version control and OS litter by default; node_modules and build output stay', () => {
    const root = tree({ ...APP, '.git/HEAD': 'ref', 'sub/.git/config': 'x', '.DS_Store': 'x', '__MACOSX/appspec.yml': 'x', 'node_modules/a/index.js': 'x', 'app.log': 'x' });
    const list = listBundleFiles(root);
    expect(list.files.map((file) => file.path)).toEqual(['app.log', 'appspec.yml', 'dist/index.js', 'node_modules/a/index.js', 'scripts/start.sh', 'scripts/stop.sh']);
    expect(list.ignored).toBe(4);
    expect(list.ignoreFile).toBeUndefined();
  });

  it('.cd-wizardignore in gitignore syntax: folders, globs, negation; the file itself stays out', () => {
    const root = tree({ ...APP, '.cd-wizardignore': 'node_modules/\n*.log\n!keep.log\n/dist/*.map\ntest/\n', 'node_modules/a/index.js': 'x', 'app.log': 'x', 'keep.log': 'x', 'dist/index.js.map': 'x', 'test/a.test.js': 'x', 'src/test/fixture.js': 'x' });
    const list = listBundleFiles(root);
    expect(list.files.map((file) => file.path)).toEqual(['appspec.yml', 'dist/index.js', 'keep.log', 'scripts/start.sh', 'scripts/stop.sh']);
    expect(list.ignoreFile).toBe('.cd-wizardignore');
  });

  it('a link to a file is followed; a link to a folder is left out and said', () => {
    const root = tree(APP);
    symlinkSync(join(root, 'dist'), join(root, 'dist-link'));
    symlinkSync(join(root, 'dist', 'index.js'), join(root, 'main.js'));
    const list = listBundleFiles(root);
    expect(list.files.map((file) => file.path)).toContain('main.js');
    expect(list.skipped).toEqual([{ path: 'dist-link', reason: 'a link to a folder' }]);
  });
});

describe('the zip', () => {
  it('has the AppSpec at its root, the files under their bundle paths, and hook scripts still executable', async () => {
    const root = tree(APP);
    const list = listBundleFiles(root);
    const seen: number[] = [];
    const entries = await readZip(await buffer(zipBundle(list, (progress) => seen.push(progress.read))));
    expect(entries.map((entry) => entry.name)).toEqual(['appspec.yml', 'dist/index.js', 'scripts/start.sh', 'scripts/stop.sh']);
    expect(entries.find((entry) => entry.name === 'appspec.yml')?.text).toBe(APP['appspec.yml']);
    expect(Object.fromEntries(entries.map((entry) => [entry.name, entry.mode.toString(8)]))).toEqual({ 'appspec.yml': '644', 'dist/index.js': '644', 'scripts/start.sh': '755', 'scripts/stop.sh': '755' });
    // Progress counts every source byte, once.
    expect(seen.at(-1)).toBe(list.totalBytes);
  });

  it('is the same bytes for the same tree, and the key hash follows the tree', async () => {
    const root = tree(APP);
    const first = await buffer(zipBundle(listBundleFiles(root)));
    const second = await buffer(zipBundle(listBundleFiles(root)));
    expect(first.equals(second)).toBe(true);
    const hash = treeHash(listBundleFiles(root));
    writeFileSync(join(root, 'dist/index.js'), 'console.log(2)\n');
    expect(treeHash(listBundleFiles(root))).not.toBe(hash);
  });

  it('a file that disappears while bundling fails the stream, naming the file', async () => {
    const root = tree(APP);
    const list = listBundleFiles(root);
    rmSync(join(root, 'scripts/stop.sh'));
    await expect(buffer(zipBundle(list))).rejects.toThrow(/scripts\/stop\.sh/);
  });
});
