/**
 * Event frames: the stretch of text about one lifecycle event (a console event's details, a table row, one
 * event in `get-deployment-target` JSON, a `LifecycleEvent - X` block of the deployments log, an agent
 * payload). Matches are collected per frame and resolved together, so that
 * - a rule's `when` conditions see the event's facts wherever in the frame they were printed;
 * - one failed event is one problem: a cause that `refines` another takes over its matches in the same frame,
 *   and the finding says which cause it was chosen over and why.
 * Text outside any event (an agent log's own errors, a deployment's error message) is one unmarked frame.
 */
import type { LogicalLine } from './lines.js';
import type { LineFacts } from './facts.js';
import type { CompiledConditions, CompiledRule } from './rules.js';

/** A marked frame ends after this many logical lines with nothing about its event. */
export const FRAME_SPAN = 40;
/** Line numbers kept per hit for counting distinct lines; beyond it counts are summed. */
const MAX_LINES_KEPT = 10_000;
const MAX_CANDIDATES = 3;

export interface Candidate {
  line: LogicalLine;
  at: number;
  length: number;
}

export interface HitAgg {
  lines: number[];
  count: number;
  candidates: Candidate[];
  captures: Record<string, string>;
}

export interface Frame {
  event: string | undefined;
  marked: boolean;
  /** Given by the caller (the event an online log tail belongs to): markers in the text do not replace it. */
  pinned: boolean;
  exitCodes: number[];
  errorCodes: string[];
  stderr: string[];
  script: string | undefined;
  lastLine: number;
  hits: Map<CompiledRule, HitAgg>;
}

export function newFrame(event: string | undefined, marked: boolean, lineNumber: number, pinned = false): Frame {
  return { event, marked, pinned, exitCodes: [], errorCodes: [], stderr: [], script: undefined, lastLine: lineNumber, hits: new Map() };
}

const pushCapped = <T>(list: T[], values: readonly T[], cap: number) => {
  for (const value of values) if (list.length < cap && !list.includes(value)) list.push(value);
};

export function addFacts(frame: Frame, facts: LineFacts, lineNumber: number): void {
  pushCapped(frame.exitCodes, facts.exitCodes, 8);
  pushCapped(frame.errorCodes, facts.errorCodes, 16);
  pushCapped(frame.stderr, facts.stderr, 8);
  frame.script ??= facts.script;
  if (facts.content) frame.lastLine = lineNumber;
}

export function addHit(frame: Frame, rule: CompiledRule, line: LogicalLine, found: RegExpExecArray): void {
  let hit = frame.hits.get(rule);
  if (!hit) {
    hit = { lines: [], count: 0, candidates: [], captures: {} };
    frame.hits.set(rule, hit);
  }
  if (hit.lines[hit.lines.length - 1] === line.lineNumber) return;
  hit.count += 1;
  if (hit.lines.length < MAX_LINES_KEPT) hit.lines.push(line.lineNumber);
  if (hit.candidates.length < MAX_CANDIDATES) hit.candidates.push({ line, at: found.index, length: found[0].length });
  if (found.groups && Object.keys(hit.captures).length === 0) {
    for (const [name, value] of Object.entries(found.groups)) if (value !== undefined) hit.captures[name] = value;
  }
  frame.lastLine = line.lineNumber;
}

/** The number of distinct lines two hit aggregates cover together. */
export function mergeAggs(into: HitAgg, from: HitAgg): void {
  if (into.lines.length === into.count && from.lines.length === from.count) {
    const lines = [...new Set([...into.lines, ...from.lines])].sort((a, b) => a - b);
    into.lines = lines.slice(0, MAX_LINES_KEPT);
    into.count = lines.length;
  } else {
    into.count += from.count;
  }
  for (const candidate of from.candidates) if (!into.candidates.some((c) => c.line === candidate.line)) into.candidates.push(candidate);
  into.candidates.sort((a, b) => a.line.lineNumber - b.line.lineNumber);
  into.candidates.length = Math.min(into.candidates.length, MAX_CANDIDATES + 2);
  for (const [name, value] of Object.entries(from.captures)) into.captures[name] ??= value;
}

