import { createReadStream, statSync, type Stats } from 'node:fs';
import type { Context } from '../../context.js';
import { Diagnoser, type Diagnosis } from '../../diagnose/engine.js';
import { rulesOf } from '../../doctor/rules.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import type { Kb } from '../../kb/kb.js';
import { CHECKED_CAUSE_IDS } from '../../kb/types.js';
import type { OnlineFixDeps, OnlineFixOptions } from './online.js';
import { renderCauseList, renderText, toJson, type CauseEntry, type FixReport, type Suggestion } from '../../doctor/report.js';

export interface FixOptions extends OnlineFixOptions {
  message?: string;
  log?: string;
  redactAccount?: boolean;
  listCauses?: boolean;
  /** The most of a log that is read (tests; default MAX_LOG_BYTES). */
  maxLogBytes?: number;
}

/**
 * The most `fix --log` reads, so that /dev/zero or an endless pipe cannot keep it busy for ever (memory stays flat
 * either way: the diagnoser keeps no more than a few lines). A larger file is read from its last MAX_LOG_BYTES,
 * where the latest failure is; a stream stops at the bound.
 */
export const MAX_LOG_BYTES = 1024 ** 3;

function sizeInWords(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${+(bytes / 1024 ** 2).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** Feeds at most `limit` bytes of `stream` to `feed`; true when it stopped at the bound with more to come. */
async function feedBounded(stream: AsyncIterable<unknown> & { destroy?: () => void }, limit: number, feed: (chunk: Buffer | string) => void): Promise<boolean> {
  let read = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    const room = limit - read;
    if (bytes.length > room) {
      if (room > 0) feed(bytes.subarray(0, room));
      stream.destroy?.();
      return true;
    }
    read += bytes.length;
    feed(bytes);
  }
  return false;
}

/** Flags that only make sense against AWS. */
const ONLINE_FLAGS = ['app', 'group', 'deployment', 'wait', 'all', 'out', 'yes'] as const;

export { rulesOf } from '../../doctor/rules.js';

/** Every cause fix can name, from the catalogue itself: the article that explains it and what detects it. */
export function causeCatalogue(kb: Kb): CauseEntry[] {
  const checked = new Set<string>(CHECKED_CAUSE_IDS);
  return kb.articles
    .filter((article) => article.causes.includes(article.id))
    .map((article) => ({
      id: article.id,
      title: article.title,
      detectedBy: [
        ...(kb.articles.some((other) => other.rules.some((rule) => rule.cause === article.id)) ? (['text'] as const) : []),
        ...(checked.has(article.id) ? (['check'] as const) : []),
      ],
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

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

/**
 * Reads the input in chunks into the diagnoser; keeps only a small sample for guide suggestions. Files and
 * standard input are read as bytes: the diagnoser decodes only the lines worth matching.
 */
function warnCut(ctx: Context, text: string): void {
  ctx.io.emit({ code: 'fix.log.cut', level: 'warning', text });
}

async function diagnoseInput(ctx: Context, diagnoser: Diagnoser, options: FixOptions): Promise<{ diagnosis: Diagnosis; sample: string }> {
  const SAMPLE_LIMIT = 64 * 1024;
  const limit = options.maxLogBytes ?? MAX_LOG_BYTES;
  let sample = '';
  const sampleBytes: Buffer[] = [];
  let sampled = 0;
  const feed = (chunk: Buffer | string) => {
    if (typeof chunk === 'string') {
      sample += chunk.slice(0, SAMPLE_LIMIT - sample.length);
      diagnoser.push(chunk);
      return;
    }
    if (sampled < SAMPLE_LIMIT) {
      sampleBytes.push(chunk.subarray(0, SAMPLE_LIMIT - sampled));
      sampled += Math.min(chunk.length, SAMPLE_LIMIT - sampled);
    }
    diagnoser.pushBytes(chunk);
  };
  if (options.message !== undefined) {
    feed(options.message);
  } else if (options.log === '-') {
    if (ctx.term.stdin.isTTY) ctx.err('Reading the log from standard input; paste it, then press Ctrl-D.');
    if (await feedBounded(ctx.term.stdin, limit, feed)) warnCut(ctx, `Stopped reading standard input after ${sizeInWords(limit)}; the diagnosis covers what was read.`);
  } else if (options.log !== undefined) {
    const file = options.log;
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch (error) {
      throw new UserError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
        hint: 'Check the path. To read standard input, use --log -.',
      });
    }
    if (stats.isDirectory()) throw new UserError(`${file} is a folder, not a log file.`, { hint: 'Give the path of the log file, e.g. /var/log/aws/codedeploy-agent/codedeploy-agent.log.' });
    // A file larger than the bound: its end holds the latest failure.
    const start = stats.isFile() && stats.size > limit ? stats.size - limit : 0;
    if (start > 0) warnCut(ctx, `${file} is ${sizeInWords(stats.size)}; reading its last ${sizeInWords(limit)}, where the latest failure is.`);
    const stream = createReadStream(file, { highWaterMark: 256 * 1024, start });
    try {
      if (await feedBounded(stream, limit, feed)) warnCut(ctx, `Stopped reading ${file} after ${sizeInWords(limit)}; the diagnosis covers what was read.`);
    } catch (error) {
      throw new UserError(`Cannot read ${file}: ${(error as Error).message}.`);
    }
  }
  if (sampleBytes.length > 0) sample = Buffer.concat(sampleBytes).toString('utf8');
  return { diagnosis: diagnoser.end(), sample };
}

export async function runFix(ctx: Context, options: FixOptions, deps: OnlineFixDeps = {}): Promise<number> {
  if (options.listCauses) {
    if (options.message !== undefined || options.log !== undefined) throw new UsageError('--list-causes lists the catalogue; it takes no --message or --log.');
    const causes = causeCatalogue(await ctx.kb());
    ctx.out(ctx.globals.json ? JSON.stringify({ causes }, null, 2) : renderCauseList(causes, ctx.style, ctx.term.isTty ? ctx.term.columns : Number.POSITIVE_INFINITY));
    return ExitCode.Ok;
  }
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
