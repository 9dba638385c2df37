import type { AwsPorts } from '../aws/ports/index.js';
import { UserError } from '../errors.js';
import { RESTART_AGENT_SCRIPT, runScript, type SsmOptions } from './agent.js';
import { samePolicy } from './documents.js';
import { deploymentGroupArn, isManagedByCdWizard } from './names.js';
import type { Gone, InstanceRecord, RecordKey, ResourceRecord, StatePatch } from './state.js';
import type { Operation } from './steps.js';
import { runRemoval } from './teardown/operations.js';

/**
 * What each operation does in AWS, for the one executor (execute.ts): the calls, and what they created or reused
 * as a patch for the answers file. Every operation is idempotent: run twice it changes nothing more.
 */

/** Where the steps run: names ARNs the operations record. */
export interface Where {
  account: string;
  partition: string;
  region: string;
}

export interface Outcome {
  patch: StatePatch;
  note?: string;
  /** false: the work was already done and nothing changed. */
  changed?: boolean;
  /** What a removal took away (teardown). */
  gone?: Gone;
}

export type Run = <T>(call: () => Promise<T>) => Promise<T>;

export async function runOperation(op: Exclude<Operation, { type: 'none' }>, ports: AwsPorts, where: Where, retry: Run, ssm: SsmOptions | undefined): Promise<Outcome> {
  switch (op.type) {
    case 'create-role': {
      const { role, created } = await ports.iam.createRole({ name: op.name, trust: op.trust, description: op.description, tags: op.tags });
      // It appeared since we looked (another run): make sure a role of ours trusts the right service.
      if (!created && isManagedByCdWizard(role.tags) && !samePolicy(role.trust, op.trust)) await ports.iam.updateTrust(op.name, op.trust);
      const record: ResourceRecord = { name: op.name, arn: role.arn, status: created ? 'created' : 'reused' };
      return { patch: { [op.role]: record }, ...(created ? {} : { note: 'it already existed' }) };
    }
    case 'update-trust':
      await ports.iam.updateTrust(op.name, op.trust);
      return { patch: { [op.role]: { name: op.name, arn: op.arn, status: 'updated' } } };
    case 'attach-policy':
      await ports.iam.attachPolicy(op.roleName, op.policyArn);
      return { patch: {} };
    case 'put-inline-policy':
      await ports.iam.putInlinePolicy(op.roleName, op.policyName, op.document);
      return { patch: {} };
    case 'create-instance-profile': {
      const { profile, created } = await ports.iam.createInstanceProfile({ name: op.name, tags: op.tags });
      return { patch: { instanceProfile: { name: op.name, arn: profile.arn, status: created ? 'created' : 'reused' } }, ...(created ? {} : { note: 'it already existed' }) };
    }
    case 'set-profile-role':
      for (const other of op.remove) await ports.iam.removeRoleFromInstanceProfile(op.profileName, other);
      await ports.iam.addRoleToInstanceProfile(op.profileName, op.roleName);
      return { patch: {} };
    case 'associate-profile': {
      const instances: Record<string, InstanceRecord> = {};
      for (const id of op.instanceIds) {
        const { associationId } = await retry(() => ports.ec2.associateProfile(id, op.profileName));
        instances[id] = { profile: op.profileName, associationId, profileStatus: 'associated' };
      }
      return { patch: { instances } };
    }
    case 'replace-profile': {
      const { associationId } = await retry(() => ports.ec2.replaceProfile(op.associationId, op.profileName));
      return { patch: { instances: { [op.instanceId]: { profile: op.profileName, associationId, profileStatus: 'replaced', previousProfile: op.currentProfile } } } };
    }
    case 'tag-instances': {
      const instances: Record<string, InstanceRecord> = {};
      for (const batch of op.batches) {
        await ports.ec2.createTags(batch.instanceIds, batch.tags);
        for (const id of batch.instanceIds) instances[id] = { tags: batch.tags };
      }
      return { patch: { instances } };
    }
    case 'create-bucket': {
      const { created } = await ports.s3.createBucket({ name: op.name, region: op.region, tags: op.tags });
      return { patch: { bucket: { name: op.name, arn: `arn:${where.partition}:s3:::${op.name}`, status: created ? 'created' : 'reused' } }, ...(created ? {} : { note: 'it already existed' }) };
    }
    case 'create-application': {
      const { application, created } = await ports.codeDeploy.createApplication({ name: op.name, tags: op.tags });
      return { patch: { application: { name: op.name, id: application.id, status: created ? 'created' : 'reused' } }, ...(created ? {} : { note: 'it already existed' }) };
    }
    case 'create-deployment-group': {
      const { id, created } = await retry(() => ports.codeDeploy.createDeploymentGroup(op.spec, op.tags));
      return {
        patch: { deploymentGroup: { name: op.spec.name, id, arn: deploymentGroupArn(where, op.spec.application, op.spec.name), status: created ? 'created' : 'updated' } },
        ...(created ? {} : { note: 'it already existed; updated it' }),
      };
    }
    case 'update-deployment-group':
      await retry(() => ports.codeDeploy.updateDeploymentGroup(op.spec, op.previous));
      return { patch: { deploymentGroup: { name: op.spec.name, id: op.previous.id, arn: deploymentGroupArn(where, op.spec.application, op.spec.name), status: 'updated' } } };
    case 'redeploy': {
      const { note, changed } = await redeploy(op, ports);
      return { patch: {}, note, changed };
    }
    case 'restart-agent': {
      if (!ssm) throw new UserError('Restarting the agent needs Systems Manager options.');
      const results = await runScript(ports, op.instanceIds, RESTART_AGENT_SCRIPT, 'cd-wizard: restart the CodeDeploy agent', ssm);
      const failed = op.instanceIds.filter((id) => results.get(id)?.status !== 'Success');
      if (failed.length > 0) throw new UserError(`The restart did not finish on ${failed.join(', ')}: ${failed.map((id) => results.get(id)?.status ?? 'no answer').join(', ')}.`);
      return { patch: {}, note: `restarted on ${op.instanceIds.join(', ')}` };
    }
    case 'create-oidc-provider': {
      const { arn, created } = await ports.iam.createOidcProvider({ url: op.url, audiences: op.audiences, tags: op.tags });
      const record: ResourceRecord = { name: op.url.replace(/^https:\/\//, ''), arn, status: created ? 'created' : 'reused' };
      return { patch: { oidcProvider: record }, ...(created ? {} : { note: 'it already existed' }) };
    }
    case 'add-oidc-audience':
      await ports.iam.addOidcAudience(op.arn, op.audience);
      return { patch: {} };
    default:
      return { patch: {}, ...(await runRemoval(op, ports, retry)) };
  }
}

/** A new deployment of the failed one's revision, unless a newer deployment already does that (or is still running). */
async function redeploy(op: Extract<Operation, { type: 'redeploy' }>, ports: AwsPorts): Promise<{ note: string; changed: boolean }> {
  const recent = await ports.deployments.listDeployments(op.application, op.group, { limit: 5 });
  // Newest first: the deployments started after the failed one.
  const at = recent.indexOf(op.failedDeploymentId);
  for (const id of at === -1 ? recent : recent.slice(0, at)) {
    const other = await ports.deployments.getDeployment(id);
    const sameRevision = other.revision?.type === 'S3' && 's3' in other.revision && other.revision.s3.bucket === op.revision.bucket && other.revision.s3.key === op.revision.key;
    const sameOption = op.ignoreApplicationStopFailures ? other.ignoreApplicationStopFailures : other.fileExistsBehavior === op.fileExistsBehavior;
    if (sameRevision && sameOption) return { note: `${id} already redeploys this revision (${other.status})`, changed: false };
    if (!['Succeeded', 'Failed', 'Stopped'].includes(other.status)) throw new UserError(`${id} is still ${other.status} in ${op.group}; wait for it, then run fix again.`);
  }
  const id = await ports.deployments.createDeployment({
    application: op.application,
    group: op.group,
    revision: op.revision,
    description: `cd-wizard fix: redeploy of ${op.failedDeploymentId} (${op.reason})`,
    ...(op.ignoreApplicationStopFailures ? { ignoreApplicationStopFailures: true } : {}),
    ...(op.fileExistsBehavior ? { fileExistsBehavior: op.fileExistsBehavior } : {}),
  });
  return { note: `started ${id}`, changed: true };
}

/** What a create operation will make, recorded as pending before the call. */
export function pendingRecord(op: Operation): StatePatch | undefined {
  const made = (key: RecordKey, name: string): StatePatch => ({ [key]: { name, status: 'pending' } });
  switch (op.type) {
    case 'create-role':
      return made(op.role, op.name);
    case 'create-instance-profile':
      return made('instanceProfile', op.name);
    case 'create-bucket':
      return made('bucket', op.name);
    case 'create-application':
      return made('application', op.name);
    case 'create-deployment-group':
      return made('deploymentGroup', op.spec.name);
    case 'create-oidc-provider':
      return made('oidcProvider', op.url.replace(/^https:\/\//, ''));
    default:
      return undefined;
  }
}
