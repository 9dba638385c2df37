import { AwsError } from '../../aws/errors.js';
import type { AwsPorts } from '../../aws/ports/index.js';
import { UserError } from '../../errors.js';
import type { InstanceRecord, ResourceRecord } from './answers.js';
import { MANAGED_BY_TAG, samePolicy } from './policies.js';
import type { Operation, PlanStep, SetupPlan, StatePatch } from './plan.js';

/**
 * Executes a confirmed plan, step by step, in order. Never prompts and never writes to the terminal: it
 * emits events to a Reporter (ink on a TTY, one line per event when piped, NDJSON with --json) and hands
 * what it created or reused to `record` after every step, so an interrupted run leaves a true state file.
 */

export type SetupEvent =
  | { type: 'step-start'; step: PlanStep }
  | { type: 'step-done'; step: PlanStep; note?: string }
  | { type: 'step-skip'; step: PlanStep; reason: string }
  | { type: 'waiting-for-iam'; step: PlanStep; attempt: number; delayMs: number; reason: string }
  | { type: 'step-failed'; step: PlanStep; error: UserError };

export type Reporter = (event: SetupEvent) => void;

/**
 * Waits between retries while a new role or instance profile spreads through IAM
 * (CodeDeploy "Cannot assume role provided", EC2 "Invalid IAM Instance Profile name"): about 80 s in all.
 */
export const IAM_RETRY_DELAYS_MS: readonly number[] = [2_000, 4_000, 6_000, 8_000, 10_000, 15_000, 15_000, 20_000];

export interface ApplyOptions {
  reporter: Reporter;
  /** Called after every step with what it created or reused; setup.ts writes it to cd-wizard.json. */
  record?: (patch: StatePatch) => void | Promise<void>;
  /** The user said yes to replacing existing instance profiles (the separate confirmation). */
  replaceProfiles?: boolean;
  sleep?: (ms: number) => Promise<void>;
  retryDelaysMs?: readonly number[];
  /** Asked before each step: true stops the run there (Ctrl-C in the progress view); the result says `stopped`. */
  stopRequested?: () => boolean;
}

