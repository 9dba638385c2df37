import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlannedFile } from '../../scaffold/types.js';

/** What init will do with each file, decided before anything is written; then the writing itself. */

export type DiskState = 'new' | 'same' | 'differs' | 'blocked';

export interface FilePlan extends PlannedFile {
  disk: DiskState;
}

export type Outcome = 'created' | 'overwritten' | 'unchanged' | 'kept';

export function compareWithDisk(dir: string, files: readonly PlannedFile[]): FilePlan[] {
  return files.map((file) => {
    const path = join(dir, file.path);
    let disk: DiskState = 'new';
    try {
      const stats = statSync(path);
      if (!stats.isFile()) disk = 'blocked';
      else disk = readFileSync(path, 'utf8') === file.content && (process.platform === 'win32' || (stats.mode & 0o777) === file.mode) ? 'same' : 'differs';
    } catch {
      disk = 'new';
    }
    return { ...file, disk };
  });
}

/** Writes one file atomically (temp file + rename) with exactly its mode, creating folders as needed. */
export function writePlanned(dir: string, file: PlannedFile): void {
  const path = join(dir, file.path);
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, file.content, { mode: file.mode });
  chmodSync(temp, file.mode);
  renameSync(temp, path);
}

export const modeText = (mode: number) => mode.toString(8).padStart(4, '0');
