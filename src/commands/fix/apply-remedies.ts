import type { AwsPorts } from '../../aws/ports/index.js';
import { runAgentChecks, type SsmOptions } from '../../codedeploy/agent.js';
import { runSetupChecks, type CheckInput } from '../../codedeploy/checks.js';
import { executeSteps } from '../../codedeploy/execute.js';
import { remedyChanges } from '../../codedeploy/remedies.js';
import type { Remedy } from '../../codedeploy/verdict.js';
import { UserError } from '../../errors.js';
import type { Host } from '../../io/host.js';
import { createStyle } from '../../io/terminal.js';
import { PromptCancelledError, type Prompter } from '../../prompt/prompter.js';
import { checkLine, remedyLines, type RemedyRecord } from '../../doctor/online-report.js';
import type { FixQuestionId } from './target.js';

/**
 * Remedies: each shown exactly (what it changes) and confirmed one by one (default No; --yes applies them all),
 * run by the one executor setup uses (same steps, same IAM-propagation retry), then re-checked with the same checks.
 */

export interface RemedyRun {
  io: Host;
  yes: boolean;
  /** Undefined: nobody can be asked (no terminal, --json): remedies are only offered, unless --yes. */
  prompter: Prompter<FixQuestionId> | undefined;
  input: CheckInput;
  where: { account: string; partition: string; region: string };
  ssmOptions: SsmOptions;
  sleep?: (ms: number) => Promise<void>;
}

const PLAIN = createStyle(false);

export function remedyRecord(remedy: Remedy): RemedyRecord {
  return { remedy, changes: remedyChanges(remedy), status: 'offered', recheck: [] };
}

/** Offers, asks, applies and re-checks every remedy; returns the remedies section of the report (text). */
export async function runRemedies(ports: AwsPorts, records: RemedyRecord[], run: RemedyRun): Promise<string> {
  const { io } = run;
  const style = io.style;
  const lines = [`\n${style.bold(`cd-wizard can fix ${records.length === 1 ? 'this' : `these ${records.length}`} for you:`)}`];
  let offeredOnly = false;
  for (const record of records) {
    lines.push(remedyLines(record, style).join('\n'));
    let go = run.yes;
    if (!go && run.prompter) {
      go = await run.prompter.confirm({ id: 'remedy', message: `${record.remedy.title}?`, details: record.changes, flag: '--yes', default: false });
      if (!go) record.status = 'declined';
    } else if (!go) {
      offeredOnly = true;
    }
    // A change to something cd-wizard does not own runs only on a person's yes, never on --yes alone.
    if (go) lines.push(...(await applyOne(ports, record, run, run.prompter !== undefined && !run.yes)));
    else if (record.status === 'declined') lines.push(`  ${style.dim('declined: nothing was changed')}`);
  }
  if (offeredOnly) lines.push(style.dim(`Nothing was changed. Run again with --yes to apply ${records.length === 1 ? 'it' : 'them'} (or on a terminal, to be asked one by one).`));
  return lines.join('\n');
}

/** Applies one remedy; its outcome is a message as it happens and lines for the report. */
async function applyOne(ports: AwsPorts, record: RemedyRecord, run: RemedyRun, personSaidYes: boolean): Promise<string[]> {
  const { io } = run;
  const style = io.style;
  const lines: string[] = [];
  const say = (level: 'success' | 'info' | 'error', text: string, styled = text) => {
    io.emit({ code: `fix.remedy.${level === 'error' ? 'failed' : level === 'success' ? 'applied' : 'note'}`, level, text, data: { remedy: record.remedy.title } });
    lines.push(`  ${styled}`);
  };
  try {
    const result = await executeSteps(record.remedy.steps, ports, run.where, {
      onEvent: () => undefined,
      confirmed: () => personSaidYes,
      ssm: run.ssmOptions,
      ...(run.sleep ? { sleep: run.sleep } : {}),
    });
    if (!result.ok && result.failed) throw result.failed.error;
    if (result.skipped.length === record.remedy.steps.length) {
      record.status = 'offered';
      say('info', 'Not applied: it changes something cd-wizard did not create, so it needs your own yes: run fix on a terminal to be asked.');
      return lines;
    }
    const notes = Object.values(result.notes);
    record.status = result.unchanged.length === record.remedy.steps.length ? 'unchanged' : 'applied';
    record.result = notes.length > 0 ? notes.join('; ') : record.remedy.steps.map((one) => one.doneTitle).join('; ');
    const started = notes.map((note) => /^started (d-[A-Z0-9]+)/.exec(note)?.[1]).find((id) => id !== undefined);
    if (started) record.deploymentId = started;
    const text = `${record.result}${started ? `. Follow it: cd-wizard fix --wait --deployment ${started}` : ''}`;
    say('success', `✓ ${text}`, `${style.green(style.symbols.ok)} ${text}`);
    // Re-check: the same check, read afresh, should now pass.
    const ids = record.remedy.recheck;
    if (ids.includes('agent')) {
      const again = await runAgentChecks(ports, record.remedy.steps.flatMap((one) => one.instances), run.ssmOptions);
      record.recheck = again.checks.filter((check) => check.id === 'agent');
    } else if (ids.length > 0) {
      const fresh = await runSetupChecks(ports, run.input);
      record.recheck = fresh.filter((check) => ids.includes(check.id));
    }
    for (const check of record.recheck) say(check.status === 'ok' ? 'success' : 'error', `re-check:${checkLine(check, PLAIN).slice(1)}`, `re-check:${checkLine(check, style).slice(1)}`);
    if (record.remedy.after) say('info', record.remedy.after, style.dim(record.remedy.after));
  } catch (error) {
    if (error instanceof PromptCancelledError) throw error;
    record.status = 'failed';
    record.error = error instanceof Error ? error.message : String(error);
    const hint = error instanceof UserError && error.hint ? `\n    ${error.hint}` : '';
    say('error', `✗ ${record.error}${hint}`, `${style.red(style.symbols.fail)} ${record.error}${hint}`);
  }
  return lines;
}
