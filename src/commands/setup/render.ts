import { redact } from '../../diagnose/redact.js';
import { wrapHanging } from '../../prompt/layout.js';
import type { IoMessage } from '../../io/host.js';
import { stepEventMessage } from '../step-messages.js';
import type { Style } from '../../io/terminal.js';
import { describeStatement } from '../../codedeploy/documents.js';
import type { ExecuteResult, StepEvent } from '../../codedeploy/execute.js';
import type { SetupPlan } from '../../codedeploy/plan.js';
import { CONFIRMS, changesOf, plural, type ConfirmKind, type Step, type StepKind } from '../../codedeploy/steps.js';

/** Plain-text and JSON renderings of a plan, of apply events, and of the result. The ink UI has its own. */

const MARK: Record<StepKind, string> = {
  create: '+',
  attach: '+',
  tag: '+',
  associate: '+',
  deploy: '+',
  run: '+',
  update: '~',
  'replace-profile': '!',
  reuse: '=',
  delete: '-',
};

export interface RenderPlanOptions {
  /** --verbose: every policy statement and each step's AWS calls. Default: documents folded to one line at the end. */
  verbose?: boolean;
  /** Terminal columns to wrap at, word by word; undefined (not a terminal) keeps each line whole. */
  width?: number;
}

const OWN_WORDS: Record<ConfirmKind, (count: number) => string> = {
  'replace-profile': (count) => plural(count, 'instance profile replacement'),
  retag: (count) => `${plural(count, 'tag change')} on instances`,
  foreign: (count) => `${plural(count, 'change')} to what cd-wizard did not create`,
};

/** How far a group's own step, the group's other steps, and their details are indented. */
const STEP_INDENT = 2;
const DETAIL_INDENT = 6;


/** Steps grouped by the resource they change, in the order each resource first appears (the order they run in, mostly). */
export function groupSteps(steps: readonly Step[]): Step[][] {
  const groups = new Map<string, Step[]>();
  for (const step of steps) {
    const group = groups.get(step.resource);
    if (group) group.push(step);
    else groups.set(step.resource, [step]);
  }
  return [...groups.values()];
}

/** Whether a step's policy documents stay in the folded plan: a change to what cd-wizard did not create is always shown whole. */
const showsDocuments = (step: Step, verbose: boolean) => verbose || step.confirm !== undefined;

/**
 * Whether a step's reason stays in the folded plan. What a new resource is for (and what is added to it) is
 * explanation, shown with --verbose; drift found, what is there now, and anything cd-wizard did not create stay.
 */
const showsReason = (step: Step, head: Step, verbose: boolean) => verbose || step.confirm !== undefined || head.kind !== 'create';

/**
 * One step: its mark and summary (a reused resource says why on the same line), its reason under it, and its
 * documents when shown. `indent` is where the mark goes; `head` is the first step on the same resource.
 */
export function renderStep(step: Step, style: Style, indent: number, options: RenderPlanOptions & { head?: Step } = {}): string[] {
  const { width, verbose = false, head = step } = options;
  const color = step.kind === 'reuse' ? style.dim : step.kind === 'update' ? style.yellow : step.kind === 'replace-profile' ? style.red : style.green;
  const pad = ' '.repeat(indent);
  const detail = ' '.repeat(indent + 4);
  const calls = verbose && step.calls.length > 0 ? `   ${step.calls.join(', ')}` : '';
  const sameLine = step.kind === 'reuse' && step.reason !== undefined ? `: ${step.reason}` : '';
  const [first = '', ...rest] = wrapHanging(`${pad}${MARK[step.kind]} `, `${step.summary}${sameLine}${calls}`, width);
  const lines = [`${pad}${color(MARK[step.kind])}${first.slice(indent + 1)}`, ...rest];
  if (step.reason !== undefined && sameLine === '' && showsReason(step, head, verbose)) lines.push(...wrapHanging(detail, step.reason, width).map(style.dim));
  if (showsDocuments(step, verbose)) {
    for (const document of step.documents) {
      lines.push(...wrapHanging(detail, `${document.name}: ${document.why}`, width).map(style.dim));
      for (const statement of document.document.Statement) lines.push(...wrapHanging(`${detail}  `, describeStatement(statement), width).map(style.dim));
    }
  }
  return lines;
}

