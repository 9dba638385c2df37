/**
 * The in-memory fake's teardown port (see fake-ports.ts): the in-use reads and the deletes, on the same state, with
 * IAM's refusals (DeleteConflict while a role has policies or is in a profile, a profile that holds a role) so an
 * order AWS would not accept fails here too.
 */
import type { DeploymentsPort, RevisionsPort, TeardownPort } from '../../src/aws/ports/index.js';
import type { FakeState } from './fake-ports.js';

type Hit = (service: 'IAM' | 'EC2' | 'CodeDeploy' | 'S3' | 'AutoScaling', operation: string, ...args: unknown[]) => void;
type Fail = (service: 'IAM' | 'EC2' | 'CodeDeploy' | 'S3' | 'AutoScaling', operation: string, name: string, message: string) => Error;

export const TEARDOWN_MUTATING = [
  'DeleteDeploymentGroup',
  'DeleteLifecycleHook',
  'DeleteApplication',
  'DisassociateIamInstanceProfile',
  'DeleteTags',
  'DetachRolePolicy',
  'DeleteRolePolicy',
  'DeleteInstanceProfile',
  'DeleteRole',
  'DeleteOpenIDConnectProvider',
  'DeleteObjects',
  'DeleteBucket',
];

export function createTeardownFake(state: FakeState, hit: Hit, fail: Fail): TeardownPort {
  const codeDeployArn = (kind: 'application' | 'deploymentgroup', name: string) => [...state.codeDeployTags.keys()].find((arn) => arn.endsWith(`:${kind}:${name}`));
  return {
    async listInlinePolicies(roleName) {
      hit('IAM', 'ListRolePolicies', roleName);
      return Object.keys(state.roles.get(roleName)?.inline ?? {});
    },
    async profilesOfRole(roleName) {
      hit('IAM', 'ListInstanceProfilesForRole', roleName);
      return [...state.profiles.values()].filter((profile) => profile.roles.some((role) => role.name === roleName)).map((profile) => profile.name);
    },
    async instancesUsingProfile(arn) {
      hit('EC2', 'DescribeInstances', arn);
      return [...state.instances.values()].filter((instance) => instance.profileArn === arn && instance.state !== 'terminated').map((instance) => structuredClone(instance));
    },
    async groupsUsingRole(arn) {
      hit('CodeDeploy', 'BatchGetDeploymentGroups', arn);
      return [...state.deploymentGroups.values()].filter((group) => group.serviceRoleArn === arn).map((group) => `${group.application}/${group.name}`);
    },
    async bucketTags(bucket) {
      hit('S3', 'GetBucketTagging', bucket);
      return state.bucket.status === 'found' ? { ...state.bucketTags } : undefined;
    },
    async listObjects(bucket) {
      hit('S3', 'ListObjectsV2', bucket);
      return state.bucket.status === 'found' ? [...state.objects.keys()].sort().map((key) => ({ key, size: 1 })) : [];
    },
    async objectMetadata(bucket, key) {
      hit('S3', 'HeadObject', bucket, key);
      const metadata = state.objects.get(key);
      return metadata ? { ...metadata } : undefined;
    },

    async deleteDeploymentGroup(application, group) {
      hit('CodeDeploy', 'DeleteDeploymentGroup', application, group);
      const key = `${application}/${group}`;
      const found = state.deploymentGroups.get(key);
      if (!found) return { deleted: false, hooksNotCleanedUp: [] };
      state.deploymentGroups.delete(key);
      for (const asg of found.autoScalingGroups) state.hooks.set(asg, (state.hooks.get(asg) ?? []).filter((hook) => !hook.includes(`-hook-${group}-`)));
      const arn = codeDeployArn('deploymentgroup', key);
      if (arn) state.codeDeployTags.delete(arn);
      return { deleted: true, hooksNotCleanedUp: [] };
    },
    async deleteLifecycleHook(asg, hook) {
      hit('AutoScaling', 'DeleteLifecycleHook', asg, hook);
      const hooks = state.hooks.get(asg) ?? [];
      if (!hooks.includes(hook)) return false;
      state.hooks.set(asg, hooks.filter((name) => name !== hook));
      return true;
    },
    async deleteApplication(name) {
      hit('CodeDeploy', 'DeleteApplication', name);
      if (!state.applications.delete(name)) return false;
      const arn = codeDeployArn('application', name);
      if (arn) state.codeDeployTags.delete(arn);
      return true;
    },
    async disassociateProfile(associationId) {
      hit('EC2', 'DisassociateIamInstanceProfile', associationId);
      const entry = [...state.associations.values()].find((association) => association.id === associationId);
      if (!entry) return false;
      state.associations.delete(entry.instanceId);
      const instance = state.instances.get(entry.instanceId);
      if (instance) delete instance.profileArn;
      return true;
    },
    async deleteTags(ids, tags) {
      hit('EC2', 'DeleteTags', ids, tags);
      for (const id of ids) {
        const instance = state.instances.get(id);
        if (!instance) continue;
        for (const [key, value] of Object.entries(tags)) if (instance.tags[key] === value) delete instance.tags[key];
      }
      return true;
    },
    async detachPolicy(roleName, arn) {
      hit('IAM', 'DetachRolePolicy', roleName, arn);
      const role = state.roles.get(roleName);
      if (!role?.attached.includes(arn)) return false;
      role.attached = role.attached.filter((one) => one !== arn);
      return true;
    },
    async deleteInlinePolicy(roleName, policyName) {
      hit('IAM', 'DeleteRolePolicy', roleName, policyName);
      const role = state.roles.get(roleName);
      if (!role || !(policyName in role.inline)) return false;
      delete role.inline[policyName];
      return true;
    },
    async deleteInstanceProfile(name) {
      hit('IAM', 'DeleteInstanceProfile', name);
      const profile = state.profiles.get(name);
      if (!profile) return false;
      if (profile.roles.length > 0) throw fail('IAM', 'DeleteInstanceProfile', 'DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.');
      state.profiles.delete(name);
      return true;
    },
    async deleteRole(name) {
      hit('IAM', 'DeleteRole', name);
      const role = state.roles.get(name);
      if (!role) return false;
      if (role.attached.length > 0 || Object.keys(role.inline).length > 0) throw fail('IAM', 'DeleteRole', 'DeleteConflictException', 'Cannot delete entity, must delete policies first.');
      if ([...state.profiles.values()].some((profile) => profile.roles.some((one) => one.name === name))) {
        throw fail('IAM', 'DeleteRole', 'DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.');
      }
      state.roles.delete(name);
      return true;
    },
    async deleteOidcProvider(arn) {
      hit('IAM', 'DeleteOpenIDConnectProvider', arn);
      const host = [...state.oidcProviders.entries()].find(([, provider]) => provider.arn === arn)?.[0];
      return host !== undefined && state.oidcProviders.delete(host);
    },
    async deleteObjects(bucket, keys) {
      hit('S3', 'DeleteObjects', bucket, keys);
      let deleted = false;
      for (const key of keys) deleted = state.objects.delete(key) || deleted;
      return deleted;
    },
    async deleteBucket(bucket) {
      hit('S3', 'DeleteBucket', bucket);
      if (state.bucket.status !== 'found') return false;
      if (state.objects.size > 0) throw fail('S3', 'DeleteBucket', 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
      state.bucket = { status: 'missing' };
      state.bucketTags = {};
      return true;
    },
  };
}

/** The one deployments call teardown makes: the group's deployments still running (seeded in `state.activeDeployments`). */
export function createDeploymentsFake(state: FakeState, hit: Hit): DeploymentsPort {
  const unmodelled = (name: string) => () => Promise.reject(new Error(`fake-ports: deployments.${name} is not modelled`));
  let deployments = 0;
  return {
    async listDeployments(application, group) {
      hit('CodeDeploy', 'ListDeployments', application, group);
      return [...(state.activeDeployments.get(`${application}/${group}`) ?? [])];
    },
    getDeployment: unmodelled('getDeployment'),
    listTargetIds: unmodelled('listTargetIds'),
    getTargets: unmodelled('getTargets'),
    async createDeployment(input) {
      hit('CodeDeploy', 'CreateDeployment', input);
      return `d-FAKE${String(++deployments).padStart(5, '0')}`;
    },
  };
}

/**
 * `deploy`'s uploads: the body is read to its end and the object lands in the bucket's objects with the metadata
 * sent (what teardown reads back); a missing bucket is NoSuchBucket. Registering only records the call.
 */
export function createRevisionsFake(state: FakeState, hit: Hit, fail: Fail): RevisionsPort {
  return {
    async upload(input) {
      hit('S3', 'PutObject', input.bucket, input.key, input.metadata);
      let bytes = 0;
      for await (const chunk of input.body) bytes += (chunk as Buffer).length;
      if (state.bucket.status !== 'found') throw fail('S3', 'PutObject', 'NoSuchBucket', 'The specified bucket does not exist');
      state.objects.set(input.key, { ...(input.metadata ?? {}) });
      input.onProgress?.(bytes);
      return { bucket: input.bucket, key: input.key, eTag: `fake${bytes}` };
    },
    async register(input) {
      hit('CodeDeploy', 'RegisterApplicationRevision', input);
    },
  };
}
