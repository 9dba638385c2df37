import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../../src/diagnose/engine.js';
import { rulesOf } from '../../../src/doctor/rules.js';
import { NO_CAUSE, loadCorpus } from '../../corpus/corpus.js';
import { sourceKb } from '../../helpers/kb.js';

// The real-world corpus (test/corpus): every text's expected cause comes first; look-alikes stay unclaimed.
// Accuracy figures over the whole corpus are printed by `npm run bench -- accuracy`.
const rules = rulesOf(sourceKb());
const entries = loadCorpus();
const lookalikes = entries.filter((entry) => entry.expected === NO_CAUSE);
const causes = entries.filter((entry) => entry.expected !== NO_CAUSE);

describe.each([...new Set(causes.map((entry) => entry.expected))].sort())('corpus texts for %s', (cause) => {
  it.each(causes.filter((entry) => entry.expected === cause).map((entry) => [entry.id, entry] as const))('%s names it first', (_id, entry) => {
    const { findings } = diagnoseText(rules, entry.text);
    expect(findings.map((finding) => finding.cause)[0], `${entry.kind} from ${entry.source}`).toBe(cause);
  });
});

describe('corpus look-alikes', () => {
  it.each(lookalikes.map((entry) => [entry.id, entry] as const))('%s is left unclaimed', (_id, entry) => {
    expect(diagnoseText(rules, entry.text).findings.map((finding) => finding.cause), entry.note).toEqual([]);
  });
});