/** Problems or warnings: a heading, then each with its mark and its hint under it. */
function renderNotes(heading: string, notes: ReadonlyArray<{ message: string; hint?: string }>, mark: string, options: RenderPlanOptions): string[] {
  if (notes.length === 0) return [];
  const lines = ['', heading];
  for (const note of notes) {
    lines.push(...wrapHanging(`  ${mark} `, note.message, options.width));
    if (note.hint) lines.push(...wrapHanging(' '.repeat(DETAIL_INDENT), note.hint, options.width));
  }
  return lines;
}

/**
 * The plan, grouped: one line per resource with what happens to it, the other steps on that resource indented
 * under it, then problems, warnings, and one line of totals. Policy documents are folded to a count unless
 * `verbose` (or the step changes something cd-wizard did not create: then what is there and what is added stay).
 */
export function renderPlan(plan: SetupPlan, style: Style, options: RenderPlanOptions = {}): string {
  const lines = [style.bold(`Plan for account ${plan.account} in ${plan.region}`), ...wrapHanging('  ', `as ${plan.caller}`, options.width).map(style.dim), ''];
  for (const [head, ...others] of groupSteps(plan.steps)) {
    if (head === undefined) continue;
    lines.push(...renderStep(head, style, STEP_INDENT, options));
    for (const other of others) lines.push(...renderStep(other, style, DETAIL_INDENT, { ...options, head }));
  }
  lines.push(...renderNotes(style.red('Problems (nothing will be changed until they are fixed):'), plan.problems, style.red(style.symbols.fail), options));
  lines.push(...renderNotes(style.yellow('Warnings:'), plan.warnings, style.yellow(style.symbols.warn), options));
  const changes = changesOf(plan.steps);
  const reused = plan.steps.length - changes.length;
  const folded = options.verbose ? 0 : plan.steps.filter((step) => !showsDocuments(step, false)).reduce((sum, step) => sum + step.documents.length, 0);
  lines.push('');
  if (folded > 0) lines.push(...wrapHanging('', `${plural(folded, 'policy document')} folded: --verbose shows ${folded === 1 ? 'it' : 'them'} statement by statement.`, options.width).map(style.dim));
  if (changes.length === 0) lines.push(style.green(`${style.symbols.ok} Nothing to change: everything is already set up.`));
  else {
    const own = (['replace-profile', 'retag', 'foreign'] as const).flatMap((kind) => {
      const count = changes.filter((step) => step.confirm === kind).length;
      return count === 0 ? [] : [`${OWN_WORDS[kind](count)} (${CONFIRMS[kind].flag})`];
    });
    lines.push(...wrapHanging('', `${plural(changes.length, 'change')}, ${reused} reused${own.length > 0 ? `; these need their own yes (default no): ${own.join(', ')}.` : '.'}`, options.width));
  }
  return lines.join('\n');
}

export function planToJson(plan: SetupPlan) {
  const changes = changesOf(plan.steps);
  return {
    region: plan.region,
    account: plan.account,
    partition: plan.partition,
    caller: plan.caller,
    nothingToChange: changes.length === 0,
    changes: changes.length,
    steps: plan.steps.map((step) => ({
      id: step.id,
      kind: step.kind,
      summary: step.summary,
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      calls: step.calls,
      documents: step.documents.map((document) => ({ name: document.name, why: document.why, document: document.document })),
      instances: step.instances,
      ...(step.confirm === undefined ? {} : { confirm: step.confirm }),
    })),
    problems: plan.problems,
    warnings: plan.warnings,
    arns: plan.arns,
    targets: plan.targets,
    answers: plan.answers,
  };
}

/** An apply event as a message for the I/O host (see step-messages.ts). */
export function stepMessage(event: StepEvent): IoMessage {
  return stepEventMessage(event, 'setup', (step) => (step.kind === 'reuse' ? step.doneTitle : step.summary));
}

export function resultToJson(result: ExecuteResult) {
  return {
    ok: result.ok,
    done: result.done,
    skipped: result.skipped,
    ...(result.failed ? { failed: { step: result.failed.step, error: redact(result.failed.error.message), hint: result.failed.error.hint } } : {}),
    state: result.state,
  };
}
