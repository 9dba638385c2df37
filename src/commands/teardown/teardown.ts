import type { AwsPorts } from '../../aws/ports/index.js';
import { executeSteps, type ExecuteResult } from '../../codedeploy/execute.js';
import { forgetState, type Gone, type SetupState } from '../../codedeploy/state.js';
import { plural, type Step } from '../../codedeploy/steps.js';
import { observeTeardown } from '../../codedeploy/teardown/observe.js';
import { computeTeardown, recordsAnything, type TeardownPlan } from '../../codedeploy/teardown/plan.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import { createStyle } from '../../io/terminal.js';
import { PromptCancelledError } from '../../prompt/prompter.js';
import type { AnswersFile } from '../../store/answers-file.js';
import { removalMessage, renderTeardownPlan, teardownPlanToJson, teardownResultToJson } from './render.js';

/**
 * `cd-wizard teardown`: read the answers file → look at what is left in AWS → plan (what goes, what stays and why)
 * → one confirmation (default No) → a separate one for the revision bucket → remove, writing the answers file
 * after every step so that a run interrupted anywhere picks up where it stopped.
 */

export interface TeardownFlags {
  yes?: boolean;
  dryRun?: boolean;
  /** Delete the revision bucket setup created, with the revisions cd-wizard uploaded to it. */
  deleteBucket?: boolean;
  /** Also delete objects in it that cd-wizard did not upload (implies --delete-bucket). */
  deleteBucketContents?: boolean;
}

/** What teardown asks; tests answer it, a terminal asks through the I/O host. */
export interface TeardownAsker {
  confirmPlan(plan: TeardownPlan): Promise<boolean>;
  confirmBucket(plan: TeardownPlan): Promise<boolean>;
}

