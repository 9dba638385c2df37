import { redact } from '../../diagnose/redact.js';
import type { IoMessage } from '../../io/host.js';
import { stepEventMessage } from '../step-messages.js';
import type { Style } from '../../io/terminal.js';
import type { ExecuteResult, StepEvent } from '../../codedeploy/execute.js';
import type { TeardownPlan } from '../../codedeploy/teardown/plan.js';
import { plural, type Step } from '../../codedeploy/steps.js';

/** Teardown's plan and progress as text and JSON: `-` for what goes, `=` for what stays and why. */

function renderRemoval(step: Step, style: Style): string {
  const lines = [`  ${style.red('-')} ${step.summary}${style.dim(`   ${step.calls.join(', ')}`)}`];
  if (step.reason) lines.push(style.dim(`      ${step.reason}`));
  return lines.join('\n');
}

export interface RenderTeardownOptions {
  /** The bucket's removals are confirmed (--delete-bucket, or a yes): shown with the others. */
  bucketConfirmed?: boolean;
}

export function renderTeardownPlan(plan: TeardownPlan, style: Style, options: RenderTeardownOptions = {}): string {
  const lines = [style.bold(`Teardown plan for account ${plan.account} in ${plan.region}`) + style.dim(` (as ${plan.caller})`), ''];
  for (const step of plan.steps) lines.push(renderRemoval(step, style));
  if (plan.bucketSteps.length > 0) {
    if (plan.steps.length > 0) lines.push('');
    lines.push(options.bucketConfirmed ? '  The revision bucket (you asked for it):' : '  Only with a separate yes (--delete-bucket; default no):');
    for (const step of plan.bucketSteps) lines.push(renderRemoval(step, style));
  }
  if (plan.kept.length > 0) {
    if (plan.steps.length + plan.bucketSteps.length > 0) lines.push('');
    for (const kept of plan.kept) lines.push(style.dim(`  = kept: ${kept.what} ${kept.reason}`));
  }
  if (plan.blocked.length > 0) {
    lines.push('', style.red('Nothing will be removed while:'));
    for (const issue of plan.blocked) lines.push(`  ${style.red(style.symbols.fail)} ${issue.message}${issue.hint ? `\n      ${issue.hint}` : ''}`);
  }
  lines.push('');
  const removals = plan.steps.length;
  const bucket = plan.bucketSteps.length;
  if (removals + bucket === 0) lines.push(style.green(`${style.symbols.ok} Nothing left to remove: nothing cd-wizard created is left${plan.kept.length > 0 ? ' but what is kept above' : ''}.`));
  else {
    lines.push(
      `${plural(removals, 'removal')}${bucket > 0 ? (options.bucketConfirmed ? `, and ${bucket} for the revision bucket` : `; ${bucket} more for the revision bucket ${bucket === 1 ? 'needs its' : 'need their'} own yes`) : ''}; ${plan.kept.length} kept.`,
    );
  }
  return lines.join('\n');
}

export function teardownPlanToJson(plan: TeardownPlan) {
  const step = (one: Step) => ({ id: one.id, summary: one.summary, ...(one.reason === undefined ? {} : { reason: one.reason }), calls: one.calls, instances: one.instances });
  return {
    account: plan.account,
    region: plan.region,
    partition: plan.partition,
    caller: plan.caller,
    nothingToRemove: plan.steps.length + plan.bucketSteps.length === 0,
    steps: plan.steps.map(step),
    bucketSteps: plan.bucketSteps.map(step),
    kept: plan.kept,
    blocked: plan.blocked,
  };
}

/** A removal event as a message for the I/O host (see step-messages.ts). */
export function removalMessage(event: StepEvent): IoMessage {
  return stepEventMessage(event, 'teardown', (step) => step.summary);
}

export function teardownResultToJson(result: ExecuteResult) {
  return {
    ok: result.ok,
    done: result.done,
    unchanged: result.unchanged,
    notes: result.notes,
    ...(result.failed ? { failed: { step: result.failed.step, error: redact(result.failed.error.message), hint: result.failed.error.hint } } : {}),
    ...(result.stopped ? { stopped: true } : {}),
  };
}
