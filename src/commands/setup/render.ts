import { redact } from '../../diagnose/redact.js';
import type { IoMessage } from '../../io/host.js';
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
  /** Policy documents: one line per statement (default), the full JSON, or not at all. */
  documents?: 'summary' | 'json' | 'none';
}

const OWN_WORDS: Record<ConfirmKind, (count: number) => string> = {
  'replace-profile': (count) => plural(count, 'instance profile replacement'),
  retag: (count) => `${plural(count, 'tag change')} on instances`,
  foreign: (count) => `${plural(count, 'change')} to what cd-wizard did not create`,
};

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

export function renderStep(step: Step, style: Style, options: RenderPlanOptions = {}): string {
  const color = step.kind === 'reuse' ? style.dim : step.kind === 'update' ? style.yellow : step.kind === 'replace-profile' ? style.red : style.green;
  const lines = [`  ${color(MARK[step.kind])} ${step.summary}${step.calls.length > 0 ? style.dim(`   ${step.calls.join(', ')}`) : ''}`];
  if (step.reason) lines.push(style.dim(`      ${step.reason}`));
  const mode = options.documents ?? 'summary';
  if (mode !== 'none') {
    for (const document of step.documents) {
      lines.push(style.dim(`      ${document.name}: ${document.why}`));
      if (mode === 'json') lines.push(style.dim(indent(JSON.stringify(document.document, null, 2), 8)));
      else for (const statement of document.document.Statement) lines.push(style.dim(`        ${describeStatement(statement)}`));
    }
  }
  return lines.join('\n');
}

export function renderPlan(plan: SetupPlan, style: Style, options: RenderPlanOptions = {}): string {
  const lines = [style.bold(`Plan for account ${plan.account} in ${plan.region}`) + style.dim(` (as ${plan.caller})`), ''];
  for (const step of plan.steps) lines.push(renderStep(step, style, options));
  if (plan.problems.length > 0) {
    lines.push('', style.red('Problems (nothing will be changed until they are fixed):'));
    for (const problem of plan.problems) lines.push(`  ${style.red(style.symbols.fail)} ${problem.message}${problem.hint ? `\n      ${problem.hint}` : ''}`);
  }
  if (plan.warnings.length > 0) {
    lines.push('', style.yellow('Warnings:'));
    for (const warning of plan.warnings) lines.push(`  ${style.yellow(style.symbols.warn)} ${warning.message}${warning.hint ? `\n      ${warning.hint}` : ''}`);
  }
  const changes = changesOf(plan.steps);
  const reused = plan.steps.length - changes.length;
  lines.push('');
  if (changes.length === 0) lines.push(style.green(`${style.symbols.ok} Nothing to change: everything is already set up.`));
  else {
    const own = (['replace-profile', 'retag', 'foreign'] as const).flatMap((kind) => {
      const count = changes.filter((step) => step.confirm === kind).length;
      return count === 0 ? [] : [`${OWN_WORDS[kind](count)} (${CONFIRMS[kind].flag})`];
    });
    lines.push(`${plural(changes.length, 'change')}, ${reused} reused${own.length > 0 ? `; these need their own yes (default no): ${own.join(', ')}.` : '.'}`);
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** An apply event as a message for the I/O host: the running step is the live line, finished steps stay. */
export function stepMessage(event: StepEvent): IoMessage {
  const base = { step: event.step.id, title: event.step.title };
  const live = (done: boolean) => ({ key: event.step.id, ...(done ? { done } : {}) });
  switch (event.type) {
    case 'step-start':
      return { code: 'setup.step.start', level: 'info', text: event.step.title, data: base, live: live(false) };
    case 'waiting-for-iam':
      return {
        code: 'setup.step.waiting',
        level: 'warning',
        text: `${event.step.title}\nIAM changes are still spreading; retrying in ${seconds(event.delayMs)} (attempt ${event.attempt + 1})`,
        data: { ...base, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason },
        live: live(false),
      };
    case 'step-done':
      return { code: 'setup.step.done', level: 'success', text: `${event.step.doneTitle}${event.note ? ` (${event.note})` : ''}`, data: { ...base, ...(event.note === undefined ? {} : { note: event.note }) }, live: live(true) };
    case 'step-skip':
      return { code: 'setup.step.skip', level: 'info', text: `- ${event.step.kind === 'reuse' ? event.step.doneTitle : event.step.summary} (${event.reason})`, data: { ...base, reason: event.reason }, live: live(true) };
    case 'step-failed':
      return {
        code: 'setup.step.failed',
        level: 'error',
        text: `${event.step.title} failed: ${event.error.message}`,
        data: { ...base, error: event.error.message, ...(event.error.hint ? { hint: event.error.hint } : {}) },
        live: live(true),
      };
  }
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