export interface ApplyResult {
  ok: boolean;
  /** Step ids, in order. */
  done: string[];
  skipped: string[];
  failed?: { step: string; error: UserError };
  /** The user asked to stop; the steps after `done` and `skipped` did not run. */
  stopped?: boolean;
  /** Everything recorded, merged. */
  state: StatePatch;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function mergeState(base: StatePatch, patch: StatePatch): StatePatch {
  const instances: Record<string, InstanceRecord> = { ...(base.instances ?? {}) };
  for (const [id, record] of Object.entries(patch.instances ?? {})) {
    const before = instances[id];
    instances[id] = { ...before, ...record, ...(before?.tags || record.tags ? { tags: { ...before?.tags, ...record.tags } } : {}) };
  }
  return { ...base, ...patch, ...(Object.keys(instances).length > 0 ? { instances } : {}) };
}

function asUserError(step: PlanStep, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UserError(`${step.title} failed: ${message}`, { cause: error, hint: 'Run the same command again: setup continues where it stopped.' });
}

export async function applyPlan(plan: SetupPlan, aws: AwsPorts, options: ApplyOptions): Promise<ApplyResult> {
  const report = options.reporter;
  const sleep = options.sleep ?? defaultSleep;
  const delays = options.retryDelaysMs ?? IAM_RETRY_DELAYS_MS;
  const result: ApplyResult = { ok: true, done: [], skipped: [], state: { account: plan.account, partition: plan.partition, region: plan.region } };

  const record = async (patch: StatePatch) => {
    result.state = mergeState(result.state, patch);
    await options.record?.(patch);
  };

  /** Runs a call, waiting out IAM propagation with bounded backoff. */
  const withIamRetry = async <T>(step: PlanStep, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const delay = delays[attempt - 1];
        if (!(error instanceof AwsError && error.kind === 'iam-propagation') || delay === undefined) throw error;
        report({ type: 'waiting-for-iam', step, attempt, delayMs: delay, reason: error.awsMessage });
        await sleep(delay);
      }
    }
  };

  const execute = async (step: PlanStep, op: Exclude<Operation, { type: 'none' }>): Promise<{ patch: StatePatch; note?: string }> => {
    switch (op.type) {
      case 'create-role': {
        const { role, created } = await aws.iam.createRole({ name: op.name, trust: op.trust, description: op.description, tags: op.tags });
        // It appeared since we looked (another run): make sure a role of ours trusts the right service.
        if (!created && role.tags.ManagedBy === MANAGED_BY_TAG.ManagedBy && !samePolicy(role.trust, op.trust)) await aws.iam.updateTrust(op.name, op.trust);
        const record: ResourceRecord = { name: op.name, arn: role.arn, status: created ? 'created' : 'reused' };
        return { patch: { [op.role]: record }, ...(created ? {} : { note: 'it already existed' }) };
      }
      case 'update-trust':
        await aws.iam.updateTrust(op.name, op.trust);
        return { patch: { [op.role]: { name: op.name, arn: op.arn, status: 'updated' } } };
      case 'attach-policy':
        await aws.iam.attachPolicy(op.roleName, op.policyArn);
        return { patch: {} };
      case 'put-inline-policy':
        await aws.iam.putInlinePolicy(op.roleName, op.policyName, op.document);
        return { patch: {} };
      case 'create-instance-profile': {
        const { profile, created } = await aws.iam.createInstanceProfile({ name: op.name, tags: op.tags });
        return { patch: { instanceProfile: { name: op.name, arn: profile.arn, status: created ? 'created' : 'reused' } }, ...(created ? {} : { note: 'it already existed' }) };
      }
      case 'set-profile-role':
        for (const other of op.remove) await aws.iam.removeRoleFromInstanceProfile(op.profileName, other);
        await aws.iam.addRoleToInstanceProfile(op.profileName, op.roleName);
        return { patch: {} };
      case 'associate-profile': {
        const { associationId } = await withIamRetry(step, () => aws.ec2.associateProfile(op.instanceId, op.profileName));
        return { patch: { instances: { [op.instanceId]: { profile: op.profileName, associationId, profileStatus: 'associated' } } } };
      }
      case 'replace-profile': {
        const { associationId } = await withIamRetry(step, () => aws.ec2.replaceProfile(op.associationId, op.profileName));
        return { patch: { instances: { [op.instanceId]: { profile: op.profileName, associationId, profileStatus: 'replaced' } } } };
      }
      case 'tag-instances': {
        const instances: Record<string, InstanceRecord> = {};
        for (const batch of op.batches) {
          await aws.ec2.createTags(batch.instanceIds, batch.tags);
          for (const id of batch.instanceIds) instances[id] = { tags: batch.tags };
        }
        return { patch: { instances } };
      }
      case 'create-application': {
        const { application, created } = await aws.codeDeploy.createApplication({ name: op.name, tags: op.tags });
        return { patch: { application: { name: op.name, id: application.id, status: created ? 'created' : 'reused' } }, ...(created ? {} : { note: 'it already existed' }) };
      }
      case 'create-deployment-group': {
        const { id, created } = await withIamRetry(step, () => aws.codeDeploy.createDeploymentGroup(op.spec, op.tags));
        return {
          patch: { deploymentGroup: { name: op.spec.name, id, arn: deploymentGroupArn(plan, op.spec.application, op.spec.name), status: created ? 'created' : 'updated' } },
          ...(created ? {} : { note: 'it already existed; updated it' }),
        };
      }
      case 'update-deployment-group':
        await withIamRetry(step, () => aws.codeDeploy.updateDeploymentGroup(op.spec, op.previous));
        return { patch: { deploymentGroup: { name: op.spec.name, id: op.previous.id, arn: deploymentGroupArn(plan, op.spec.application, op.spec.name), status: 'updated' } } };
    }
  };

  for (const step of plan.steps) {
    if (options.stopRequested?.()) {
      result.ok = false;
      result.stopped = true;
      return result;
    }
    const op = step.op;
    if (op.type === 'none') {
      await record(op.record);
      result.skipped.push(step.id);
      report({ type: 'step-skip', step, reason: step.reason ?? 'already set up' });
      continue;
    }
    if (step.confirm === 'replace-profile' && !options.replaceProfiles) {
      result.skipped.push(step.id);
      const instanceId = op.type === 'replace-profile' ? op.instanceId : (step.instances[0] ?? '');
      await record({ instances: { [instanceId]: { profileStatus: 'kept', ...(op.type === 'replace-profile' ? { profile: op.currentProfile } : {}) } } });
      report({ type: 'step-skip', step, reason: 'not confirmed: the instance keeps its current profile (--replace-profile to replace it)' });
      continue;
    }
    report({ type: 'step-start', step });
    try {
      const { patch, note } = await execute(step, op);
      await record(patch);
      result.done.push(step.id);
      report({ type: 'step-done', step, ...(note === undefined ? {} : { note }) });
    } catch (error) {
      const userError = asUserError(step, error);
      result.ok = false;
      result.failed = { step: step.id, error: userError };
      report({ type: 'step-failed', step, error: userError });
      return result;
    }
  }
  return result;
}

export function deploymentGroupArn(plan: Pick<SetupPlan, 'partition' | 'region' | 'account'>, application: string, group: string): string {
  return `arn:${plan.partition}:codedeploy:${plan.region}:${plan.account}:deploymentgroup:${application}/${group}`;
}
