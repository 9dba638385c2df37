import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, CORPUS_KINDS, NO_CAUSE, corpusCauseIds, countTables, loadCorpus, readCorpusFiles } from '../../corpus/corpus.js';

// The corpus's shape only: whether the diagnosis names the expected cause is measured elsewhere (per-cause tests, bench).
const FIELDS = ['id', 'source', 'kind', 'expected', 'text', 'note'];
const MIN_TEXTS = 150;
const MIN_PER_CAUSE = 3;
const MIN_LOOKALIKES = 30;

const causes = corpusCauseIds();
const entries = loadCorpus();

/** A source is where the machine output was seen: an https URL, or one of the team's field notes (`seed:<file>`). */
function isSource(value: string): boolean {
  if (/^seed:[\w.-]+\.txt$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.');
  } catch {
    return false;
  }
}

describe('the real-world corpus (test/corpus)', () => {
  it.each(readCorpusFiles())('$file is a YAML list of entries with exactly the agreed fields', ({ data }) => {
    expect(Array.isArray(data)).toBe(true);
    for (const entry of data as Array<Record<string, unknown>>) {
      expect(Object.keys(entry).sort(), JSON.stringify(entry).slice(0, 120)).toEqual([...FIELDS].sort());
      for (const field of FIELDS) expect(typeof entry[field], `${String(entry.id)}.${field}`).toBe('string');
    }
  });

  it('ids are unique, stable kebab-case', () => {
    const seen = new Set<string>();
    for (const { id } of entries) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(seen.has(id), `duplicate id ${id}`).toBe(false);
      seen.add(id);
    }
  });

  it('every entry names its source, a known kind and a known cause (or none)', () => {
    const known = new Set([...causes, NO_CAUSE]);
    for (const entry of entries) {
      expect(isSource(entry.source), `${entry.id}: source ${entry.source}`).toBe(true);
      expect(CORPUS_KINDS, `${entry.id}: kind`).toContain(entry.kind);
      expect(known.has(entry.expected), `${entry.id}: expected ${entry.expected}`).toBe(true);
    }
  });

  it('texts are non-empty and notes are one line', () => {
    for (const entry of entries) {
      expect(entry.text.trim().length, entry.id).toBeGreaterThan(0);
      expect(entry.note.trim().length, entry.id).toBeGreaterThan(0);
      expect(entry.note.includes('\n'), `${entry.id}: note spans lines`).toBe(false);
    }
  });

  it('the catalogue copy lists each cause once', () => {
    expect(new Set(causes).size).toBe(causes.length);
    for (const id of causes) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it(`covers every cause with at least ${MIN_PER_CAUSE} texts, has ${MIN_LOOKALIKES}+ look-alikes and ${MIN_TEXTS}+ texts`, () => {
    const thin = causes.filter((id) => entries.filter((entry) => entry.expected === id).length < MIN_PER_CAUSE);
    expect(thin, 'causes with too few texts').toEqual([]);
    expect(entries.filter((entry) => entry.expected === NO_CAUSE).length).toBeGreaterThanOrEqual(MIN_LOOKALIKES);
    expect(entries.length).toBeGreaterThanOrEqual(MIN_TEXTS);
  });

  it('README.md shows the current counts', () => {
    const readme = readFileSync(join(CORPUS_DIR, 'README.md'), 'utf8');
    const table = /<!-- counts:start -->\n([\s\S]*?)\n<!-- counts:end -->/.exec(readme)?.[1];
    // On failure, paste the expected table between the markers.
    expect(table).toBe(countTables(entries, causes));
  });
});
