import { createReadStream, statSync } from 'node:fs';
import type { Context } from '../../context.js';
import { Diagnoser, type Diagnosis } from '../../diagnose/engine.js';
import { rulesOf } from '../../doctor/rules.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import type { Kb } from '../../kb/kb.js';
import type { OnlineFixDeps, OnlineFixOptions } from './online.js';
import { renderText, toJson, type FixReport, type Suggestion } from '../../doctor/report.js';

export interface FixOptions extends OnlineFixOptions {
  message?: string;
  log?: string;
  redactAccount?: boolean;
}

/** Flags that only make sense against AWS. */
const ONLINE_FLAGS = ['app', 'group', 'deployment', 'wait', 'all', 'out', 'yes'] as const;

export { rulesOf } from '../../doctor/rules.js';

/** Words worth searching the guide with: from lines that read like errors, without ids, numbers and paths. */
export function searchTermsFrom(sample: string): string {
  const lines = sample.split('\n');
  const errorish = lines.filter((line) => /error|fail|denied|exception|invalid|not found|unable|cannot|timed? ?out/i.test(line));
  const words = (errorish.length > 0 ? errorish : lines)
    .join(' ')
    .split(/[^\p{L}\p{N}_-]+/u)
    .filter((word) => word.length >= 4 && !/\d/.test(word) && !/^(error|info|warn|debug)$/i.test(word));
  return [...new Set(words.map((word) => word.toLowerCase()))].slice(0, 12).join(' ');
}

function suggest(kb: Kb, sample: string): Suggestion[] {
  const terms = searchTermsFrom(sample);
  if (terms === '') return [];
  return kb
    .search(terms, 3)
    .map((hit) => kb.get(hit.id))
    .filter((article) => article !== undefined)
    .map((article) => ({ id: article.id, title: article.title }));
}

/** Reads the input in chunks into the diagnoser; keeps only a small sample for guide suggestions. */
async function diagnoseInput(ctx: Context, diagnoser: Diagnoser, options: FixOptions): Promise<{ diagnosis: Diagnosis; sample: string }> {
  const SAMPLE_LIMIT = 64 * 1024;
  let sample = '';
  const feed = (chunk: string) => {
    if (sample.length < SAMPLE_LIMIT) sample += chunk.slice(0, SAMPLE_LIMIT - sample.length);
    diagnoser.push(chunk);
  };
  if (options.message !== undefined) {
    feed(options.message);
  } else if (options.log === '-') {
    if (ctx.term.stdin.isTTY) ctx.err('Reading the log from standard input; paste it, then press Ctrl-D.');
    ctx.term.stdin.setEncoding('utf8');
    for await (const chunk of ctx.term.stdin) feed(chunk as string);
  } else if (options.log !== undefined) {
    const file = options.log;
    try {
      if (statSync(file).isDirectory()) throw new UserError(`${file} is a folder, not a log file.`, { hint: 'Give the path of the log file, e.g. /var/log/aws/codedeploy-agent/codedeploy-agent.log.' });
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
        hint: 'Check the path. To read standard input, use --log -.',
      });
    }
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    try {
      for await (const chunk of stream) feed(chunk as string);
    } catch (error) {
      throw new UserError(`Cannot read ${file}: ${(error as Error).message}.`);
    }
  }
  return { diagnosis: diagnoser.end(), sample };
}

export async function runFix(ctx: Context, options: FixOptions, deps: OnlineFixDeps = {}): Promise<number> {
  if (options.message !== undefined && options.log !== undefined) {
    throw new UsageError('Give either --message or --log, not both.');
  }
  if (options.message === undefined && options.log === undefined) {
    // No text given: diagnose a deployment straight from AWS (loaded only now: it pulls in the AWS SDK).
    const { runOnlineFix } = await import('./online.js');
    return runOnlineFix(ctx, options, deps);
  }
  const online = ONLINE_FLAGS.filter((flag) => options[flag] !== undefined && options[flag] !== false);
  if (online.length > 0) {
    throw new UsageError(`${online.map((flag) => `--${flag}`).join(', ')} ${online.length === 1 ? 'works' : 'work'} against AWS, not with --message/--log.`, 'Drop --message/--log to diagnose a deployment in AWS.');
  }
  if (options.message !== undefined && options.message.trim() === '') throw new UsageError('--message is empty.');
  const kb = await ctx.kb();
  const diagnoser = new Diagnoser(rulesOf(kb), { accountIds: options.redactAccount ?? false });
  const { diagnosis, sample } = await diagnoseInput(ctx, diagnoser, options);
  const report: FixReport = { ...diagnosis, suggestions: diagnosis.recognised ? [] : suggest(kb, sample) };
  if (ctx.globals.json) ctx.out(JSON.stringify(toJson(report), null, 2));
  else ctx.out(renderText(report, ctx.style, ctx.term.columns));
  return ExitCode.Ok;
}
