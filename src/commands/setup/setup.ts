import { basename, relative, resolve } from 'node:path';
import { createAwsClients, resolveRegion } from '../../aws/clients.js';
import { createAwsPorts, type AwsPorts } from '../../aws/ports/index.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { redact } from '../../diagnose/redact.js';
import { EXIT_CANCELLED, PromptCancelledError } from '../../prompt/prompter.js';
import {
  ANSWERS_FILE,
  SCHEMA_VERSION,
  completeAnswers,
  draftFromFlags,
  invalidAnswersError,
  loadAnswersFile,
  mergeAnswers,
  saveAnswersFile,
  withDefaults,
  type AnswersFile,
  type SetupFlags,
} from './answers.js';
import { applyPlan, mergeState, type Reporter, type SetupEvent } from './apply.js';
import { SetupDeclined, createInteractiveAsker, nonInteractiveAsker, suggestName, type QuestionId, type SetupAsker } from './ask.js';
import { nextSteps, renderNextSteps } from './next-steps.js';
import { changesOf, computePlan, observe, type SetupPlan } from './plan.js';
import { eventToJson, planToJson, renderEvent, renderPlan, resultToJson } from './render.js';
import { missingAnswers, validateAnswers } from './validate.js';

/**
 * `cd-wizard setup`: validate flags → load and merge answers → ask what is missing → save answers →
 * observe → plan → confirm → apply → next steps. Results (plan, next steps, JSON) go to stdout; progress
 * and questions to stderr.
 */

export type { SetupFlags } from './answers.js';

