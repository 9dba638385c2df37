/**
 * Resolved frames → findings: one finding per cause, most specific first, evidence quoted (masked, then cut),
 * the texts' {{placeholders}} filled from the event's facts and the patterns' named groups.
 */
import type { FixStep, Severity } from '../kb/types.js';
import { escapeControls, quoteLine } from './evidence.js';
import type { Resolved } from './frames.js';
import { redact, type RedactOptions } from './redact.js';
import type { CompiledRule } from './rules.js';

export interface Evidence {
  /** 1-based line number in the input. */
  line: number;
  /** The line as quoted back to the user: redacted first, then trimmed around the match, control characters escaped. */
  text: string;
}

/** A close cause this finding was preferred to in the same event, and why. */
export interface ChosenOver {
  cause: string;
  because: string;
}

export interface Finding {
  cause: string;
  title: string;
  severity: Severity;
  specificity: number;
  rollup: boolean;
  evidence: Evidence[];
  /** How many input lines matched (evidence keeps only the first few). */
  occurrences: number;
  explain: string;
  fix: FixStep[];
  /** Guide article id: `cd-wizard guide --show <guide>`. */
  guide: string;
  /** Causes that also matched the same event and were folded into this one. */
  over: ChosenOver[];
  /** The lifecycle event the evidence is about, when the text says. */
  event?: string;
}

const MAX_EVIDENCE = 3;
const DEFAULTS: Record<string, string> = { event: 'the lifecycle event', exitCode: 'N', script: 'the script', stderr: '' };
/** What a value filled into a command may contain: no quotes, spaces or shell syntax. */
const SAFE_IN_COMMAND = /^[\w./@:+,=-]{1,120}$/;

type Values = Record<string, string>;

/** Fills `{{name}}` / `{{name|fallback}}`. In commands only values safe for a shell are used, else the fallback. */
export function fillTemplate(text: string, values: Values, command = false): string {
  return text.replace(/\{\{([A-Za-z]\w*)(?:\|([^{}]*))?\}\}/g, (_all, name: string, fallback: string | undefined) => {
    const value = values[name];
    if (value !== undefined && value !== '' && (!command || SAFE_IN_COMMAND.test(value))) return value;
    return fallback ?? DEFAULTS[name] ?? name;
  });
}

function valuesOf(resolved: Resolved, options: RedactOptions): Values {
  const { frame, hit } = resolved;
  const raw: Values = { ...hit.captures };
  if (frame.event) raw.event = frame.event;
  if (frame.exitCodes[0] !== undefined) raw.exitCode = String(frame.exitCodes[0]);
  if (frame.script) raw.script = frame.script;
  if (frame.stderr[0]) raw.stderr = frame.stderr[0];
  const values: Values = {};
  for (const [name, value] of Object.entries(raw)) values[name] = escapeControls(redact(value.trim().slice(0, 160), options));
  return values;
}

interface Group {
  primary: Resolved;
  parts: Resolved[];
}

/** One finding per cause from every frame's resolved causes. */
export function assemble(resolved: readonly Resolved[], options: RedactOptions): Finding[] {
  const byCause = new Map<string, Group>();
  for (const part of resolved) {
    const cause = part.rule.rule.cause;
    const group = byCause.get(cause);
    if (!group) byCause.set(cause, { primary: part, parts: [part] });
    else {
      group.parts.push(part);
      if (part.rule.rule.specificity > group.primary.rule.rule.specificity) group.primary = part;
    }
  }
  const findings: Finding[] = [];
  for (const [cause, group] of byCause) findings.push(toFinding(cause, group, options));
  // Most specific first; ties keep the order in which the evidence appeared (the earliest is usually the cause).
  const firstLine = (finding: Finding) => finding.evidence[0]?.line ?? 0;
  return findings.sort((a, b) => b.specificity - a.specificity || firstLine(a) - firstLine(b));
}

function toFinding(cause: string, group: Group, options: RedactOptions): Finding {
  const { rule } = group.primary.rule;
  const values = valuesOf(group.primary, options);
  const lines = new Set<number>();
  let summed = 0;
  const candidates = group.parts.flatMap((part) => {
    if (part.hit.lines.length === part.hit.count) for (const line of part.hit.lines) lines.add(line);
    else summed += part.hit.count;
    return part.hit.candidates;
  });
  candidates.sort((a, b) => a.line.lineNumber - b.line.lineNumber || a.at - b.at);
  const evidence: Evidence[] = [];
  for (const candidate of candidates) {
    if (evidence.length >= MAX_EVIDENCE) break;
    const text = quoteLine(candidate.line.text, candidate.at, candidate.length, candidate.line.before, candidate.line.after, options);
    if (!evidence.some((e) => e.text === text)) evidence.push({ line: candidate.line.lineNumber, text });
  }
  const over = new Map<string, string>();
  for (const part of group.parts) {
    for (const folded of part.over) if (!over.has(folded.cause)) over.set(folded.cause, becauseText(folded.by, folded.cause, valuesOf(part, options)));
  }
  const event = group.parts.find((part) => part.frame.marked && part.frame.event)?.frame.event;
  return {
    cause,
    title: fillTemplate(rule.title, values),
    severity: rule.severity,
    specificity: Math.max(...group.parts.map((part) => part.rule.rule.specificity)),
    rollup: rule.rollup ?? false,
    evidence,
    occurrences: Math.max(lines.size + summed, evidence.length),
    explain: rule.explain.trim(),
    fix: rule.fix.map((step) => ({ text: fillTemplate(step.text, values), ...(step.command ? { command: fillTemplate(step.command, values, true) } : {}) })),
    guide: group.primary.rule.guide,
    over: [...over].map(([overCause, because]) => ({ cause: overCause, because })),
    ...(event ? { event } : {}),
  };
}

function becauseText(by: CompiledRule, cause: string, values: Values): string {
  if (by.rule.because) return fillTemplate(by.rule.because, values);
  return `${by.rule.title} explains the same failure (${cause}) more precisely.`;
}