/** Which of a condition set's parts hold for the frame (undefined for the parts the set does not have). */
function parts(conditions: CompiledConditions, frame: Frame): Array<boolean | undefined> {
  return [
    conditions.event ? frame.event !== undefined && conditions.event.has(frame.event) : undefined,
    conditions.exitCode ? frame.exitCodes.some((code) => conditions.exitCode?.has(code)) : undefined,
    conditions.errorCode ? frame.errorCodes.some((code) => conditions.errorCode?.has(code)) : undefined,
    conditions.stderr ? frame.stderr.some((line) => conditions.stderr?.some((pattern) => pattern.test(line))) : undefined,
  ];
}

/** `when`: every condition it names holds; `whenNot`: none of the conditions it names holds. */
export function conditionsHold(rule: CompiledRule, frame: Frame): boolean {
  if (rule.when && parts(rule.when, frame).some((part) => part === false)) return false;
  if (rule.whenNot && parts(rule.whenNot, frame).some((part) => part === true)) return false;
  return true;
}

/** A cause found in one frame, after the frame's close causes were folded together. */
export interface Resolved {
  rule: CompiledRule;
  hit: HitAgg;
  frame: Frame;
  /** The causes folded into it, with the rule that folded them. */
  over: Array<{ cause: string; by: CompiledRule }>;
}

/**
 * Resolves a frame: drops matches whose rule's conditions or context fail, lets refine-only rules take over
 * the causes they refine, and folds each refined cause into the rule that refines it.
 */
export function resolveFrame(frame: Frame, refiners: readonly CompiledRule[], contextOk: (rule: CompiledRule) => boolean): Resolved[] {
  const live = new Map<CompiledRule, HitAgg>();
  for (const [rule, hit] of frame.hits) if (conditionsHold(rule, frame) && contextOk(rule)) live.set(rule, hit);
  for (const refiner of refiners) {
    if (!conditionsHold(refiner, frame) || !contextOk(refiner)) continue;
    const taken = [...live].filter(([rule]) => refiner.triggers.has(rule.rule.cause));
    if (taken.length === 0) continue;
    const hit: HitAgg = live.get(refiner) ?? { lines: [], count: 0, candidates: [], captures: {} };
    for (const [, from] of taken) mergeAggs(hit, from);
    live.set(refiner, hit);
  }
  // Who folds whom: most specific rules first, so a refinement cycle (A refines B, B refines A) resolves to the
  // more specific one, and a rule already folded into another folds nothing itself.
  const foldedInto = new Map<CompiledRule, CompiledRule>();
  const bySpecificity = [...live.keys()].sort((a, b) => b.rule.specificity - a.rule.specificity);
  for (const rule of bySpecificity) {
    if (foldedInto.has(rule) || rule.refines.size === 0) continue;
    for (const other of bySpecificity) {
      if (other === rule || foldedInto.has(other) || other.rule.cause === rule.rule.cause || !rule.refines.has(other.rule.cause)) continue;
      foldedInto.set(other, rule);
    }
  }
  const root = (rule: CompiledRule) => {
    let current = rule;
    for (let guard = 0; foldedInto.has(current) && guard < 16; guard += 1) current = foldedInto.get(current) as CompiledRule;
    return current;
  };
  const resolved = new Map<CompiledRule, Resolved>();
  for (const [rule, hit] of live) if (!foldedInto.has(rule)) resolved.set(rule, { rule, hit, frame, over: [] });
  for (const [rule, hit] of live) {
    const into = foldedInto.get(rule);
    if (!into) continue;
    const target = resolved.get(root(rule));
    if (!target) continue;
    mergeAggs(target.hit, hit);
    if (!target.over.some((over) => over.cause === rule.rule.cause)) target.over.push({ cause: rule.rule.cause, by: into });
  }
  return [...resolved.values()];
}
