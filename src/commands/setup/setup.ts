import { basename } from 'node:path';
import type { AwsPorts } from '../../aws/ports/index.js';
import { preloadClients } from '../../aws/clients.js';
import { completeAnswers, invalidAnswersError, mergeAnswers, withDefaults, type DraftAnswers, type SetupAnswers } from '../../codedeploy/answers.js';
import { executeSteps, type ExecuteResult, type StepEvent } from '../../codedeploy/execute.js';
import { computePlan, withoutDeclined, type SetupPlan } from '../../codedeploy/plan.js';
import { observe } from '../../codedeploy/observe.js';
import { mergeState } from '../../codedeploy/state.js';
import { CONFIRMS, changesOf, plural, type ConfirmKind } from '../../codedeploy/steps.js';
import { missingAnswers, validateAnswers } from '../../codedeploy/validate.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { createStyle } from '../../io/terminal.js';
import { PromptCancelledError } from '../../prompt/prompter.js';
import { SCHEMA_VERSION, type AnswersFile } from '../../store/answers-file.js';
import { offerAgentInstall } from './agent-offer.js';
import { SetupDeclined, createInteractiveAsker, nonInteractiveAsker, suggestName, type SetupAsker } from './ask.js';
import { draftFromFlags, type SetupFlags } from './flags.js';
import { nextSteps, renderNextSteps } from './next-steps.js';
import { planToJson, renderPlan, resultToJson, stepMessage } from './render.js';

/**
 * `cd-wizard setup`: validate flags → read the answers file → ask what is missing → observe → plan → confirm →
 * save the answers → apply → next steps. The answers file is written only once the plan is accepted: a dry run, a
 * declined plan or a plan with problems never replaces saved answers with unvalidated ones. Results (plan, next
 * steps, JSON) go to stdout; progress and questions to stderr.
 */

export type { SetupFlags } from './flags.js';

