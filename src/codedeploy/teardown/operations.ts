import { nameOfArn } from '../../aws/arn.js';
import { AwsError, isAwsCode } from '../../aws/errors.js';
import type { AwsPorts } from '../../aws/ports/index.js';
import { UserError } from '../../errors.js';
import type { Gone } from '../state.js';
import type { RemovalOperation } from '../steps.js';
import { rolesTrusting } from './observe.js';

/**
 * What teardown's operations do in AWS, run by the one executor (execute.ts). Each is idempotent: what is already
 * gone is success ("it was already gone"), so a run interrupted anywhere converges when started again. Each says
 * what it removed (`gone`), and the executor hands that on so the answers file stays true after every step.
 */

export interface RemovalOutcome {
  note?: string;
  /** false: it was already gone and nothing changed. */
  changed: boolean;
  gone?: Gone;
}

type Run = <T>(call: () => Promise<T>) => Promise<T>;

const ALREADY_GONE = 'it was already gone';

/**
 * IAM refuses to delete a role or profile that still has policies or roles (DeleteConflict) for a moment after they
 * were removed, while its own changes spread. Marked as propagation so the executor waits and tries again.
 */
async function settling<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsError && isAwsCode(error, 'DeleteConflict')) {
      throw new AwsError(error.message, {
        service: error.service,
        operation: error.operation,
        code: error.code,
        kind: 'iam-propagation',
        awsMessage: error.awsMessage,
        hint: 'Something still uses it (a policy, a role or an instance profile added since the plan?). Run cd-wizard teardown again to see it.',
        cause: error,
      });
    }
    throw error;
  }
}

const outcome = (changed: boolean, gone?: Gone, note?: string): RemovalOutcome => ({
  changed,
  ...(gone === undefined ? {} : { gone }),
  ...(note !== undefined ? { note } : changed ? {} : { note: ALREADY_GONE }),
});

async function deleteGroup(op: Extract<RemovalOperation, { type: 'delete-deployment-group' }>, ports: AwsPorts): Promise<RemovalOutcome> {
  const { deleted, hooksNotCleanedUp } = await ports.teardown.deleteDeploymentGroup(op.application, op.group);
  // CodeDeploy removes the launch hooks it installed with the group; the ones it reports it could not, we remove.
  let removed = 0;
  for (const left of hooksNotCleanedUp) for (const hook of left.hooks) if (await ports.teardown.deleteLifecycleHook(left.asg, hook)) removed += 1;
  const note = removed > 0 ? `and ${removed} launch hook${removed === 1 ? '' : 's'} CodeDeploy left on ${hooksNotCleanedUp.map((left) => left.asg).join(', ')}` : undefined;
  return outcome(deleted, { records: ['deploymentGroup'] }, note);
}

async function deleteApplication(name: string, ports: AwsPorts): Promise<RemovalOutcome> {
  let groups: string[];
  try {
    groups = await ports.codeDeploy.listDeploymentGroups(name);
  } catch (error) {
    if (isAwsCode(error, 'ApplicationDoesNotExistException')) return outcome(false, { records: ['application'] });
    throw error;
  }
  // A group made since the plan: the application is someone's again; keep it (and its record) for a later run.
  if (groups.length > 0) return { changed: false, note: `kept: it has deployment group${groups.length === 1 ? '' : 's'} ${groups.join(', ')} now` };
  return outcome(await ports.teardown.deleteApplication(name), { records: ['application'] });
}

async function detachProfile(op: Extract<RemovalOperation, { type: 'detach-profile' }>, ports: AwsPorts): Promise<RemovalOutcome> {
  const gone: Gone = { instances: { [op.instanceId]: { profile: true } } };
  const [association] = await ports.ec2.getProfileAssociations([op.instanceId]);
  // Only where setup's profile is still the one attached: a profile someone put there since stays.
  if (!association || nameOfArn(association.profileArn) !== op.profileName) {
    return outcome(false, gone, association ? `it uses ${nameOfArn(association.profileArn)} now; left as it is` : ALREADY_GONE);
  }
  if (op.restore !== undefined) {
    try {
      await ports.ec2.replaceProfile(association.id, op.restore);
      return outcome(true, gone, `${op.restore} is back`);
    } catch (error) {
      if (!isAwsCode(error, 'InvalidParameterValue', 'NoSuchEntity')) throw error;
      const changed = await ports.teardown.disassociateProfile(association.id);
      return outcome(changed, gone, `${op.restore}, its profile before setup, no longer exists; it has no profile now`);
    }
  }
  return outcome(await ports.teardown.disassociateProfile(association.id), gone);
}

