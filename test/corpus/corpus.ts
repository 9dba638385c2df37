/**
 * Loads the real-world corpus (test/corpus/*.yml) for tests and benchmarks.
 *
 * Every entry is a text a user could paste into `cd-wizard fix --message` / `--log`, the source it was seen at,
 * and the one cause a user should fix first (or `none` for a look-alike). README.md in this folder has the rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const CORPUS_DIR = import.meta.dirname;

/** How the text reached the user: the agent's log, a deployment's script log, the console, a CLI, a CI job, an API error, or a description in our words around a quote. */
export const CORPUS_KINDS = ['agent-log', 'deploy-log', 'console', 'cli', 'ci-log', 'api-error', 'narrative'] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** The value of `expected` for texts that must not be claimed by any cause. */
export const NO_CAUSE = 'none';

export interface CorpusEntry {
  id: string;
  source: string;
  kind: CorpusKind;
  expected: string;
  text: string;
  note: string;
  /** The YAML file the entry came from (added by the loader). */
  file: string;
}

/** The files holding entries; causes.yml is the catalogue, not entries. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.yml') && name !== 'causes.yml')
    .sort();
}

/** Each file's parsed YAML, unvalidated (the format test checks the shape). */
export function readCorpusFiles(): Array<{ file: string; data: unknown }> {
  return corpusFiles().map((file) => ({ file, data: parseYaml(readFileSync(join(CORPUS_DIR, file), 'utf8')) as unknown }));
}

/** Every entry, with the file it came from. Assumes the shape the format test enforces. */
export function loadCorpus(): CorpusEntry[] {
  return readCorpusFiles().flatMap(({ file, data }) => (data as Array<Omit<CorpusEntry, 'file'>>).map((entry) => ({ ...entry, file })));
}

/** The agreed cause ids the corpus labels with (a copy of the team's catalogue, kept in causes.yml). */
export function corpusCauseIds(): string[] {
  const data = parseYaml(readFileSync(join(CORPUS_DIR, 'causes.yml'), 'utf8')) as { causes: string[] };
  return data.causes;
}

/** The README's count tables (per cause, per kind), built from the entries so the README cannot drift. */
export function countTables(entries: CorpusEntry[], causes: string[]): string {
  const byCause = new Map<string, Map<CorpusKind, number>>();
  for (const id of [...causes, NO_CAUSE]) byCause.set(id, new Map());
  for (const entry of entries) {
    const row = byCause.get(entry.expected);
    if (row) row.set(entry.kind, (row.get(entry.kind) ?? 0) + 1);
  }
  const header = `| cause | total | ${CORPUS_KINDS.join(' | ')} |`;
  const rule = `|---|---:|${CORPUS_KINDS.map(() => '---:').join('|')}|`;
  const cell = (n: number | undefined): string => (n ? String(n) : '');
  const rows = [...byCause.entries()].map(([id, kinds]) => {
    const total = [...kinds.values()].reduce((sum, n) => sum + n, 0);
    return `| ${id} | ${total} | ${CORPUS_KINDS.map((kind) => cell(kinds.get(kind))).join(' | ')} |`;
  });
  const kindTotals = CORPUS_KINDS.map((kind) => entries.filter((entry) => entry.kind === kind).length);
  const totalRow = `| **all** | **${entries.length}** | ${kindTotals.map((n) => `**${n}**`).join(' | ')} |`;
  return [header, rule, ...rows, totalRow].join('\n');
}