/** Seams for tests; every one has a plain default. */
export interface SetupDeps {
  /** Asks missing answers and confirmations. Default: the I/O host's questions on a terminal, nothing otherwise. */
  asker?: SetupAsker;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Plain text for messages: the host styles them by level. */
const PLAIN = createStyle(false);

/** Where the credentials come from, in words, for the "who and where" question. Names only, never keys. */
function credentialsSource(profile: string | undefined, env: NodeJS.ProcessEnv): string {
  if (profile !== undefined) return `${profile} (--profile)`;
  if (env.AWS_PROFILE) return `${env.AWS_PROFILE} (AWS_PROFILE)`;
  if (env.AWS_ACCESS_KEY_ID) return 'none: the keys in AWS_ACCESS_KEY_ID';
  return 'default';
}

interface Collected {
  answers: SetupAnswers;
  file: AnswersFile | undefined;
}

/** Steps 1–4: the flags, the answers file, the region, the questions. No AWS change; nothing written. */
async function collectAnswers(ctx: Context, flags: SetupFlags, fromFlags: DraftAnswers, aws: AwsPorts, asker: SetupAsker, region: { region: string; source: string }): Promise<Collected> {
  const say = (text: string) => ctx.io.emit({ code: 'setup.note', level: 'info', text });
  const store = ctx.answers;
  // A named file that does not exist yet is created from the flags; with no answer flags there is nothing to replay.
  const replayOnly = Object.keys(fromFlags).length === 0;
  const file = store.load();
  if (!file && store.named && replayOnly) throw new UserError(`Cannot read ${store.shown}: no such file.`, { hint: 'Check the path, or run setup with flags (or on a terminal) to create it.', exitCode: 2 });
  if (file && !flags.reconfigure) say(`Using the answers in ${store.source ?? store.shown} (flags override them${store.source === undefined ? '' : `; they will be saved to ${store.shown}`}).`);
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
  const io = ctx.io;
  const interactive = io.interactive;
  const say = (text: string, code = 'setup.note') => io.emit({ code, level: 'info', text });
  const store = ctx.answers;
  const resume = `cd-wizard setup${store.named ? ` --answers ${store.shown}` : ''}`;
  // The flags alone, checked before anything is read (every problem at once).
  const early = draftFromFlags(flags);
  early.problems.push(...validateAnswers(early.draft));
  if (early.problems.length > 0) throw invalidAnswersError(early.problems, 'The flags');

  const session = await ctx.aws();
  // Every read of the plan needs these: their modules compile while the answers are read (or asked) and the first calls are out.
  preloadClients(session.clients, ['sts', 'iam', 'codeDeploy', 's3', 'ec2']);
  if (session.region.note) io.emit({ code: 'setup.region', level: 'warning', text: session.region.note, data: { region: session.region.region, source: session.region.source } });
  const aws = session.ports;
  const asker = deps.asker ?? (interactive ? createInteractiveAsker(io.prompter) : nonInteractiveAsker);
  try {
    const { answers, file } = await collectAnswers(ctx, flags, early.draft, aws, asker, { region: session.region.region, source: session.region.source });

    // Observe and plan (read calls only).
    say(`Checking what already exists in ${answers.region}…`);
    const observation = await observe(answers, aws);
    let plan = computePlan(answers, observation, { ...(file?.state ? { recorded: file.state } : {}), replaceProfiles: flags.replaceProfile ?? false });
    // Wrapped at the terminal's width on a terminal; whole lines into a pipe or a file.
    const planOptions = { verbose: flags.verbose ?? false, ...(ctx.term.isTty ? { width: ctx.term.columns } : {}) };
    if (flags.dryRun && plan.problems.length === 0) {
      io.result({ text: `${renderPlan(plan, io.style, planOptions)}\n\nDry run: nothing was changed and ${store.shown} was not written. Apply it with: ${resume} --yes`, json: { dryRun: true, answersFile: store.path, plan: planToJson(plan) } });
      return ExitCode.Ok;
    }
    // The plan is read before a question (or an error) about it; otherwise it opens the result.
    const changes = changesOf(plan.steps);
    const asking = changes.length > 0 && !flags.yes && (interactive || deps.asker !== undefined);
    const showPlanFirst = asking || plan.problems.length > 0;
    if (showPlanFirst) io.emit({ code: 'setup.plan', level: 'info', text: renderPlan(plan, PLAIN, planOptions), data: { plan: planToJson(plan) } });
    if (plan.problems.length > 0) {
      throw new UserError(
        `Setup cannot go on; nothing was changed:\n${plan.problems.map((problem) => `  • ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`).join('\n')}`,
        { hint: `Fix the answers (flags or ${store.shown}) and run again.` },
      );
    }

    // Confirm. The plan needs --yes or a "yes" on a terminal; replacing instances' profiles needs its own.
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
    const decided = await decideOwnChanges(io, flags, plan, asker, interactive || deps.asker !== undefined, store.shown);
    plan = withoutDeclined(plan, decided.declined);
    const confirmedKinds = decided.allowed;

    // Save the accepted answers, then apply, recording what exists after every step.
    const now = deps.now ?? (() => new Date());
    const stored: AnswersFile = { schemaVersion: SCHEMA_VERSION, answers: { ...answers }, state: { ...(file?.state ?? {}), account: plan.account, partition: plan.partition, region: plan.region, updatedAt: now().toISOString() } };
    store.save(stored);
    say(`Answers saved to ${store.shown}.`);
    const result = await apply(ctx, plan, aws, { resume, deps, confirmedKinds, stored, now });
    if (result.interrupted !== undefined) return result.interrupted;
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

    // The last step: the agent, through Systems Manager, where it manages the instances (asked; --install-agent).
    const pollMs = Number(ctx.env.CD_WIZARD_POLL_MS) > 0 ? Number(ctx.env.CD_WIZARD_POLL_MS) : 2000;
    const agent = await offerAgentInstall(io, aws, plan, { installAgent: flags.installAgent ?? false, ssm: { pollMs, timeoutMs: 600_000, sleep: deps.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))) } });
    const next = nextSteps({
      plan,
      state: result.state,
      platforms: observation.instances.flatMap((instance) => (instance.platform === undefined ? [] : [instance.platform])),
      skippedReplacements: plan.keeping,
      agent: agent.state,
      ...(ctx.globals.profile === undefined ? {} : { profile: ctx.globals.profile }),
    });
    io.result({
      text: `${showPlanFirst ? '' : `${renderPlan(plan, io.style, planOptions)}\n\n`}${io.style.green(io.style.symbols.ok)} ${changes.length === 0 ? 'Already set up.' : 'Setup is done.'}\n${renderNextSteps(next, io.style)}`,
      json: { answersFile: store.path, plan: planToJson(plan), result: resultToJson(result), nextSteps: next, agent: agent.json },
    });
    // --install-agent asked for the agent: an install that did not end with a running agent fails the run.
    if (flags.installAgent && agent.json.results?.some((one) => one.status !== 'installed')) return ExitCode.Failure;
    return ExitCode.Ok;
  } catch (error) {
    // Ctrl-C in a question: every question comes before the first change (nothing registered: "nothing was changed").
    if (error instanceof PromptCancelledError) return io.interrupted();
    if (error instanceof SetupDeclined) {
      say(`${error.message}\n  ${error.hint}`);
      return ExitCode.Ok;
    }
    throw error;
  }
}

