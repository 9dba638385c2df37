import type { AwsClients } from '../clients.js';
import { AwsError, isAwsCode } from '../errors.js';
import { call, paginate } from './call.js';

/**
 * The read-only calls `cd-wizard fix` makes to check a setup, across services, which setup itself never needs:
 * IAM's policy simulator, S3 HeadObject, Auto Scaling lifecycle hooks and EC2 instances by tag key. Kept in
 * their own port so the setup ports stay as small as setup uses them.
 */

export type SimulationDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface SimulationResult {
  action: string;
  decision: SimulationDecision;
}

/** What HeadObject says about the revision object. */
export type ObjectHead = { status: 'found'; size: number; etag?: string; versionId?: string } | { status: 'missing' } | { status: 'denied'; message: string };

export interface LifecycleHook {
  name: string;
  /** autoscaling:EC2_INSTANCE_LAUNCHING | autoscaling:EC2_INSTANCE_TERMINATING */
  transition: string;
}

export interface InspectPort {
  /** iam:SimulatePrincipalPolicy for a role or user ARN: one decision per action (the worst over the resources). */
  simulate(principalArn: string, actions: readonly string[], resources: readonly string[]): Promise<SimulationResult[]>;
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectHead>;
  lifecycleHooks(asg: string): Promise<LifecycleHook[]>;
}

export function createInspectPort(clients: AwsClients): InspectPort {
  return {
    async simulate(principalArn, actions, resources) {
      const h = await clients.iam();
      const results = await paginate(
        (marker) =>
          call(h.target, { service: 'IAM', operation: 'SimulatePrincipalPolicy' }, () =>
            h.client.send(
              new h.sdk.SimulatePrincipalPolicyCommand({
                PolicySourceArn: principalArn,
                ActionNames: [...actions],
                ResourceArns: [...resources],
                ...(marker === undefined ? {} : { Marker: marker }),
              }),
            ),
          ),
        (page) => page.EvaluationResults ?? [],
        (page) => (page.IsTruncated ? page.Marker : undefined),
      );
      return results.map((result) => ({ action: result.EvalActionName ?? '', decision: (result.EvalDecision ?? 'implicitDeny') as SimulationDecision }));
    },

    async headObject(bucket, key, versionId) {
      const h = await clients.s3();
      try {
        const out = await call(h.target, { service: 'S3', operation: 'HeadObject' }, () =>
          h.client.send(new h.sdk.HeadObjectCommand({ Bucket: bucket, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) })),
        );
        return { status: 'found', size: out.ContentLength ?? 0, ...(out.ETag ? { etag: out.ETag } : {}), ...(out.VersionId ? { versionId: out.VersionId } : {}) };
      } catch (error) {
        if (isAwsCode(error, 'NotFound', 'NoSuchKey', 'NoSuchBucket')) return { status: 'missing' };
        if (error instanceof AwsError && (error.kind === 'access-denied' || isAwsCode(error, 'Forbidden'))) return { status: 'denied', message: error.message };
        throw error;
      }
    },

    async lifecycleHooks(asg) {
      const h = await clients.autoScaling();
      const out = await call(h.target, { service: 'AutoScaling', operation: 'DescribeLifecycleHooks' }, () =>
        h.client.send(new h.sdk.DescribeLifecycleHooksCommand({ AutoScalingGroupName: asg })),
      );
      return (out.LifecycleHooks ?? []).map((hook) => ({ name: hook.LifecycleHookName ?? '', transition: hook.LifecycleTransition ?? '' }));
    },
  };
}
