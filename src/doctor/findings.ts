import type { Deployment, DeploymentTarget, LifecycleEvent } from '../aws/ports/deployments.js';
import { diagnoseText, type CompiledRule } from '../diagnose/engine.js';
import { redact, type RedactOptions } from '../diagnose/redact.js';
import type { Kb } from '../kb/kb.js';
import type { CauseRule, FixStep, Severity } from '../kb/types.js';
import { fillSteps, type PlaceholderValues } from './placeholders.js';

/**
 * Evidence from AWS → findings, through the same matcher as `fix --message` (same cause ids, same guide
 * articles). Every piece of text (the deployment's error, each failed lifecycle event, an agent log read over
 * SSM) is diagnosed on its own, so each finding knows which instances and events it came from. Pure.
 */

/** Where a piece of evidence came from. */
export type EvidenceSource =
  | { kind: 'deployment'; deploymentId: string }
  | { kind: 'event'; instance: string; event: string }
  | { kind: 'instance-log'; instance: string; log: string }
  | { kind: 'check'; check: string; instances: readonly string[] };

export interface EvidencePiece {
  source: EvidenceSource;
  text: string;
}

export interface OnlineFinding {
  cause: string;
  title: string;
  severity: Severity;
  specificity: number;
  rollup: boolean;
  explain: string;
  fix: FixStep[];
  guide: string;
  /** Quoted, redacted, each prefixed with where it was seen. */
  evidence: string[];
  instances: string[];
  /** "i-0abc AfterInstall" */
  events: string[];
  /** Setup checks that confirm this cause in the live account. */
  confirmedBy: string[];
  /** For a roll-up (HEALTH_CONSTRAINTS): the per-instance causes it summarises. */
  causes?: string[];
}

const MAX_EVIDENCE = 5;
/** A cause a setup check proved in the live account outranks a symptom matched in a message. */
export const CONFIRMED_BONUS = 5;

/** The text the matcher reads for one lifecycle event: its name and status first, so rules that need the event name see it. */
export function eventText(event: LifecycleEvent): string {
  const d = event.diagnostics ?? {};
  // The status word only for script errors: rules that read "<hook> … Failed" (application-stop-failing) mean
  // that the hook's script failed, not that the agent never ran it (UnknownError).
  const scriptError = d.errorCode?.startsWith('Script') ?? false;
  const lines = [`LifecycleEvent ${event.name}${d.errorCode ? ` ${d.errorCode}` : ''}${scriptError ? ` ${event.status}` : ''}`];
  if (d.scriptName) lines.push(`Script name: ${d.scriptName}`);
  if (d.message) lines.push(`Message: ${d.message}`);
  if (d.logTail) lines.push('Log tail:', d.logTail);
  return lines.join('\n');
}

/** The pieces of a deployment worth diagnosing: its error, status messages, rollback message and every failed (or unfinished) event. */
export function deploymentPieces(deployment: Deployment, targets: readonly DeploymentTarget[]): EvidencePiece[] {
  const source: EvidenceSource = { kind: 'deployment', deploymentId: deployment.id };
  const pieces: EvidencePiece[] = [];
  if (deployment.errorCode || deployment.errorMessage) {
    pieces.push({ source, text: `${deployment.errorMessage ?? ''}${deployment.errorCode ? ` (Error code: ${deployment.errorCode})` : ''}`.trim() });
  }
  for (const message of deployment.statusMessages) pieces.push({ source, text: message });
  if (deployment.rollback?.message) pieces.push({ source, text: deployment.rollback.message });
  for (const target of targets) {
    for (const event of target.lifecycleEvents) {
      if (event.status !== 'Failed' && !(event.diagnostics?.errorCode && event.diagnostics.errorCode !== 'Success')) continue;
      pieces.push({ source: { kind: 'event', instance: target.id, event: event.name }, text: eventText(event) });
    }
  }
  return pieces;
}

function where(source: EvidenceSource): string {
  switch (source.kind) {
    case 'deployment':
      return `deployment ${source.deploymentId}`;
    case 'event':
      return `${source.instance} ${source.event}`;
    case 'instance-log':
      return `${source.instance} ${source.log}`;
    case 'check':
      return `check ${source.check}`;
  }
}

/** A finding with nothing seen yet, from the rule (or the engine's finding) that names the cause. */
function emptyFinding(from: Pick<CauseRule, 'cause' | 'title' | 'severity' | 'specificity' | 'rollup' | 'explain' | 'fix'>, guide: string): OnlineFinding {
  return { ...from, rollup: from.rollup ?? false, explain: from.explain.trim(), guide, evidence: [], instances: [], events: [], confirmedBy: [] };
}

