import { basename } from 'node:path';
import type { AwsPorts } from '../../aws/ports/index.js';
import { completeAnswers, invalidAnswersError, mergeAnswers, withDefaults, type DraftAnswers, type SetupAnswers } from '../../codedeploy/answers.js';
import { executeSteps, type ExecuteResult, type StepEvent } from '../../codedeploy/execute.js';
import { computePlan, observe, withoutDeclined, type SetupPlan } from '../../codedeploy/plan.js';
import { mergeState } from '../../codedeploy/state.js';
import { changesOf, plural } from '../../codedeploy/steps.js';
import { missingAnswers, validateAnswers } from '../../codedeploy/validate.js';
import type { Context } from '../../context.js';
import { redact } from '../../diagnose/redact.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { EXIT_CANCELLED, PromptCancelledError } from '../../prompt/prompter.js';
import { SCHEMA_VERSION, type AnswersFile } from '../../store/answers-file.js';
import { SetupDeclined, createInteractiveAsker, nonInteractiveAsker, suggestName, type QuestionId, type SetupAsker } from './ask.js';
import { draftFromFlags, type SetupFlags } from './flags.js';
import { nextSteps, renderNextSteps } from './next-steps.js';
import { eventToJson, planToJson, renderEvent, renderPlan, resultToJson } from './render.js';

/**
 * `cd-wizard setup`: validate flags → read the answers file → ask what is missing → observe → plan → confirm →
 * save the answers → apply → next steps. The answers file is written only once the plan is accepted: a dry run, a
 * declined plan or a plan with problems never replaces saved answers with unvalidated ones. Results (plan, next
 * steps, JSON) go to stdout; progress and questions to stderr.
 */

export type { SetupFlags } from './flags.js';

