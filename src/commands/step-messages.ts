import type { StepEvent } from '../codedeploy/execute.js';
import type { Step } from '../codedeploy/steps.js';
import type { IoMessage } from '../io/host.js';

/**
 * The one executor's events (setup's applies, teardown's removals) as messages for the I/O host: the running step
 * is the live line, finished steps stay. The commands differ only in their message codes and in what a skipped
 * step says.
 */

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function stepEventMessage(event: StepEvent, command: 'setup' | 'teardown', skipped: (step: Step) => string): IoMessage {
  const base = { step: event.step.id, title: event.step.title };
  const live = (done: boolean) => ({ key: event.step.id, ...(done ? { done } : {}) });
  const code = (what: string) => `${command}.step.${what}`;
  switch (event.type) {
    case 'step-start':
      return { code: code('start'), level: 'info', text: event.step.title, data: base, live: live(false) };
    case 'waiting-for-iam':
      return {
        code: code('waiting'),
        level: 'warning',
        text: `${event.step.title}\nIAM changes are still spreading; retrying in ${seconds(event.delayMs)} (attempt ${event.attempt + 1})`,
        data: { ...base, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason },
        live: live(false),
      };
    case 'step-done':
      return { code: code('done'), level: 'success', text: `${event.step.doneTitle}${event.note ? ` (${event.note})` : ''}`, data: { ...base, ...(event.note === undefined ? {} : { note: event.note }) }, live: live(true) };
    case 'step-skip':
      return { code: code('skip'), level: 'info', text: `- ${skipped(event.step)} (${event.reason})`, data: { ...base, reason: event.reason }, live: live(true) };
    case 'step-failed':
      return {
        code: code('failed'),
        level: 'error',
        text: `${event.step.title} failed: ${event.error.message}`,
        data: { ...base, error: event.error.message, ...(event.error.hint ? { hint: event.error.hint } : {}) },
        live: live(true),
      };
  }
}