/**
 * A role made since the plan may trust the provider now: then it stays (with its record) for a later run. The roles
 * this teardown deleted are not counted: ListRoles may show them for a moment after DeleteRole.
 */
async function deleteOidcProvider(op: Extract<RemovalOperation, { type: 'delete-oidc-provider' }>, ports: AwsPorts): Promise<RemovalOutcome> {
  const arn = op.arn;
  const trusting = (await rolesTrusting(ports, arn)).filter((role) => !op.trustedByDeleted.includes(role));
  if (trusting.length > 0) return { changed: false, note: `kept: role${trusting.length === 1 ? '' : 's'} ${trusting.join(', ')} trust${trusting.length === 1 ? 's' : ''} it now` };
  return outcome(await ports.teardown.deleteOidcProvider(arn), { records: ['oidcProvider'] });
}

async function emptyBucket(name: string, keys: readonly string[], ports: AwsPorts): Promise<RemovalOutcome> {
  return outcome(await ports.teardown.deleteObjects(name, keys));
}

async function deleteBucket(name: string, ports: AwsPorts): Promise<RemovalOutcome> {
  try {
    return outcome(await ports.teardown.deleteBucket(name), { records: ['bucket'] });
  } catch (error) {
    if (!isAwsCode(error, 'BucketNotEmpty')) throw error;
    throw new UserError(`Bucket ${name} is not empty: objects were added since the plan (or it keeps old versions).`, {
      hint: 'Run cd-wizard teardown again to see them; nothing else was changed by this step.',
      cause: error,
    });
  }
}

export async function runRemoval(op: RemovalOperation, ports: AwsPorts, retry: Run): Promise<RemovalOutcome> {
  switch (op.type) {
    case 'delete-deployment-group':
      return deleteGroup(op, ports);
    case 'delete-launch-hooks': {
      let removed = 0;
      for (const hook of op.hooks) if (await ports.teardown.deleteLifecycleHook(op.asg, hook)) removed += 1;
      return outcome(removed > 0);
    }
    case 'delete-application':
      return deleteApplication(op.name, ports);
    case 'detach-profile':
      return detachProfile(op, ports);
    case 'untag-instances': {
      let changed = false;
      const instances: NonNullable<Gone['instances']> = {};
      for (const batch of op.batches) {
        if (await ports.teardown.deleteTags(batch.instanceIds, batch.tags)) changed = true;
        for (const id of batch.instanceIds) instances[id] = { tags: [...(instances[id]?.tags ?? []), ...Object.keys(batch.tags)] };
      }
      return outcome(changed, { instances });
    }
    case 'remove-role-from-profile':
      // Already tolerant: a role that is not in the profile (or a profile that is gone) is success.
      await ports.iam.removeRoleFromInstanceProfile(op.profileName, op.roleName);
      return outcome(true);
    case 'delete-instance-profile':
      return outcome(await retry(() => settling(() => ports.teardown.deleteInstanceProfile(op.name))), { records: ['instanceProfile'] });
    case 'detach-policy':
      return outcome(await ports.teardown.detachPolicy(op.roleName, op.policyArn));
    case 'delete-inline-policy':
      return outcome(await ports.teardown.deleteInlinePolicy(op.roleName, op.policyName));
    case 'delete-role':
      return outcome(await retry(() => settling(() => ports.teardown.deleteRole(op.name))), { records: [op.record] });
    case 'delete-oidc-provider':
      return deleteOidcProvider(op, ports);
    case 'empty-bucket':
      return emptyBucket(op.name, op.keys, ports);
    case 'delete-bucket':
      return deleteBucket(op.name, ports);
  }
}