const addUnique = (list: string[], value: string, limit = Number.POSITIVE_INFINITY) => {
  if (!list.includes(value) && list.length < limit) list.push(value);
};

/** The most specific rule the guide has for a cause (a check's finding borrows its title, explanation and fix). */
export function ruleForCause(kb: Kb, cause: string): { rule: CauseRule; guide: string } | undefined {
  const article = kb.articleForCause(cause);
  if (!article) return undefined;
  const rules = article.rules.filter((rule) => rule.cause === cause).sort((a, b) => b.specificity - a.specificity);
  return rules[0] ? { rule: rules[0], guide: article.id } : undefined;
}

export interface CheckEvidence {
  check: string;
  cause: string;
  detail: string;
  instances: readonly string[];
}

/**
 * Diagnoses every piece (identical texts once), merges the findings by cause, adds the causes the checks proved,
 * and orders them: most specific first, a confirmed cause before a symptom of equal weight, roll-ups last.
 */
export function buildFindings(
  pieces: readonly EvidencePiece[],
  checks: readonly CheckEvidence[],
  rules: CompiledRule[],
  kb: Kb,
  redactOptions: RedactOptions = {},
): OnlineFinding[] {
  const byCause = new Map<string, OnlineFinding>();
  const cache = new Map<string, ReturnType<typeof diagnoseText>>();
  for (const piece of pieces) {
    let diagnosis = cache.get(piece.text);
    if (!diagnosis) {
      diagnosis = diagnoseText(rules, piece.text, redactOptions);
      cache.set(piece.text, diagnosis);
    }
    for (const found of diagnosis.findings) {
      let finding = byCause.get(found.cause);
      if (!finding) {
        finding = emptyFinding(found, found.guide);
        byCause.set(found.cause, finding);
      }
      finding.specificity = Math.max(finding.specificity, found.specificity);
      // The "LifecycleEvent <hook> <code>" line cd-wizard wrote is quoted only when nothing AWS wrote matched.
      const quoted = found.evidence.filter((evidence) => !evidence.text.startsWith('LifecycleEvent '));
      for (const evidence of quoted.length > 0 ? quoted : found.evidence) addUnique(finding.evidence, `${where(piece.source)}: ${evidence.text}`, MAX_EVIDENCE);
      if (piece.source.kind === 'event' || piece.source.kind === 'instance-log') addUnique(finding.instances, piece.source.instance);
      if (piece.source.kind === 'event') addUnique(finding.events, `${piece.source.instance} ${piece.source.event}`);
    }
  }
  for (const check of checks) {
    let finding = byCause.get(check.cause);
    if (!finding) {
      const known = ruleForCause(kb, check.cause);
      if (!known) continue;
      finding = emptyFinding(known.rule, known.guide);
      byCause.set(check.cause, finding);
    }
    addUnique(finding.confirmedBy, check.check);
    // The check's evidence goes first: it is what was proved, the rest is what was seen.
    finding.evidence = [`check ${check.check}: ${redact(check.detail, redactOptions)}`, ...finding.evidence.filter((e) => !e.startsWith(`check ${check.check}:`))].slice(0, MAX_EVIDENCE);
    for (const instance of check.instances) addUnique(finding.instances, instance);
  }
  const findings = [...byCause.values()];
  const specific = findings.filter((finding) => !finding.rollup);
  for (const finding of findings) if (finding.rollup) finding.causes = specific.map((other) => other.cause);
  const weight = (finding: OnlineFinding) => (finding.rollup ? -1 : finding.specificity + (finding.confirmedBy.length > 0 ? CONFIRMED_BONUS : 0));
  const order = new Map(findings.map((finding, index) => [finding, index]));
  return findings.sort((a, b) => weight(b) - weight(a) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/** Fills each finding's fix steps with the real names; <instance-id> becomes the finding's first instance. */
export function fillFindings(findings: readonly OnlineFinding[], values: PlaceholderValues): OnlineFinding[] {
  // A roll-up's steps list the failed targets (batch-get-deployment-targets takes several ids).
  const everyInstance = [...new Set(findings.flatMap((finding) => finding.instances))];
  return findings.map((finding) => {
    const instance = finding.rollup ? everyInstance.slice(0, 25).join(' ') : finding.instances[0];
    return { ...finding, fix: fillSteps(finding.fix, { ...values, ...(instance ? { '<instance-id>': instance } : {}) }) };
  });
}
