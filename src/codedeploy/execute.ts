import { AwsError } from '../aws/errors.js';
import type { AwsPorts } from '../aws/ports/index.js';
import { UserError } from '../errors.js';
import type { SsmOptions } from './agent.js';
import { waitsFor } from './levels.js';
import { pendingRecord, runOperation, type Run, type Where } from './operations.js';
import { mergeState, type Gone, type StatePatch } from './state.js';
import { CONFIRMS, type Step } from './steps.js';

/**
 * The one executor: setup's plan, fix's remedies and teardown's removals run their steps here. It never prompts and
 * never writes to the terminal: it reports events, retries what IAM's eventual consistency refuses with one policy,
 * and hands what it created or reused to `record` after every step, so an interrupted run leaves a true answers file.
 * Steps that do not need each other run at the same time, one dependency level after another (levels.ts): a level
 * starts once every step of the one before it has finished, and a failure or a stop ends the run after the steps in
 * flight. Events and results keep the plan's order within a level, whichever call answers first.
 */

export type { Where } from './operations.js';
export { pendingRecord } from './operations.js';

export type StepEvent =
  | { type: 'step-start'; step: Step }
  | { type: 'step-done'; step: Step; note?: string }
  | { type: 'step-skip'; step: Step; reason: string }
  | { type: 'waiting-for-iam'; step: Step; attempt: number; delayMs: number; reason: string }
  | { type: 'step-failed'; step: Step; error: UserError };

/**
 * Waits between retries while a new role or instance profile spreads through IAM (CodeDeploy "Cannot assume role
 * provided", "does not have the permissions required to assume the role"; EC2 "Invalid IAM Instance Profile name"):
 * about 80 s in all.
 */
export const IAM_RETRY_DELAYS_MS: readonly number[] = [2_000, 4_000, 6_000, 8_000, 10_000, 15_000, 15_000, 20_000];

export interface ExecuteOptions {
  onEvent: (event: StepEvent) => void;
  /** Called after every step with what it created or reused (setup writes it to the answers file). */
  record?: (patch: StatePatch) => void | Promise<void>;
  /** Called after a teardown step with what it removed (teardown takes it out of the answers file). */
  forget?: (gone: Gone) => void | Promise<void>;
  /** Steps that need their own confirmation (what cd-wizard does not own) run only when this says yes. */
  confirmed?: (step: Step) => boolean;
  sleep?: (ms: number) => Promise<void>;
  retryDelaysMs?: readonly number[];
  /** Asked before each step starts: true starts no more steps (Ctrl-C); those running end, and the result says `stopped`. */
  stopRequested?: () => boolean;
  /** For operations that run commands on instances. */
  ssm?: SsmOptions;
}

