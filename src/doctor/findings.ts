import type { Deployment, DeploymentTarget } from '../aws/ports/deployments.js';
import { diagnoseText, type ChosenOver, type CompiledRule, type Diagnosis } from '../diagnose/engine.js';
import { redact, type RedactOptions } from '../diagnose/redact.js';
import type { Kb } from '../kb/kb.js';
import { isCauseId, type CauseId, type CauseRule, type FixStep, type Severity } from '../kb/types.js';
import { fillSteps, type PlaceholderValues } from './placeholders.js';
import { addSeen, eventPiece, seenFor, type EvidencePiece, type EvidenceSource, type Seen } from './seen.js';

export type { EvidencePiece, EvidenceSource, Seen } from './seen.js';

/**
 * Evidence from AWS → findings, through the same matcher as `fix --message` (same cause ids, same guide
 * articles). Every piece of text (the deployment's error, each failed lifecycle event with its context, an agent
 * log read over SSM) is diagnosed on its own, so each finding knows which instances and events it came from and
 * which of their lines decided it. Pure.
 */

export interface OnlineFinding {
  cause: CauseId;
  title: string;
  severity: Severity;
  specificity: number;
  rollup: boolean;
  explain: string;
  fix: FixStep[];
  guide: string;
  /** Where it was seen and the lines that decided it (masked, escaped), a few blocks at most. */
  evidence: Seen[];
  instances: string[];
  /** "i-0abc AfterInstall" */
  events: string[];
  /** Setup checks that confirm this cause in the live account. */
  confirmedBy: string[];
  /** Close causes it was chosen over in the same event, and why. */
  over: ChosenOver[];
  /** For a roll-up (HEALTH_CONSTRAINTS): the per-instance causes it summarises. */
  causes?: CauseId[];
}

/** Evidence blocks kept per finding (the instances and events lists name every one). */
const MAX_EVIDENCE = 4;
/** A cause a setup check proved in the live account outranks a symptom matched in a message. */
export const CONFIRMED_BONUS = 5;

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
      pieces.push(eventPiece(target.id, event));
    }
  }
  return pieces;
}

/** A finding with nothing seen yet, from the rule (or the engine's finding) that names the cause. */
function emptyFinding(cause: CauseId, from: Pick<CauseRule, 'title' | 'severity' | 'specificity' | 'rollup' | 'explain' | 'fix'>, guide: string): OnlineFinding {
  const { title, severity, specificity, explain, fix } = from;
  return { cause, title, severity, specificity, rollup: from.rollup ?? false, explain: explain.trim(), fix, guide, evidence: [], instances: [], events: [], confirmedBy: [], over: [] };
}

const addUnique = <T>(list: T[], value: T, limit = Number.POSITIVE_INFINITY) => {
  if (!list.includes(value) && list.length < limit) list.push(value);
};

/** The most specific rule the guide has for a cause (a check's finding borrows its title, explanation and fix). */
export function ruleForCause(kb: Kb, cause: CauseId): { rule: CauseRule; guide: string } | undefined {
  const article = kb.articleForCause(cause);
  if (!article) return undefined;
  const rules = article.rules.filter((rule) => rule.cause === cause).sort((a, b) => b.specificity - a.specificity);
  return rules[0] ? { rule: rules[0], guide: article.id } : undefined;
}

export interface CheckEvidence {
  check: string;
  cause: CauseId;
  detail: string;
  instances: readonly string[];
}

/** The matcher's answer for a piece; identical texts with the same context are read once (50 instances, one failure). */
function diagnoser(rules: CompiledRule[], redactOptions: RedactOptions): (piece: EvidencePiece) => Diagnosis {
  const cache = new Map<string, Diagnosis>();
  return (piece) => {
    const key = `${JSON.stringify(piece.context ?? null)}\n${piece.text}`;
    let diagnosis = cache.get(key);
    if (!diagnosis) {
      diagnosis = diagnoseText(rules, piece.text, { ...redactOptions, context: piece.context });
      cache.set(key, diagnosis);
    }
    return diagnosis;
  };
}

/**
 * Diagnoses every piece (a failed event under its own context: event, exit code, error code, script), merges the
 * findings by cause, adds the causes the checks proved, and orders them: most specific first, a confirmed cause
 * before a symptom of equal weight, roll-ups last.
 */
export function buildFindings(
  pieces: readonly EvidencePiece[],
  checks: readonly CheckEvidence[],
  rules: CompiledRule[],
  kb: Kb,
  redactOptions: RedactOptions = {},
): OnlineFinding[] {
  const byCause = new Map<CauseId, OnlineFinding>();
  const diagnose = diagnoser(rules, redactOptions);
  for (const piece of pieces) {
    for (const found of diagnose(piece).findings) {
      // Every rule's cause is an article's cause (the build checks it); the guard only narrows the type.
      if (!isCauseId(found.cause)) continue;
      let finding = byCause.get(found.cause);
      if (!finding) {
        finding = emptyFinding(found.cause, found, found.guide);
        byCause.set(found.cause, finding);
      }
      finding.specificity = Math.max(finding.specificity, found.specificity);
      addSeen(finding.evidence, seenFor(piece, found, redactOptions), MAX_EVIDENCE);
      for (const over of found.over) if (!finding.over.some((known) => known.cause === over.cause)) finding.over.push(over);
      if (piece.source.kind === 'event' || piece.source.kind === 'instance-log') addUnique(finding.instances, piece.source.instance);
      if (piece.source.kind === 'event') addUnique(finding.events, `${piece.source.instance} ${piece.source.event}`);
    }
  }
  for (const check of checks) {
    let finding = byCause.get(check.cause);
    if (!finding) {
      const known = ruleForCause(kb, check.cause);
      if (!known) continue;
      finding = emptyFinding(check.cause, known.rule, known.guide);
      byCause.set(check.cause, finding);
    }
    addUnique(finding.confirmedBy, check.check);
    // The check's evidence goes first: it is what was proved, the rest is what was seen.
    const proved: Seen = { source: { kind: 'check', check: check.check, instances: check.instances }, lines: [{ part: 'detail', text: redact(check.detail, redactOptions) }], alsoOn: [] };
    finding.evidence = [proved, ...finding.evidence.filter((seen) => !(seen.source.kind === 'check' && seen.source.check === check.check))].slice(0, MAX_EVIDENCE);
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