export interface TeardownDeps {
  asker?: TeardownAsker;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Plain text for messages: the host styles them by level. */
const PLAIN = createStyle(false);

function hostAsker(ctx: Context): TeardownAsker {
  return {
    confirmPlan: (plan) =>
      ctx.io.prompter.confirm({
        id: 'teardown-confirm',
        message: `Remove these ${plural(plan.steps.length, 'thing')} from account ${plan.account}?`,
        help: 'Only what setup created and still carries ManagedBy=cd-wizard; nothing is removed unless you answer yes.',
        flag: '--yes',
        default: false,
      }),
    confirmBucket: (plan) => {
      const bucket = plan.bucketSteps.find((one) => one.op.type === 'delete-bucket');
      const objects = plan.bucketSteps.find((one) => one.op.type === 'empty-bucket');
      const name = bucket?.op.type === 'delete-bucket' ? bucket.op.name : 'the revision bucket';
      const count = objects?.op.type === 'empty-bucket' ? objects.op.keys.length : 0;
      return ctx.io.prompter.confirm({
        id: 'teardown-bucket',
        message: `Also delete revision bucket ${name}${count > 0 ? ` and the ${plural(count, 'object')} in it` : ''}? This cannot be undone.`,
        help: 'Your uploaded revisions go with it. No keeps the bucket; teardown --delete-bucket removes it later.',
        flag: '--delete-bucket',
        default: false,
      });
    },
  };
}

/** The answers file, saved with a new state. */
function saver(ctx: Context, file: AnswersFile, now: () => Date) {
  let current: AnswersFile = file;
  return {
    get state(): SetupState {
      return current.state ?? {};
    },
    forget(gone: Gone) {
      current = { ...current, state: { ...forgetState(current.state ?? {}, gone), updatedAt: now().toISOString() } };
      ctx.answers.save(current);
    },
  };
}

const forgetsAnything = (gone: Gone) => (gone.records?.length ?? 0) > 0 || Object.keys(gone.instances ?? {}).length > 0;

export async function runTeardown(ctx: Context, flags: TeardownFlags, deps: TeardownDeps = {}): Promise<number> {
  const io = ctx.io;
  const store = ctx.answers;
  const say = (text: string) => io.emit({ code: 'teardown.note', level: 'info', text });
  const resume = `cd-wizard teardown${store.named ? ` --answers ${store.shown}` : ''}`;
  const file = store.load();
  if (!file) {
    throw new UserError(`There is no ${store.shown} here: teardown removes only what setup recorded in it.`, {
      hint: `Run it in the folder where you ran setup, or name the file: cd-wizard teardown --answers path/to/${store.shown}.`,
    });
  }
  const state = file.state ?? {};
  if (!recordsAnything(state)) {
    io.result({ text: `Nothing to tear down: ${store.shown} records nothing that setup created.`, json: { answersFile: store.path, nothingRecorded: true } });
    return ExitCode.Ok;
  }
  const session = await ctx.aws();
  const region = session.region.region;
  if (state.region !== undefined && state.region !== region) {
    throw new UsageError(`${store.shown} records resources in ${state.region}, but this run is for ${region} (from ${session.region.source}).`, `Run it for that region: ${resume} --region ${state.region}`);
  }
  const ports: AwsPorts = session.ports;
  try {
    say(`Checking what is left in ${region}…`);
    const observed = await observeTeardown({ answers: file.answers, state }, ports, region);
    const plan = computeTeardown({ answers: file.answers, state }, observed, region, { deleteBucketContents: flags.deleteBucketContents ?? false });
    if (plan.blocked.length > 0) {
      io.emit({ code: 'teardown.plan', level: 'info', text: renderTeardownPlan(plan, PLAIN), data: { plan: teardownPlanToJson(plan) } });
      throw new UserError(`Teardown cannot go on; nothing was changed:\n${plan.blocked.map((issue) => `  • ${issue.message}`).join('\n')}`, {
        hint: plan.blocked.map((issue) => issue.hint).filter((hint) => hint !== undefined).join('\n  '),
      });
    }
    const bucketWanted = (flags.deleteBucket ?? false) || (flags.deleteBucketContents ?? false);
    if (flags.dryRun) {
      io.result({
        text: `${renderTeardownPlan(plan, io.style, { bucketConfirmed: bucketWanted })}\n\nDry run: nothing was changed and ${store.shown} was not written. Remove it with: ${resume} --yes${plan.bucketSteps.length > 0 && !bucketWanted ? ' (add --delete-bucket for the bucket)' : ''}`,
        json: { dryRun: true, answersFile: store.path, plan: teardownPlanToJson(plan) },
      });
      return ExitCode.Ok;
    }
    return await confirmAndRun(ctx, flags, deps, { file, plan, resume, bucketWanted, ports });
  } catch (error) {
    // Ctrl-C in a question: every question comes before the first removal.
    if (error instanceof PromptCancelledError) return io.interrupted();
    throw error;
  }
}

async function confirmAndRun(
  ctx: Context,
  flags: TeardownFlags,
  deps: TeardownDeps,
  context: { file: AnswersFile; plan: TeardownPlan; resume: string; bucketWanted: boolean; ports: AwsPorts },
): Promise<number> {
  const io = ctx.io;
  const { file, plan, resume } = context;
  const store = ctx.answers;
  const interactive = io.interactive || deps.asker !== undefined;
  const asker = deps.asker ?? hostAsker(ctx);
  const say = (text: string) => io.emit({ code: 'teardown.note', level: 'info', text });
  const asking = !flags.yes && interactive && (plan.steps.length > 0 || (plan.bucketSteps.length > 0 && !context.bucketWanted));
  if (asking) io.emit({ code: 'teardown.plan', level: 'info', text: renderTeardownPlan(plan, PLAIN, { bucketConfirmed: context.bucketWanted }), data: { plan: teardownPlanToJson(plan) } });

  if (plan.steps.length > 0 && !flags.yes) {
    if (!interactive) {
      throw new UsageError(
        `The plan removes ${plural(plan.steps.length, 'thing')} and there is no terminal to confirm it; nothing was changed.`,
        `Run again with --yes to remove them (${resume} --yes), or --dry-run to only see the plan.`,
      );
    }
    if (!(await asker.confirmPlan(plan))) {
      say(`Cancelled: nothing was changed and ${store.shown} is as it was.`);
      return ExitCode.Ok;
    }
  }
  let bucket = context.bucketWanted;
  if (!bucket && plan.bucketSteps.length > 0 && !flags.yes && interactive) bucket = await asker.confirmBucket(plan);

  const steps = [...plan.steps, ...(bucket ? plan.bucketSteps : [])];
  const now = deps.now ?? (() => new Date());
  const saved = saver(ctx, file, now);
  // Records of what is gone already (or was never ours) leave the answers file first.
  if (forgetsAnything(plan.forget)) saved.forget(plan.forget);
  const result = await run(ctx, steps, plan, { saved, resume: `${resume}${flags.yes ? ' --yes' : ''}`, deps, ports: context.ports });
  if (result.interrupted !== undefined) return result.interrupted;
  if (!result.ok && result.failed) {
    const error = result.failed.error;
    const again = `Run the same command again (${resume}${flags.yes ? ' --yes' : ''}): teardown continues where it stopped (what is gone is recorded in ${store.shown}).`;
    throw new UserError(error.message, { hint: error.hint ? `${error.hint}\n  ${again}` : again, exitCode: error.exitCode, cause: error });
  }
  const keptBucket = plan.bucketSteps.length > 0 && !bucket;
  const removed = result.done.length - result.unchanged.length;
  const lines = [
    ...(asking ? [] : [renderTeardownPlan(plan, io.style, { bucketConfirmed: bucket }), '']),
    steps.length === 0
      ? `${io.style.green(io.style.symbols.ok)} Nothing was removed.`
      : `${io.style.green(io.style.symbols.ok)} Teardown is done: ${plural(removed, 'removal')}${result.unchanged.length > 0 ? ` (${result.unchanged.length} already gone)` : ''}.`,
    ...(keptBucket ? [`The revision bucket is kept: ${resume} --delete-bucket removes it.`] : []),
    `Your answers stay in ${store.shown}: cd-wizard setup${store.named ? ` --answers ${store.shown}` : ''} --yes sets it up again.`,
  ];
  io.result({ text: lines.join('\n'), json: { answersFile: store.path, plan: teardownPlanToJson(plan), bucketDeleted: bucket && plan.bucketSteps.length > 0, result: teardownResultToJson(result) } });
  return ExitCode.Ok;
}

async function run(
  ctx: Context,
  steps: Step[],
  plan: TeardownPlan,
  options: { saved: ReturnType<typeof saver>; resume: string; deps: TeardownDeps; ports: AwsPorts },
): Promise<ExecuteResult & { interrupted?: number }> {
  const io = ctx.io;
  let done = 0;
  let stop = false;
  const off = io.onInterrupt(() => ({
    done:
      done === 0
        ? 'nothing was removed yet'
        : `${done} of ${plural(steps.length, 'removal')} ${done === 1 ? 'is' : 'are'} done and recorded in ${ctx.answers.shown}`,
    resume: options.resume,
    softStop: () => {
      stop = true;
    },
  }));
  try {
    const result = await executeSteps(steps, options.ports, plan, {
      onEvent: (event) => {
        if (event.type === 'step-done') done += 1;
        io.emit(removalMessage(event));
      },
      ...(options.deps.sleep === undefined ? {} : { sleep: options.deps.sleep }),
      stopRequested: () => stop,
      forget: (gone) => options.saved.forget(gone),
    });
    return result.stopped ? { ...result, interrupted: io.interrupted() } : result;
  } finally {
    off();
  }
}