export interface ExecuteResult {
  ok: boolean;
  /** Step ids in the plan's order (whatever order they ended in). */
  done: string[];
  skipped: string[];
  failed?: { step: string; error: UserError };
  /** The user asked to stop; the steps not in `done` and `skipped` did not run. */
  stopped?: boolean;
  /** Everything recorded, merged. */
  state: StatePatch;
  /** What each step said it did (a deployment it started, a restart that did not finish …). */
  notes: Record<string, string>;
  /** Steps that found their work already done (an earlier run, another tool) and changed nothing. */
  unchanged: string[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function asUserError(step: Step, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UserError(`${step.title} failed: ${message}`, { cause: error });
}


/** How one step ended: its last event, and what the result keeps of it. */
type Ending =
  | { type: 'done'; id: string; event: StepEvent; note?: string; changed?: boolean }
  | { type: 'skipped'; id: string; event: StepEvent }
  | { type: 'failed'; id: string; event: StepEvent; error: UserError };

export async function executeSteps(steps: readonly Step[], ports: AwsPorts, where: Where, options: ExecuteOptions): Promise<ExecuteResult> {
  const report = options.onEvent;
  const sleep = options.sleep ?? defaultSleep;
  const delays = options.retryDelaysMs ?? IAM_RETRY_DELAYS_MS;
  const result: ExecuteResult = { ok: true, done: [], skipped: [], state: { account: where.account, partition: where.partition, region: where.region }, notes: {}, unchanged: [] };

  // The answers file is written one patch at a time, in the order the steps asked: two steps that finish together
  // never write over each other's record.
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = (write: () => void | Promise<void>): Promise<void> => {
    const next = writes.then(write);
    writes = next.catch(() => undefined);
    return next;
  };
  const record = (patch: StatePatch) => {
    result.state = mergeState(result.state, patch);
    return serialized(() => options.record?.(patch));
  };
  const forget = (gone: Gone) => serialized(() => options.forget?.(gone));

  /** Runs one step to its end; never throws (a failure is its ending). */
  const runStep = async (current: Step): Promise<Ending> => {
    try {
      return await attempt(current);
    } catch (error) {
      const userError = asUserError(current, error);
      return { type: 'failed', id: current.id, event: { type: 'step-failed', step: current, error: userError }, error: userError };
    }
  };

  /** One step: a skip, or its operation with the pending record before and the result after. Reports `step-start` before its first await. */
  const attempt = async (current: Step): Promise<Ending> => {
    const op = current.op;
    if (op.type === 'none') {
      await record(op.record);
      return { type: 'skipped', id: current.id, event: { type: 'step-skip', step: current, reason: current.reason ?? 'already set up' } };
    }
    if (current.confirm !== undefined && !(options.confirmed?.(current) ?? false)) {
      if (op.type === 'replace-profile') await record({ instances: { [op.instanceId]: { profileStatus: 'kept', profile: op.currentProfile } } });
      return { type: 'skipped', id: current.id, event: { type: 'step-skip', step: current, reason: CONFIRMS[current.confirm].skipped } };
    }
    /** Runs a call, waiting out IAM propagation with bounded backoff. */
    const retry: Run = async (call) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (error) {
          const delay = delays[attempt - 1];
          if (!(error instanceof AwsError && error.kind === 'iam-propagation') || delay === undefined) throw error;
          report({ type: 'waiting-for-iam', step: current, attempt, delayMs: delay, reason: error.awsMessage });
          await sleep(delay);
        }
      }
    };
    report({ type: 'step-start', step: current });
    // Written before the call: if its answer is lost, the re-run knows a resource of that name may be ours.
    const pending = pendingRecord(op);
    if (pending !== undefined) await record(pending);
    const { patch, note, changed, gone } = await runOperation(op, ports, where, retry, options.ssm);
    await record(patch);
    if (gone !== undefined) await forget(gone);
    return { type: 'done', id: current.id, event: { type: 'step-done', step: current, ...(note === undefined ? {} : { note }) }, ...(note === undefined ? {} : { note }), ...(changed === undefined ? {} : { changed }) };
  };

  // Each step starts as soon as the steps it waits for have ended (levels.ts), not when a whole level has: a new
  // bucket's calls do not hold up the roles' policies. Its end is reported when it ends; after a failure or a stop
  // no further step starts, and the ones running finish.
  let halted = false;
  const waits = waitsFor(steps);
  const endings: Array<Promise<Ending | undefined>> = [];
  steps.forEach((current, index) => {
    endings.push(
      Promise.all((waits[index] ?? []).map((before) => endings[before])).then(async (before) => {
        if (halted || before.some((ending) => ending === undefined || ending.type === 'failed')) return undefined;
        if (options.stopRequested?.()) {
          halted = true;
          result.stopped = true;
          return undefined;
        }
        const ending = await runStep(current);
        if (ending.type === 'failed') halted = true;
        report(ending.event);
        return ending;
      }),
    );
  });
  // The result lists the steps in the plan's order, whatever order they ended in.
  for (const ending of await Promise.all(endings)) {
    if (ending === undefined) continue;
    if (ending.type === 'done') {
      result.done.push(ending.id);
      if (ending.changed === false) result.unchanged.push(ending.id);
      if (ending.note !== undefined) result.notes[ending.id] = ending.note;
    } else if (ending.type === 'skipped') {
      result.skipped.push(ending.id);
    } else {
      result.ok = false;
      result.failed ??= { step: ending.id, error: ending.error };
    }
  }
  if (result.stopped) result.ok = false;
  return result;
}