/**
 * What `--yes` alone may not change (src/codedeploy/steps.ts ConfirmKind): each kind needs its flag, or its own
 * yes on a terminal (default No). A declined change to a role, policy or group cd-wizard did not create stops setup
 * before anything is changed; declined profile replacements and retags leave those instances out of the group.
 */
async function decideOwnChanges(
  io: Context['io'],
  flags: SetupFlags,
  plan: SetupPlan,
  asker: SetupAsker,
  canAsk: boolean,
  shown: string,
): Promise<{ allowed: Set<ConfirmKind>; declined: { profiles: string[]; retags: string[] } }> {
  const changes = changesOf(plan.steps);
  const flagOf: Record<ConfirmKind, boolean | undefined> = { 'replace-profile': flags.replaceProfile, retag: flags.retag, foreign: flags.changeForeign };
  const allowed = new Set<ConfirmKind>();
  const declined = { profiles: [] as string[], retags: [] as string[] };
  for (const kind of ['foreign', 'replace-profile', 'retag'] as const) {
    const steps = changes.filter((one) => one.confirm === kind);
    if (steps.length === 0) continue;
    const yes = flagOf[kind] ?? (canAsk && !flags.yes ? await asker.confirmOwnChanges(kind, steps) : false);
    if (yes) {
      allowed.add(kind);
      continue;
    }
    if (kind === 'foreign') {
      throw new UserError(
        `Setup would change ${plural(steps.length, 'thing')} cd-wizard did not create, and that was not allowed; nothing was changed:\n${steps.map((one) => `  • ${one.summary}${one.reason ? `: ${one.reason}` : ''}`).join('\n')}`,
        { hint: `Give ${CONFIRMS.foreign.flag} to allow it (the lines above show what is there now), or let setup use resources of its own (--service-role, --instance-role, --instance-profile, --group with new names in ${shown}).` },
      );
    }
    const ids = steps.flatMap((one) => one.instances);
    if (kind === 'replace-profile') declined.profiles.push(...ids);
    else declined.retags.push(...ids);
    const kept = kind === 'retag' ? 'selection tag' : 'instance profile';
    const lines = steps.map((one) => `  • not done: ${one.summary}${one.reason ? ` (${one.reason})` : ''}`);
    io.emit({
      code: `setup.${kind}.declined`,
      level: 'warning',
      text: `${plural(ids.length, 'instance')} ${ids.length === 1 ? 'keeps its' : 'keep their'} ${kept} and ${ids.length === 1 ? 'stays' : 'stay'} out of the group until you give ${CONFIRMS[kind].flag}:\n${lines.join('\n')}`,
      data: { instances: ids },
    });
  }
  return { allowed, declined };
}

async function apply(
  ctx: Context,
  plan: SetupPlan,
  aws: AwsPorts,
  options: { resume: string; deps: SetupDeps; confirmedKinds: ReadonlySet<ConfirmKind>; stored: AnswersFile; now: () => Date },
): Promise<ExecuteResult & { interrupted?: number }> {
  const io = ctx.io;
  const total = changesOf(plan.steps).length;
  let made = 0;
  let stop = false;
  // Ctrl-C: the first stops after the step in flight, the second quits; either way the user learns what was done.
  const off = io.onInterrupt(() => ({
    done: made === 0 ? `nothing was changed yet (your answers are in ${ctx.answers.shown})` : `${made} of ${plural(total, 'change')} ${made === 1 ? 'is' : 'are'} made and recorded in ${ctx.answers.shown}`,
    resume: options.resume,
    softStop: () => {
      stop = true;
    },
  }));
  try {
    const result = await executeSteps(plan.steps, aws, plan, {
      onEvent: (event: StepEvent) => {
        if (event.type === 'step-done') made += 1;
        if (total > 0) io.emit(stepMessage(event));
      },
      confirmed: (step) => step.confirm !== undefined && options.confirmedKinds.has(step.confirm),
      ...(options.deps.sleep === undefined ? {} : { sleep: options.deps.sleep }),
      stopRequested: () => stop,
      record: (patch) => {
        options.stored.state = { ...mergeState(options.stored.state ?? {}, patch), updatedAt: options.now().toISOString() };
        ctx.answers.save(options.stored);
      },
    });
    // Stopped by Ctrl-C after a step: said while what was done is still registered.
    return result.stopped ? { ...result, interrupted: io.interrupted() } : result;
  } finally {
    off();
  }
}
