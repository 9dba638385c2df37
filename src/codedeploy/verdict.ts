import { AwsError } from '../aws/errors.js';
import { parseAccessDenied } from '../aws/sdk-error.js';
import type { ArticleId, CauseId } from '../kb/types.js';
import type { Step } from './steps.js';

/**
 * A check answers ok | problem | could-not-check (a union: "could not check" is never read as ok). A problem names its cause
 * (the id of the guide article that explains it) and may carry remedies: steps the one executor runs, and the
 * checks that should pass afterwards.
 */

export type CheckId =
  | 'service-role'
  | 'service-role-trust'
  | 'service-role-policy'
  | 'instances-match'
  | 'instance-profiles'
  | 'revision-bucket'
  | 'revision-readable'
  | 'revision-exists'
  | 'asg-hook'
  | 'agent'
  | 'agent-credentials-file'
  | 'clock';

export interface Remedy {
  /** What it does, one line ("Let CodeDeploy assume CodeDeployServiceRole (trust policy)"). */
  title: string;
  steps: Step[];
  /** The checks that should pass once it is applied (re-run afterwards). */
  recheck: CheckId[];
  /** Said after it is applied (what the user still has to do). */
  after?: string;
}

export interface CheckHead {
  id: CheckId;
  title: string;
  /** What was looked at, in words ("role CodeDeployServiceRole (iam:GetRole)"). */
  looked: string;
  /** For per-instance checks (the agent over SSM). */
  instance?: string;
}

export type CheckResult =
  | (CheckHead & { status: 'ok'; detail: string })
  | (CheckHead & {
      status: 'problem';
      detail: string;
      severity: 'error' | 'warning';
      /** The cause id it proves, when it maps to one (its guide article explains it). */
      cause?: CauseId;
      guide: ArticleId;
      instances: string[];
      remedies: Remedy[];
    })
  | (CheckHead & { status: 'could-not-check'; reason: string });

export type CheckVerdict =
  | { status: 'ok'; detail: string }
  | { status: 'problem'; detail: string; severity?: 'error' | 'warning'; cause?: CauseId; guide: ArticleId; instances?: string[]; remedies?: Remedy[] }
  | { status: 'could-not-check'; reason: string };

export function toResult(head: CheckHead, verdict: CheckVerdict): CheckResult {
  if (verdict.status === 'problem') {
    return {
      ...head,
      status: 'problem',
      detail: verdict.detail,
      severity: verdict.severity ?? 'error',
      ...(verdict.cause === undefined ? {} : { cause: verdict.cause }),
      guide: verdict.guide,
      instances: verdict.instances ?? [],
      remedies: verdict.remedies ?? [],
    };
  }
  return { ...head, ...verdict };
}

/** Thrown inside a check when something it depends on could not be read. */
export class CouldNotCheck extends Error {}

/** "could not check: iam:SimulatePrincipalPolicy denied" for AccessDenied; the error's own words otherwise. */
export function reasonOf(error: unknown): string {
  if (error instanceof AwsError) {
    if (error.kind === 'access-denied') {
      const action = parseAccessDenied(error.awsMessage).action ?? `${error.service === 'AutoScaling' ? 'autoscaling' : error.service.toLowerCase()}:${error.operation}`;
      return `${action} denied`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs a check; an AWS error (other than bad credentials, which stop everything) becomes could-not-check. */
export async function guarded(head: CheckHead, run: () => Promise<CheckVerdict>): Promise<CheckResult> {
  try {
    return toResult(head, await run());
  } catch (error) {
    if (error instanceof AwsError && error.kind === 'credentials') throw error;
    if (!(error instanceof AwsError) && !(error instanceof CouldNotCheck)) throw error;
    return toResult(head, { status: 'could-not-check', reason: error instanceof CouldNotCheck ? error.message : reasonOf(error) });
  }
}
