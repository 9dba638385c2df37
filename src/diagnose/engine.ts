import type { CauseRule, FixStep, Severity } from '../kb/types.js';
import { LineReader, type LogicalLine } from './lines.js';
import { passes, prefilterOf, type Prefilter } from './literal.js';
import { redact, type RedactOptions } from './redact.js';

/**
 * Data-driven diagnosis: the rules come from the articles' front matter, the engine only matches.
 * It streams (a 50 MB agent log is read line by line, never held whole) and is pure: no terminal, no AWS.
 */

export interface Evidence {
  /** 1-based line number in the input. */
  line: number;
  /** The line as quoted back to the user: trimmed around the match and redacted. */
  text: string;
}

export interface Finding {
  cause: string;
  title: string;
  severity: Severity;
  specificity: number;
  rollup: boolean;
  evidence: Evidence[];
  /** How many lines matched (evidence keeps only the first few). */
  occurrences: number;
  explain: string;
  fix: FixStep[];
  /** Guide article id: `cd-wizard guide --show <guide>`. */
  guide: string;
}

export interface Diagnosis {
  findings: Finding[];
  recognised: boolean;
  linesRead: number;
}

/** A pattern plus the words a line must contain before the regex is worth running (see literal.ts). */
interface CompiledPattern {
  regex: RegExp;
  prefilter: Prefilter | undefined;
}

interface CompiledRule {
  rule: CauseRule;
  guide: string;
  match: CompiledPattern[];
  requires: CompiledPattern[];
  unless: CompiledPattern[];
}

function compile(source: string): CompiledPattern {
  return { regex: compilePattern(source), prefilter: prefilterOf(source) };
}

/** Runs the pattern on a line; `lower` is the same line lowercased once for the literal check. */
function exec(pattern: CompiledPattern, text: string, lower: string): RegExpExecArray | null {
  if (pattern.prefilter && !passes(pattern.prefilter, lower)) return null;
  return pattern.regex.exec(text);
}

/** Evidence lines kept per finding; the rest are only counted. */
const MAX_EVIDENCE = 3;
/** Evidence longer than this is cut to a window around the match. */
const EVIDENCE_WIDTH = 240;

/**
 * Rule patterns are written for people: a space matches any run of white space or none at all, because
 * hard-wrapped pastes lose the space at the break.
 */
export function compilePattern(source: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (char === '\\') {
      out += char + (source[i + 1] ?? '');
      i += 1;
    } else if (char === '[') {
      inClass = true;
      out += char;
    } else if (char === ']') {
      inClass = false;
      out += char;
    } else if (char === ' ' && !inClass) {
      while (source[i + 1] === ' ') i += 1;
      out += '\\s*';
    } else {
      out += char;
    }
  }
  return new RegExp(out, 'i');
}

export function compileRules(rules: ReadonlyArray<{ rule: CauseRule; guide: string }>): CompiledRule[] {
  return rules.map(({ rule, guide }) => ({
    rule,
    guide,
    match: rule.match.map(compile),
    requires: (rule.requires ?? []).map(compile),
    unless: (rule.unless ?? []).map(compile),
  }));
}

function quote(line: LogicalLine, at: number, length: number, options: RedactOptions): Evidence {
  let text = line.text.trim();
  const offset = line.text.length - line.text.trimStart().length;
  const start = Math.max(0, at - offset);
  if (text.length > EVIDENCE_WIDTH) {
    // Centre the window on the match so the words that fired the rule are always visible.
    const from = Math.max(0, Math.min(start - Math.floor((EVIDENCE_WIDTH - length) / 2), text.length - EVIDENCE_WIDTH));
    text = `${from > 0 ? '…' : ''}${text.slice(from, from + EVIDENCE_WIDTH)}${from + EVIDENCE_WIDTH < text.length ? '…' : ''}`;
  }
  return { line: line.lineNumber, text: redact(text, options) };
}

/** Feed text in chunks with `push`, then call `end` for the result. */
export class Diagnoser {
  private readonly reader: LineReader;
  private readonly hits = new Map<CompiledRule, { evidence: Evidence[]; occurrences: number; seen: Set<string> }>();
  private readonly contextSeen = new Set<CompiledPattern>();
  /** requires/unless patterns not seen yet; each is dropped once it has matched, so it stops costing time. */
  private contextPending: CompiledPattern[];
  /**
   * Gates built from the most selective word of each pattern (see literal.ts): a line containing none of a
   * gate's words cannot match any of its patterns. Most log lines are polling noise, so one test replaces a
   * hundred. Undefined when some pattern has no prefilter (then every pattern is tried).
   */
  private matchGate: RegExp | undefined;
  private contextGate: RegExp | undefined;
  private linesRead = 0;

