import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { inputsDigest, stampedDigest } from '../../../scripts/build-inputs.mjs';

const digest = inputsDigest as (root: string) => string;
const stamped = stampedDigest as (dist: string) => string | undefined;

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project(): string {
  root = mkdtempSync(join(tmpdir(), 'cdw-stamp-'));
  mkdirSync(join(root, 'src', 'ui'), { recursive: true });
  mkdirSync(join(root, 'content'));
  writeFileSync(join(root, 'src', 'main.ts'), 'export {};\n');
  writeFileSync(join(root, 'src', 'ui', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'content', 'x.md'), '# X\n');
  writeFileSync(join(root, 'package.json'), '{"version":"1.0.0"}\n');
  return root;
}

// `npm start` skips the build when this digest equals the one stamped into dist/: it must change with every input.
describe('the build inputs digest (npm start rebuilds only when it changes)', () => {
  it('changes when a source, an article or package.json changes, or a file is added or removed', () => {
    const dir = project();
    const before = digest(dir);
    expect(digest(dir)).toBe(before);
    const edits: [string, () => void][] = [
      ['a source file', () => writeFileSync(join(dir, 'src', 'ui', 'a.ts'), 'export const a = 2;\n')],
      ['an article', () => writeFileSync(join(dir, 'content', 'x.md'), '# Y\n')],
      ['package.json', () => writeFileSync(join(dir, 'package.json'), '{"version":"1.0.1"}\n')],
      ['a new file', () => writeFileSync(join(dir, 'src', 'new.ts'), '')],
      ['a removed file', () => rmSync(join(dir, 'src', 'new.ts'))],
      ['a moved file', () => {
        mkdirSync(join(dir, 'src', 'kb'));
        writeFileSync(join(dir, 'src', 'kb', 'a.ts'), 'export const a = 2;\n');
        rmSync(join(dir, 'src', 'ui', 'a.ts'));
      }],
    ];
    let previous = before;
    for (const [what, edit] of edits) {
      edit();
      const now = digest(dir);
      expect(now, `after changing ${what}`).not.toBe(previous);
      previous = now;
    }
  });

  it('does not change when only modification times change (a checkout or a copy)', () => {
    const dir = project();
    const before = digest(dir);
    utimesSync(join(dir, 'src', 'main.ts'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(digest(dir)).toBe(before);
  });

  it('reads no stamp from a dist/ that has none', () => {
    const dir = project();
    expect(stamped(join(dir, 'dist'))).toBeUndefined();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'build-stamp.json'), JSON.stringify({ inputs: 'abc' }));
    expect(stamped(join(dir, 'dist'))).toBe('abc');
  });
});