/** Seams for the UI and for tests; every one has a plain default. */
export interface SetupDeps {
  /** Asks missing answers and confirmations. Default: @inquirer/prompts on a terminal, nothing otherwise. */
  asker?: SetupAsker;
  /** Shows apply progress. Default: the ink view on a terminal, else one line per event on stderr (NDJSON with --json). */
  reporter?: (event: StepEvent) => void;
  /** Shows the plan before the confirmation. Default: renderPlan on stdout. */
  presentPlan?: (plan: SetupPlan) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Where the credentials come from, in words, for the "who and where" question. Names only, never keys. */
function credentialsSource(profile: string | undefined, env: NodeJS.ProcessEnv): string {
  if (profile !== undefined) return `${profile} (--profile)`;
  if (env.AWS_PROFILE) return `${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (env.AWS_ACCESS_KEY_ID) return 'none: the keys in AWS_ACCESS_KEY_ID';
  return 'default';
}

/** Questions on the terminal, with @inquirer/prompts (loaded only now). */
async function terminalPrompter(ctx: Context) {
  const { createInquirerPrompter } = await import('../../prompt/inquirer-prompter.js');
  return createInquirerPrompter<QuestionId>({ input: ctx.term.stdin, output: ctx.term.stderr, rows: ctx.term.rows, color: ctx.style.enabled });
}

/** The ink progress view (loaded only now), fed the same events as the line reporter. */
async function inkProgress(ctx: Context, total: number, resume: string) {
  const { startSetupProgress } = await import('../../ui/setup-progress.js');
  const session = startSetupProgress(ctx.term, {
    total,
    onQuit: () => {
      ctx.err(`\nStopped in the middle of a step. Run the same command again to finish: setup continues where it stopped (${resume}).`);
      process.exit(EXIT_CANCELLED);
    },
  });
  const reporter = (event: StepEvent) => session.report(event.type === 'step-failed' ? { ...event, error: { message: redact(event.error.message) } } : event);
  return { session, reporter };
}

interface Collected {
  answers: SetupAnswers;
  file: AnswersFile | undefined;
}

/** Steps 1–4: the flags, the answers file, the region, the questions. No AWS change; nothing written. */
async function collectAnswers(ctx: Context, flags: SetupFlags, fromFlags: DraftAnswers, aws: AwsPorts, asker: SetupAsker, region: { region: string; source: string }): Promise<Collected> {
  const say = (text: string) => (ctx.globals.json ? undefined : ctx.err(text));
  const store = ctx.answers;
  // A named file that does not exist yet is created from the flags; with no answer flags there is nothing to replay.
  const replayOnly = Object.keys(fromFlags).length === 0;
  const file = store.load();
  if (!file && store.named && replayOnly) throw new UserError(`Cannot read ${store.shown}: no such file.`, { hint: 'Check the path, or run setup with flags (or on a terminal) to create it.', exitCode: 2 });
  if (file && !flags.reconfigure) say(`Using the answers in ${store.shown} (flags override them).`);
  else if (!file && store.named) say(`${store.shown} does not exist yet; it will be written once you accept the plan.`);

  // --reconfigure asks every question again, with the saved answers as the defaults.
  let draft: DraftAnswers = flags.reconfigure ? { ...fromFlags } : mergeAnswers(file?.answers, fromFlags);
  draft = { ...draft, region: region.region };
  if (flags.reconfigure || missingAnswers(withDefaults(draft)).length > 0) {
    const app = suggestName(basename(ctx.cwd));
    draft = await asker.askAnswers(draft, {
      aws,
      region: region.region,
      regionSource: region.source,
      credentials: credentialsSource(ctx.globals.profile, ctx.env),
      columns: ctx.term.columns,
      ...(app === undefined ? {} : { suggestedApp: app }),
      ...(flags.reconfigure && file ? { saved: file.answers } : {}),
    });
  }
  return { answers: completeAnswers(draft, store.shown), file };
}

export async function runSetup(ctx: Context, flags: SetupFlags, deps: SetupDeps = {}): Promise<number> {
  const json = ctx.globals.json;
  const interactive = ctx.term.canPrompt && !json;
  const say = (text: string) => {
    if (!json) ctx.err(text);
  };
  const store = ctx.answers;
  const resume = `cd-wizard setup${store.named ? ` --answers ${store.shown}` : ''}`;
  // The flags alone, checked before anything is read (every problem at once).
  const early = draftFromFlags(flags);
  early.problems.push(...validateAnswers(early.draft));
  if (early.problems.length > 0) throw invalidAnswersError(early.problems, 'The flags');

  const session = await ctx.aws();
  if (session.region.note) say(session.region.note);
  const aws = session.ports;
  const asker = deps.asker ?? (interactive ? createInteractiveAsker(await terminalPrompter(ctx)) : nonInteractiveAsker);
  try {
    const { answers, file } = await collectAnswers(ctx, flags, early.draft, aws, asker, { region: session.region.region, source: session.region.source });

    // Observe and plan (read calls only).
    say(`Checking what already exists in ${answers.region}…`);
    const observation = await observe(answers, aws);
    let plan = computePlan(answers, observation, { ...(file?.state ? { recorded: file.state } : {}), replaceProfiles: flags.replaceProfile ?? false });
    if (!json) (deps.presentPlan ?? ((p: SetupPlan) => ctx.out(renderPlan(p, ctx.style))))(plan);
    if (plan.problems.length > 0) {
      throw new UserError(
        `Setup cannot go on; nothing was changed:\n${plan.problems.map((problem) => `  • ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`).join('\n')}`,
        { hint: `Fix the answers (flags or ${store.shown}) and run again.` },
      );
    }
    if (flags.dryRun) {
      if (json) ctx.out(JSON.stringify({ dryRun: true, answersFile: store.path, plan: planToJson(plan) }, null, 2));
      else say(`Dry run: nothing was changed and ${store.shown} was not written. Apply it with: ${resume} --yes`);
      return ExitCode.Ok;
    }

    // Confirm. The plan needs --yes or a "yes" on a terminal; replacing instances' profiles needs its own.
    const changes = changesOf(plan.steps);
    if (changes.length > 0 && !flags.yes) {
      if (!interactive && deps.asker === undefined) {
        throw new UsageError(
          `The plan has ${plural(changes.length, 'change')} and there is no terminal to confirm ${changes.length === 1 ? 'it' : 'them'}; nothing was changed.`,
          `Run again with --yes to apply the plan (${resume} --yes), or --dry-run to only see it.`,
        );
      }
      if (!(await asker.confirmPlan(plan))) {
        say(`Cancelled: nothing was changed${file ? ` and ${store.shown} is as it was` : ''}.`);
        return ExitCode.Ok;
      }
    }
    const replacements = changes.filter((step) => step.confirm === 'replace-profile');
    let replaceProfiles = flags.replaceProfile ?? false;
    if (replacements.length > 0 && !replaceProfiles && !flags.yes && (interactive || deps.asker !== undefined)) replaceProfiles = await asker.confirmReplaceProfiles(replacements);
    if (!replaceProfiles) plan = withoutDeclined(plan, replacements.flatMap((step) => (step.op.type === 'replace-profile' ? [step.op.instanceId] : [])));

    // Save the accepted answers, then apply, recording what exists after every step.
    const now = deps.now ?? (() => new Date());
    const stored: AnswersFile = { schemaVersion: SCHEMA_VERSION, answers: { ...answers }, state: { ...(file?.state ?? {}), account: plan.account, partition: plan.partition, region: plan.region, updatedAt: now().toISOString() } };
    store.save(stored);
    say(`Answers saved to ${store.shown}.`);
    const result = await apply(ctx, plan, aws, { interactive, resume, deps, replaceProfiles, stored, now });
    if (result.stopped) {
      say(`Stopped after ${result.done.length} of ${plural(changesOf(plan.steps).length, 'change')}. Run the same command again to finish: ${resume} (what was done is recorded in ${store.shown}).`);
      return EXIT_CANCELLED;
    }
    if (!result.ok && result.failed) {
      const error = result.failed.error;
      const again = `Run the same command again (${resume}): setup continues where it stopped (what was done is recorded in ${store.shown}).`;
      throw new UserError(error.message, {
        hint: error.hint ? `${error.hint}\n  ${again}` : again,
        ...(error.guide === undefined ? {} : { guide: error.guide }),
        exitCode: error.exitCode,
        cause: error,
      });
    }

    const next = nextSteps({
      plan,
      state: result.state,
      platforms: observation.instances.flatMap((instance) => (instance.platform === undefined ? [] : [instance.platform])),
      skippedReplacements: plan.keeping,
      ...(ctx.globals.profile === undefined ? {} : { profile: ctx.globals.profile }),
    });
    if (json) ctx.out(JSON.stringify({ answersFile: store.path, plan: planToJson(plan), result: resultToJson(result), nextSteps: next }, null, 2));
    else ctx.out(`\n${ctx.style.green(ctx.style.symbols.ok)} ${changesOf(plan.steps).length === 0 ? 'Already set up.' : 'Setup is done.'}\n${renderNextSteps(next, ctx.style)}`);
    return ExitCode.Ok;
  } catch (error) {
    // Ctrl-C in a question: every question comes before the first change.
    if (error instanceof PromptCancelledError) {
      say('\nCancelled; nothing was changed.');
      return EXIT_CANCELLED;
    }
    if (error instanceof SetupDeclined) {
      say(`${error.message}\n  ${error.hint}`);
      return ExitCode.Ok;
    }
    throw error;
  }
}

async function apply(
  ctx: Context,
  plan: SetupPlan,
  aws: AwsPorts,
  options: { interactive: boolean; resume: string; deps: SetupDeps; replaceProfiles: boolean; stored: AnswersFile; now: () => Date },
): Promise<ExecuteResult> {
  const changes = changesOf(plan.steps);
  const ink = changes.length > 0 && options.interactive && options.deps.reporter === undefined ? await inkProgress(ctx, plan.steps.length, options.resume) : undefined;
  const lines = (event: StepEvent) => ctx.err(ctx.globals.json ? eventToJson(event) : renderEvent(event, ctx.style));
  const reporter = changes.length === 0 ? () => undefined : (ink?.reporter ?? options.deps.reporter ?? lines);
  try {
    return await executeSteps(plan.steps, aws, plan, {
      onEvent: reporter,
      confirmed: () => options.replaceProfiles,
      ...(options.deps.sleep === undefined ? {} : { sleep: options.deps.sleep }),
      ...(ink === undefined ? {} : { stopRequested: ink.session.stopRequested }),
      record: (patch) => {
        options.stored.state = { ...mergeState(options.stored.state ?? {}, patch), updatedAt: options.now().toISOString() };
        ctx.answers.save(options.stored);
      },
    });
  } finally {
    await ink?.session.close();
  }
}