  constructor(
    private readonly rules: CompiledRule[],
    private readonly options: RedactOptions = {},
  ) {
    this.reader = new LineReader((line) => this.onLine(line));
    this.contextPending = rules.flatMap((compiled) => [...compiled.requires, ...compiled.unless]);
    this.matchGate = gateFor(rules.flatMap((compiled) => compiled.match));
    this.contextGate = gateFor(this.contextPending);
  }

  push(chunk: string): void {
    this.reader.push(chunk);
  }

  end(): Diagnosis {
    this.reader.end();
    const findings: Finding[] = [];
    for (const [compiled, hit] of this.hits) {
      if (!compiled.requires.every((pattern) => this.contextSeen.has(pattern))) continue;
      if (compiled.unless.some((pattern) => this.contextSeen.has(pattern))) continue;
      const { rule } = compiled;
      findings.push({
        cause: rule.cause,
        title: rule.title,
        severity: rule.severity,
        specificity: rule.specificity,
        rollup: rule.rollup ?? false,
        evidence: hit.evidence,
        occurrences: hit.occurrences,
        explain: rule.explain.trim(),
        fix: rule.fix,
        guide: compiled.guide,
      });
    }
    // Most specific first; ties keep the order in which the evidence appeared (the earliest is usually the cause).
    const firstLine = (finding: Finding) => finding.evidence[0]?.line ?? 0;
    findings.sort((a, b) => b.specificity - a.specificity || firstLine(a) - firstLine(b));
    return { findings: mergeByCause(findings), recognised: findings.length > 0, linesRead: this.linesRead };
  }

  private onLine(line: LogicalLine): void {
    this.linesRead += 1;
    const lower = line.text.toLowerCase();
    if (this.contextPending.length > 0 && (!this.contextGate || this.contextGate.test(lower))) {
      let seenNew = false;
      for (const pattern of this.contextPending) {
        if (exec(pattern, line.text, lower)) {
          this.contextSeen.add(pattern);
          seenNew = true;
        }
      }
      if (seenNew) {
        this.contextPending = this.contextPending.filter((pattern) => !this.contextSeen.has(pattern));
        this.contextGate = gateFor(this.contextPending);
      }
    }
    if (this.matchGate && !this.matchGate.test(lower)) return;
    for (const compiled of this.rules) {
      for (const pattern of compiled.match) {
        const found = exec(pattern, line.text, lower);
        if (!found) continue;
        let hit = this.hits.get(compiled);
        if (!hit) {
          hit = { evidence: [], occurrences: 0, seen: new Set() };
          this.hits.set(compiled, hit);
        }
        hit.occurrences += 1;
        if (hit.evidence.length < MAX_EVIDENCE) {
          const evidence = quote(line, found.index, found[0].length, this.options);
          if (!hit.seen.has(evidence.text)) {
            hit.seen.add(evidence.text);
            hit.evidence.push(evidence);
          }
        }
        break;
      }
    }
  }
}

function gateFor(patterns: CompiledPattern[]): RegExp | undefined {
  if (patterns.length === 0 || !patterns.every((pattern) => pattern.prefilter)) return undefined;
  const words = new Set(patterns.flatMap((pattern) => (pattern.prefilter ?? []).flatMap((branch) => branch[0] ?? [])));
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp([...words].map(escape).join('|'));
}

/** Two rules may name the same cause (different wordings): report it once, with the evidence of both. */
function mergeByCause(findings: Finding[]): Finding[] {
  const byCause = new Map<string, Finding>();
  for (const finding of findings) {
    const existing = byCause.get(finding.cause);
    if (!existing) {
      byCause.set(finding.cause, { ...finding, evidence: [...finding.evidence] });
      continue;
    }
    existing.occurrences += finding.occurrences;
    for (const evidence of finding.evidence) {
      if (existing.evidence.length < MAX_EVIDENCE && !existing.evidence.some((e) => e.text === evidence.text)) existing.evidence.push(evidence);
    }
  }
  return [...byCause.values()];
}

/** Convenience for whole strings (a pasted message). */
export function diagnoseText(rules: CompiledRule[], text: string, options: RedactOptions = {}): Diagnosis {
  const diagnoser = new Diagnoser(rules, options);
  diagnoser.push(text);
  return diagnoser.end();
}

export type { CompiledRule };
