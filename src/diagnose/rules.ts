/**
 * Rules compiled for matching: patterns with their literal prefilters, conditions as sets, and the rule set's
 * gate (the words at least one of which a line must contain to be worth matching at all).
 */
import type { CauseRule } from '../kb/types.js';
import { FACT_WORDS } from './facts.js';
import { prefilterOf, type Prefilter } from './literal.js';

/** A pattern plus the words a line must contain before the regex is worth running (see literal.ts). */
export interface CompiledPattern {
  regex: RegExp;
  prefilter: Prefilter | undefined;
}

export interface CompiledConditions {
  event?: ReadonlySet<string>;
  exitCode?: ReadonlySet<number>;
  errorCode?: ReadonlySet<string>;
  stderr?: RegExp[];
}

export interface CompiledRule {
  rule: CauseRule;
  guide: string;
  match: CompiledPattern[];
  requires: CompiledPattern[];
  unless: CompiledPattern[];
  when: CompiledConditions | undefined;
  whenNot: CompiledConditions | undefined;
  /** Causes this rule folds when they share its event (refines and absorbs). */
  refines: ReadonlySet<string>;
  /** Causes whose matches make a rule without patterns fire (refines only). */
  triggers: ReadonlySet<string>;
}

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

function compile(source: string): CompiledPattern {
  return { regex: compilePattern(source), prefilter: prefilterOf(source) };
}

function compileConditions(when: CauseRule['when']): CompiledConditions | undefined {
  if (!when) return undefined;
  return {
    ...(when.event ? { event: new Set(when.event) } : {}),
    ...(when.exitCode ? { exitCode: new Set(when.exitCode) } : {}),
    ...(when.errorCode ? { errorCode: new Set(when.errorCode) } : {}),
    ...(when.stderr ? { stderr: when.stderr.map(compilePattern) } : {}),
  };
}

export function compileRules(rules: ReadonlyArray<{ rule: CauseRule; guide: string }>): CompiledRule[] {
  return rules.map(({ rule, guide }) => ({
    rule,
    guide,
    match: rule.match.map(compile),
    requires: (rule.requires ?? []).map(compile),
    unless: (rule.unless ?? []).map(compile),
    when: compileConditions(rule.when),
    whenNot: compileConditions(rule.whenNot),
    refines: new Set([...(rule.refines ?? []), ...(rule.absorbs ?? [])]),
    triggers: new Set(rule.refines ?? []),
  }));
}

const escapeRegex = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words (lowercase) at least one of which a line must contain to be worth trying: each pattern's most
 * selective word per branch, plus `extraWords`. Undefined when some pattern has no prefilter (then every line
 * must be tried). Words that contain a shorter kept word are dropped: the shorter one already finds the line.
 */
export function gateWords(patterns: readonly CompiledPattern[], extraWords: readonly string[] = []): string[] | undefined {
  if (!patterns.every((pattern) => pattern.prefilter)) return undefined;
  const words = new Set([...extraWords, ...patterns.flatMap((pattern) => (pattern.prefilter ?? []).flatMap((branch) => branch[0] ?? []))]);
  if (words.size === 0) return undefined;
  const sorted = [...words].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return sorted.filter((word, index) => !sorted.slice(0, index).some((shorter) => word.includes(shorter)));
}

/** A regex finding any of `words` (see gateWords). */
export function gateFor(patterns: readonly CompiledPattern[], extraWords: readonly string[] = [], flags = ''): RegExp | undefined {
  const words = gateWords(patterns, extraWords);
  return words ? new RegExp(words.map(escapeRegex).join('|'), flags) : undefined;
}

/** Words of the chunk gate besides the patterns' own: context facts, and characters that need cleaning. */
export const CHUNK_GATE_WORDS = [...FACT_WORDS, '\\', '\u001b'];
