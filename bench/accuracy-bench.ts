// Diagnosis accuracy on the real-world corpus (test/corpus): top-1 per source kind, look-alikes left unclaimed,
// and causes with fewer than three texts. A benchmark, not a test: it prints figures next to their targets.
import { compileRules, diagnoseText, type Diagnosis } from '../src/diagnose/engine.js';
import { loadSource } from '../src/kb/source.js';
import { CORPUS_KINDS, NO_CAUSE, loadCorpus, type CorpusEntry } from '../test/corpus/corpus.js';

export interface Outcome {
  entry: CorpusEntry;
  diagnosis: Diagnosis;
  /** The expected cause came first (or, for a look-alike, nothing was claimed). */
  ok: boolean;
}

export function evaluate(contentDir: string): Outcome[] {
  const { articles } = loadSource(contentDir);
  const rules = compileRules(articles.flatMap((article) => article.rules.map((rule) => ({ rule, guide: article.id }))));
  return loadCorpus().map((entry) => {
    const diagnosis = diagnoseText(rules, entry.text);
    const first = diagnosis.findings[0]?.cause;
    const ok = entry.expected === NO_CAUSE ? diagnosis.findings.length === 0 : first === entry.expected;
    return { entry, diagnosis, ok };
  });
}

const percent = (part: number, whole: number) => (whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`);

export function run(contentDir: string, verbose = false): string[] {
  const outcomes = evaluate(contentDir);
  const lines: string[] = [];
  const causeTexts = outcomes.filter((outcome) => outcome.entry.expected !== NO_CAUSE);
  const lookalikes = outcomes.filter((outcome) => outcome.entry.expected === NO_CAUSE);
  const right = causeTexts.filter((outcome) => outcome.ok).length;
  const unclaimed = lookalikes.filter((outcome) => outcome.ok).length;
  lines.push(`accuracy on the corpus (${outcomes.length} texts): top-1 ${percent(right, causeTexts.length)} (${right}/${causeTexts.length}, target >= 95%) | look-alikes unclaimed ${percent(unclaimed, lookalikes.length)} (${unclaimed}/${lookalikes.length}, target >= 90%)`);
  for (const kind of CORPUS_KINDS) {
    const ofKind = causeTexts.filter((outcome) => outcome.entry.kind === kind);
    const likeKind = lookalikes.filter((outcome) => outcome.entry.kind === kind);
    lines.push(
      `  ${kind.padEnd(11)} top-1 ${percent(ofKind.filter((o) => o.ok).length, ofKind.length)} (${ofKind.filter((o) => o.ok).length}/${ofKind.length})` +
        (likeKind.length > 0 ? ` | look-alikes unclaimed ${likeKind.filter((o) => o.ok).length}/${likeKind.length}` : ''),
    );
  }
  const counts = new Map<string, number>();
  for (const outcome of causeTexts) counts.set(outcome.entry.expected, (counts.get(outcome.entry.expected) ?? 0) + 1);
  const causes = [...new Set(loadSource(contentDir).articles.flatMap((article) => article.causes))];
  const thin = causes.filter((cause) => (counts.get(cause) ?? 0) < 3);
  lines.push(`  causes with >= 3 texts: ${causes.length - thin.length}/${causes.length}${thin.length > 0 ? ` (fewer: ${thin.join(', ')})` : ''}`);
  if (verbose) {
    for (const outcome of outcomes.filter((o) => !o.ok)) {
      const got = outcome.diagnosis.findings.map((finding) => finding.cause).join(', ') || 'nothing';
      lines.push(`  miss ${outcome.entry.id} [${outcome.entry.kind}] expected ${outcome.entry.expected}, got ${got}`);
    }
  }
  return lines;
}
