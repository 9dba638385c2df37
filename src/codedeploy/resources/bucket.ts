import { nameOfArn } from '../../aws/arn.js';
import type { BucketLocation, ObjectHead, S3Revision, SimulationResult } from '../../aws/ports/index.js';
import { bucketsGranted, revisionReadPolicy } from '../permissions.js';
import { INLINE_POLICY_NAMES, MANAGED_BY_TAG, resourceKitBucket } from '../names.js';
import { namedStep, reuseStep, type Step } from '../steps.js';
import type { CheckVerdict, Remedy } from '../verdict.js';
import type { Issue } from './instances.js';
import { inlinePolicyStep, type ObservedRole } from './roles.js';

/**
 * The revision bucket: setup creates it when it is missing (public access blocked, default encryption), refuses
 * one in another region (the agent downloads from its own region), and fix checks that the revision in it exists
 * and that the instance roles may read it.
 */

export interface BucketPlan {
  step?: Step;
  problems: Issue[];
  warnings: Issue[];
}

export function planBucket(bucket: string, region: string, location: BucketLocation): BucketPlan {
  if (bucket === resourceKitBucket(region)) {
    return { problems: [{ message: `${bucket} is AWS's agent bucket, not yours.`, hint: 'Give the bucket you upload revisions to (--bucket).' }], warnings: [] };
  }
  switch (location.status) {
    case 'missing':
      return {
        step: namedStep('create', 'revision bucket', bucket, {
          id: 'bucket',
          resource: 'bucket',
          summary: `Create revision bucket ${bucket} in ${region} (public access blocked, default encryption)`,
          reason: 'it does not exist yet; your revisions are uploaded to it and the instances read them from it',
          calls: ['s3:CreateBucket', 's3:PutPublicAccessBlock', 's3:PutBucketEncryption'],
          op: { type: 'create-bucket', name: bucket, region, tags: { ...MANAGED_BY_TAG } },
        }),
        problems: [],
        warnings: [],
      };
    case 'found':
      if (location.region !== region) {
        return {
          problems: [
            {
              message: `Bucket ${bucket} is in ${location.region}, but the instances are in ${region}; CodeDeploy needs the revision bucket in the same region.`,
              hint: `Use a bucket in ${region} (--bucket).`,
            },
          ],
          warnings: [],
        };
      }
      return { step: reuseStep('bucket', 'bucket', 'revision bucket', bucket, {}, `exists in ${region}`), problems: [], warnings: [] };
    case 'unknown':
      return { problems: [], warnings: [{ message: `Could not check bucket ${bucket}: ${location.reason}` }] };
  }
}

/* ---------- fix ---------- */

/** Fix: the bucket setup recorded (or the deployment's) exists, in the deployment's region. */
export function bucketVerdict(bucket: string, location: BucketLocation, region: string): CheckVerdict {
  switch (location.status) {
    case 'found':
      return location.region === region
        ? { status: 'ok', detail: `Bucket ${bucket} is in ${region}, like the deployment.` }
        : {
            status: 'problem',
            detail: `Bucket ${bucket} is in ${location.region}, the deployment in ${region}: the agent downloads from its own region.`,
            cause: 's3-bucket-wrong-region',
            guide: 's3-bucket-wrong-region',
          };
    case 'missing':
      return { status: 'problem', detail: `Bucket ${bucket} does not exist.`, cause: 's3-bucket-missing', guide: 's3-bucket-missing' };
    case 'unknown':
      return { status: 'could-not-check', reason: location.reason };
  }
}

export function objectArn(revision: Pick<S3Revision, 'bucket' | 'key'>, partition: string): string {
  return `arn:${partition}:s3:::${revision.bucket}/${revision.key}`;
}

export function objectVerdict(revision: S3Revision, head: ObjectHead): CheckVerdict {
  const what = `s3://${revision.bucket}/${revision.key}${revision.version ? ` (version ${revision.version})` : ''}`;
  switch (head.status) {
    case 'found':
      return { status: 'ok', detail: `${what} exists (${head.size} bytes).` };
    case 'missing':
      return { status: 'problem', detail: `${what} does not exist.`, cause: 's3-key-not-found', guide: 's3-key-not-found' };
    case 'denied':
      return { status: 'could-not-check', reason: 's3:GetObject denied (HeadObject)' };
  }
}

/** Fix: may every instance role read the revision (or, with no deployment yet, objects of the revision bucket)? */
/** An instance role the simulation denied, and whether an Allow could fix it (no explicit Deny in the way). */
export interface DeniedRole {
  roleArn: string;
  instances: string[];
  simulated: readonly SimulationResult[];
}

/** Roles a read grant would fix: denied only because nothing allows it. An explicit Deny wins over any Allow. */
export function grantable(results: readonly DeniedRole[]): DeniedRole[] {
  return results.filter((result) => result.simulated.some((r) => r.decision === 'implicitDeny') && !result.simulated.some((r) => r.decision === 'explicitDeny'));
}

/**
 * Fix's remedy for an instance role that may not read the revision: setup's read policy on it (the bucket added to
 * the buckets it already grants; statements added by hand kept). On a role cd-wizard did not create, it needs a
 * person's yes. Undefined when the policy is already there as wanted (then something else denies the read).
 */
export function readGrantRemedy(role: ObservedRole, where: { partition: string; region: string; bucket: string }, owned: boolean): Remedy | undefined {
  const keptBuckets = bucketsGranted(role.inline[INLINE_POLICY_NAMES.revisionRead], where.region).filter((bucket) => bucket !== where.bucket);
  const grant = inlinePolicyStep(`revision-readable:${role.role.name}`, 'instanceRole', role.role.name, role, revisionReadPolicy({ ...where, keptBuckets }), !owned);
  if (!grant) return undefined;
  return {
    title: `Let ${role.role.name} read the revisions in ${where.bucket}`,
    steps: [grant],
    recheck: ['revision-readable'],
    after: 'Start a new deployment: the failed one does not retry by itself.',
  };
}

/** `remedies`: for the roles a read grant fixes (see grantable), setup's read policy on each (checks.ts builds them). */
export function readableVerdict(what: string, results: readonly DeniedRole[], remedies: Remedy[] = []): CheckVerdict {
  if (results.length === 0) return { status: 'could-not-check', reason: 'no instance has a role to simulate' };
  const denied = results.filter((result) => result.simulated.some((r) => r.decision !== 'allowed'));
  if (denied.length === 0) return { status: 'ok', detail: `${results.map((r) => nameOfArn(r.roleArn)).join(', ')} may read ${what} (s3:GetObject allowed).` };
  return {
    status: 'problem',
    detail: denied
      .map((result) => `${nameOfArn(result.roleArn)} may not read ${what}: ${result.simulated.filter((r) => r.decision !== 'allowed').map((r) => `${r.action} ${r.decision}`).join(', ')}`)
      .join('; ')
      .concat('.'),
    cause: 's3-access-denied',
    guide: 's3-access-denied',
    instances: denied.flatMap((result) => result.instances),
    remedies,
  };
}