/** Seams for the UI and for tests; every one has a plain default. */
export interface SetupDeps {
  aws?: AwsPorts;
  /** Asks missing answers and confirmations. Default: @inquirer/prompts on a terminal, nothing otherwise. */
  asker?: SetupAsker;
  /** Shows apply progress. Default: the ink view on a terminal, else one line per event on stderr (NDJSON with --json). */
  reporter?: Reporter;
  /** Shows the plan before the confirmation. Default: renderPlan on stdout. */
  presentPlan?: (plan: SetupPlan) => void;
  cwd?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

function lineReporter(ctx: Context): Reporter {
  return (event: SetupEvent) => ctx.err(ctx.globals.json ? eventToJson(event) : renderEvent(event, ctx.style));
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
async function inkProgress(ctx: Context, total: number, shownPath: string) {
  const { startSetupProgress } = await import('../../ui/setup-progress.js');
  const session = startSetupProgress(ctx.term, {
    total,
    onQuit: () => {
      ctx.err(`\nStopped in the middle of a step. Run the same command again to finish: setup continues where it stopped (what was done is in ${shownPath}).`);
      process.exit(EXIT_CANCELLED);
    },
  });
  const reporter: Reporter = (event) => session.report(event.type === 'step-failed' ? { ...event, error: { message: redact(event.error.message) } } : event);
  return { session, reporter };
}

export async function runSetup(ctx: Context, flags: SetupFlags, deps: SetupDeps = {}): Promise<number> {
  const json = ctx.globals.json;
  const interactive = ctx.term.canPrompt && !json;
  const say = (text: string) => {
    if (!json) ctx.err(text);
  };

  // 1. The flags, each checked on its own: every problem at once, before anything else.
  const { draft: fromFlags, problems } = draftFromFlags({ ...flags, ...(ctx.globals.region === undefined ? {} : { region: ctx.globals.region }) });
  problems.push(...validateAnswers(fromFlags));
  if (problems.length > 0) throw invalidAnswersError(problems, 'The flags');

  // 2. The answers file: --answers FILE, or ./cd-wizard.json when present.
  const cwd = deps.cwd ?? process.cwd();
  const path = resolve(cwd, flags.answers ?? ANSWERS_FILE);
  const shownPath = relative(cwd, path) || path;
  // A named file that does not exist yet is created from the flags; with no answer flags there is nothing to replay.
  const replayOnly = Object.keys(fromFlags).filter((key) => key !== 'region').length === 0;
  const file = loadAnswersFile(path, flags.answers !== undefined && replayOnly, shownPath);
  if (file) say(`Using the answers in ${shownPath} (flags override them).`);
  else if (flags.answers !== undefined) say(`${shownPath} does not exist yet; it will be created.`);
  let draft = mergeAnswers(file?.answers, fromFlags);

  // 3. Region (flag, answers file, environment, profile) and the AWS ports. No AWS call yet.
  const profile = ctx.globals.profile;
  const endpointUrl = ctx.globals.endpointUrl;
  const { region, source: regionSource } = await resolveRegion(
    {
      ...(draft.region === undefined ? {} : { region: draft.region, regionSource: fromFlags.region === undefined ? ('answers file' as const) : ('--region' as const) }),
      ...(profile === undefined ? {} : { profile }),
    },
    ctx.env,
  );
  draft = { ...draft, region };
  const aws =
    deps.aws ??
    createAwsPorts(
      createAwsClients({ region, env: ctx.env, ...(profile === undefined ? {} : { profile }), ...(endpointUrl === undefined ? {} : { endpointUrl }) }),
    );

  // 4. Ask only what is still open; without a terminal, completeAnswers names the missing flags.
  const asker =
    deps.asker ??
    (interactive ? createInteractiveAsker(await terminalPrompter(ctx)) : nonInteractiveAsker);
  let saved = false;
  try {
    if (missingAnswers(withDefaults(draft)).length > 0) {
      const app = suggestName(basename(cwd));
      draft = await asker.askAnswers(draft, {
        aws,
        region,
        regionSource,
        credentials: credentialsSource(profile, ctx.env),
        columns: ctx.term.columns,
        ...(app === undefined ? {} : { suggestedApp: app }),
      });
    }
    const answers = completeAnswers(draft);

    // 5. Save the answers before any AWS call, so a replay (--answers FILE --yes) needs no prompt.
    const now = deps.now ?? (() => new Date());
    const stored: AnswersFile = { schemaVersion: SCHEMA_VERSION, answers: { ...answers }, ...(file?.state ? { state: file.state } : {}) };
    saveAnswersFile(path, stored);
    saved = true;
    say(`Answers saved to ${shownPath}.`);

    // 6. Observe and plan (read calls only).
    say(`Checking what already exists in ${region}…`);
    const observation = await observe(answers, aws);
    const plan = computePlan(answers, observation);
    if (!json) (deps.presentPlan ?? ((p: SetupPlan) => ctx.out(renderPlan(p, ctx.style))))(plan);
    if (plan.problems.length > 0) {
      throw new UserError(
        `Setup cannot go on; nothing was changed:\n${plan.problems.map((problem) => `  • ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`).join('\n')}`,
        { hint: `Fix the answers (flags or ${shownPath}) and run again.` },
      );
    }
    if (flags.dryRun) {
      if (json) ctx.out(JSON.stringify({ dryRun: true, answersFile: path, plan: planToJson(plan) }, null, 2));
      else say('Dry run: nothing was changed. Apply it with: cd-wizard setup' + (flags.answers ? ` --answers ${flags.answers}` : '') + ' --yes');
      return ExitCode.Ok;
    }

    // 7. Confirm. The plan needs --yes or a "yes" on a terminal; replacing instances' profiles needs its own.
    const changes = changesOf(plan);
    let replaceProfiles = false;
    if (changes.length > 0) {
      if (!flags.yes) {
        if (!interactive && deps.asker === undefined) {
          throw new UsageError(
            `The plan has ${changes.length} change${changes.length === 1 ? '' : 's'} and there is no terminal to confirm ${changes.length === 1 ? 'it' : 'them'}; nothing was changed.`,
            `Run again with --yes to apply the plan (cd-wizard setup --answers ${shownPath} --yes), or --dry-run to only see it.`,
          );
        }
        if (!(await asker.confirmPlan(plan))) {
          say('Cancelled: nothing was changed.');
          return ExitCode.Ok;
        }
      }
      const replacements = changes.filter((step) => step.confirm === 'replace-profile');
      if (replacements.length > 0) {
        replaceProfiles = flags.replaceProfile ?? (!flags.yes && (interactive || deps.asker !== undefined) ? await asker.confirmReplaceProfiles(replacements) : false);
      }
    }

    // 8. Apply, recording what exists after every step. No more questions from here: on a terminal the ink
    // view takes stdin (Ctrl-C there stops after the running step).
    stored.state = { account: plan.account, partition: plan.partition, region: plan.region, updatedAt: now().toISOString() };
    const ink = changes.length > 0 && interactive && deps.reporter === undefined ? await inkProgress(ctx, plan.steps.length, shownPath) : undefined;
    const reporter = changes.length === 0 ? () => undefined : (ink?.reporter ?? deps.reporter ?? lineReporter(ctx));
    let result: Awaited<ReturnType<typeof applyPlan>>;
    try {
      result = await applyPlan(plan, aws, {
        reporter,
        replaceProfiles,
        ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
        ...(ink === undefined ? {} : { stopRequested: ink.session.stopRequested }),
        record: (patch) => {
          stored.state = { ...mergeState(stored.state ?? {}, patch), updatedAt: now().toISOString() };
          saveAnswersFile(path, stored);
        },
      });
    } finally {
      await ink?.session.close();
    }
    if (result.stopped) {
      say(`Stopped after ${result.done.length} of ${changes.length} changes. Run the same command again to finish: setup continues where it stopped (what was done is in ${shownPath}).`);
      return EXIT_CANCELLED;
    }
    if (!result.ok && result.failed) {
      const error = result.failed.error;
      const again = `Run the same command again: setup continues where it stopped (what was done is in ${shownPath}).`;
      throw new UserError(error.message, {
        hint: error.hint && !/run .*again/i.test(error.hint) ? `${error.hint}\n  ${again}` : (error.hint ?? again),
        ...(error.guide === undefined ? {} : { guide: error.guide }),
        exitCode: error.exitCode,
        cause: error,
      });
    }

    // 9. Next steps.
    const skippedReplacements = plan.steps.filter((step) => step.confirm === 'replace-profile' && result.skipped.includes(step.id)).flatMap((step) => step.instances);
    const next = nextSteps({
      plan,
      state: result.state,
      platforms: observation.instances.flatMap((instance) => (instance.platform === undefined ? [] : [instance.platform])),
      skippedReplacements,
      ...(profile === undefined ? {} : { profile }),
    });
    if (json) ctx.out(JSON.stringify({ answersFile: path, plan: planToJson(plan), result: resultToJson(result), nextSteps: next }, null, 2));
    else ctx.out(`\n${ctx.style.green(ctx.style.symbols.ok)} ${changes.length === 0 ? 'Already set up.' : 'Setup is done.'}\n${renderNextSteps(next, ctx.style)}`);
    return ExitCode.Ok;
  } catch (error) {
    // Ctrl-C in a question: every question comes before the first change.
    if (error instanceof PromptCancelledError) {
      say(`\nCancelled; nothing was changed${saved ? ` in AWS (your answers are saved in ${shownPath})` : ''}.`);
      return EXIT_CANCELLED;
    }
    if (error instanceof SetupDeclined) {
      say(`${error.message}\n  ${error.hint}`);
      return ExitCode.Ok;
    }
    throw error;
  }
}
