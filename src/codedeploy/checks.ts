import { accountOfArn, nameOfArn, partitionOfArn } from '../aws/arn.js';
import { AwsError } from '../aws/errors.js';
import type { AwsPorts, CodeDeployDeploymentGroup, Ec2Instance, IamInstanceProfile, S3Revision, SimulationResult } from '../aws/ports/index.js';
import { CODEDEPLOY_ROLE_POLICY, INLINE_POLICY_NAMES, deploymentGroupArn } from './names.js';
import { instancesSelected } from './observe.js';
import { hookVerdict } from './resources/auto-scaling.js';
import { bucketVerdict, grantable, objectArn, objectVerdict, readableVerdict, readGrantRemedy } from './resources/bucket.js';
import { instanceRoles, instancesVerdict, profilesVerdict, selectionText, targetInstances, type InstanceSet } from './resources/instance-checks.js';
import { ESSENTIAL_SERVICE_ACTIONS, observeRole, serviceRoleExistsVerdict, serviceRolePolicyVerdict, serviceRoleTrustVerdict } from './resources/roles.js';
import { isOurs, type SetupState } from './state.js';
import { CouldNotCheck, guarded, type CheckResult } from './verdict.js';

/**
 * Fix's setup checks: each looks at one thing in the live account through the same verdicts and steps as setup.
 * The reads are gathered once (Facts, memoised, so checks that share a read share the call) and every check starts
 * at once. A check whose read is denied says "could not check: <action> denied" and the rest go on.
 */

export interface CheckInput {
  region: string;
  group: CodeDeployDeploymentGroup;
  /** The deployment's S3 revision, when it has one. */
  revision?: S3Revision;
  /**
   * Targets of the deployment that failed (they are checked even when the tags no longer match them). A promise,
   * so the checks that do not need them start while ListDeploymentTargets is still out.
   */
  targetIds: Promise<readonly string[]> | readonly string[];
  /** The instance profile setup created (answers file), offered for instances that have none. */
  knownProfile?: string;
  /** Instances setup prepared (answers file): the ones to tag when the group matches none. */
  candidateInstances: readonly string[];
  /** The revision bucket setup recorded (answers file), checked even before the first deployment. */
  bucket?: string;
  /** What setup recorded (answers file): which resources are ours. */
  recorded?: SetupState;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

export function createFacts(ports: AwsPorts, input: CheckInput) {
  const roleName = nameOfArn(input.group.serviceRoleArn);
  const revisionBucket = input.revision?.bucket ?? input.bucket;
  // Each instance profile is read once, as soon as an instance naming it is seen (not after every instance read).
  const profileReads = new Map<string, Promise<IamInstanceProfile | undefined>>();
  const profileNamed = (name: string) => {
    let read = profileReads.get(name);
    if (read === undefined) {
      read = ports.iam.getInstanceProfile(name);
      // Awaited by the checks that need it; one that is never awaited must not go unhandled.
      read.catch(() => undefined);
      profileReads.set(name, read);
    }
    return read;
  };
  const withProfilesRead = <T extends readonly Ec2Instance[]>(instances: T): T => {
    for (const instance of instances) if (instance.profileArn) void profileNamed(nameOfArn(instance.profileArn));
    return instances;
  };
  const facts = {
    role: once(() => ports.iam.getRole(roleName)),
    attachedPolicies: once(() => ports.iam.listAttachedPolicies(roleName)),
    instances: once(async (): Promise<InstanceSet> => {
      const [tagged, asgs, targets] = await Promise.all([
        instancesSelected(ports, input.group.tagGroups).then(withProfilesRead),
        ports.autoScaling.describeGroups(input.group.autoScalingGroups),
        Promise.resolve(input.targetIds).then((ids) => ports.ec2.describeInstances(ids)).then((read) => ({ ...read, found: withProfilesRead(read.found) })),
      ]);
      const known = new Map([...tagged, ...targets.found].map((instance) => [instance.id, instance]));
      const asgIds = [...new Set(asgs.found.flatMap((group) => group.instanceIds))];
      const unknownMembers = asgIds.filter((id) => !known.has(id));
      for (const member of unknownMembers.length > 0 ? (await ports.ec2.describeInstances(unknownMembers)).found : []) known.set(member.id, member);
      const matched = [...new Map([...tagged, ...asgIds.flatMap((id) => known.get(id) ?? [])].map((instance) => [instance.id, instance])).values()].filter(
        (instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down',
      );
      return { matched, targets: targets.found, missingTargets: targets.missing, missingAsgs: asgs.missing };
    }),
    candidates: once(async (): Promise<Ec2Instance[]> => (input.candidateInstances.length > 0 ? (await ports.ec2.describeInstances(input.candidateInstances)).found : [])),
    profiles: once(async (): Promise<Map<string, IamInstanceProfile | undefined>> => {
      const { matched, targets } = await facts.instances();
      const names = [...new Set([...matched, ...targets].flatMap((instance) => (instance.profileArn ? [nameOfArn(instance.profileArn)] : [])))];
      if (input.knownProfile && !names.includes(input.knownProfile)) names.push(input.knownProfile);
      const found = await Promise.all(names.map(profileNamed));
      return new Map(names.map((name, index) => [name, found[index]]));
    }),
    objectHead: once(() => (input.revision ? ports.inspect.headObject(input.revision.bucket, input.revision.key, input.revision.version) : Promise.resolve(undefined))),
    bucketLocation: once(() => (revisionBucket ? ports.s3.bucketLocation(revisionBucket) : Promise.resolve(undefined))),
  };
  return facts;
}

export type Facts = ReturnType<typeof createFacts>;

export async function runSetupChecks(ports: AwsPorts, input: CheckInput, facts: Facts = createFacts(ports, input)): Promise<CheckResult[]> {
  const { group, region, revision } = input;
  const roleName = nameOfArn(group.serviceRoleArn);
  const partition = partitionOfArn(group.serviceRoleArn || undefined);
  const account = accountOfArn(group.serviceRoleArn) ?? input.recorded?.account ?? '';
  const trustContext = { partition, account, region, sourceArn: deploymentGroupArn({ partition, region, account }, group.application, group.name) };
  const bucket = revision?.bucket ?? input.bucket;
  const needRole = async () => {
    const role = await facts.role();
    if (!role) throw new CouldNotCheck(`role ${roleName || '(none)'} does not exist`);
    return role;
  };
  const needBucket = () => {
    if (!bucket) throw new CouldNotCheck('there is no revision yet, and no bucket in the answers file');
    return bucket;
  };
  const checks: Array<Promise<CheckResult>> = [
    guarded({ id: 'service-role', title: 'Service role exists', looked: `role ${roleName || '(none)'} (iam:GetRole)` }, async () =>
      serviceRoleExistsVerdict(group.serviceRoleArn === '' ? undefined : await facts.role(), group.serviceRoleArn, trustContext),
    ),
    guarded({ id: 'service-role-trust', title: 'CodeDeploy may assume the service role', looked: `trust policy of ${roleName}` }, async () => {
      const role = await needRole();
      return serviceRoleTrustVerdict(role, trustContext, isOurs(role.tags, input.recorded?.serviceRole, role.name));
    }),
    guarded({ id: 'service-role-policy', title: `Service role has ${CODEDEPLOY_ROLE_POLICY}`, looked: `policies attached to ${roleName} (iam:ListAttachedRolePolicies)` }, async () => {
      const [role, attached] = await Promise.all([needRole(), facts.attachedPolicies()]);
      let simulated: SimulationResult[] | undefined;
      if (!attached.some((arn) => arn.endsWith(`/${CODEDEPLOY_ROLE_POLICY}`)) && role.arn) {
        try {
          simulated = await ports.inspect.simulate(role.arn, ESSENTIAL_SERVICE_ACTIONS, ['*']);
        } catch (error) {
          if (!(error instanceof AwsError) || error.kind === 'credentials') throw error;
        }
      }
      return serviceRolePolicyVerdict(role, attached, simulated, isOurs(role.tags, input.recorded?.serviceRole, role.name));
    }),
    guarded({ id: 'instances-match', title: 'Deployment group matches instances', looked: selectionText(group) || 'the deployment group' }, async () =>
      instancesVerdict(group, await facts.instances(), await facts.candidates()),
    ),
    guarded({ id: 'instance-profiles', title: 'Every target instance has an instance profile', looked: 'the instance profile of every target instance' }, async () => {
      const instances = targetInstances(await facts.instances());
      return profilesVerdict(instances, await facts.profiles(), input.knownProfile);
    }),
    guarded(
      {
        id: 'revision-readable',
        title: 'Instance role can read the revision',
        looked: revision ? `s3:GetObject on s3://${revision.bucket}/${revision.key} for each instance role (iam:SimulatePrincipalPolicy)` : `s3:GetObject on s3://${bucket ?? '…'}/* for each instance role (iam:SimulatePrincipalPolicy)`,
      },
      async () => {
        const target = revision ?? { bucket: needBucket(), key: '*' };
        const roles = instanceRoles(targetInstances(await facts.instances()), await facts.profiles());
        const results = await Promise.all(
          [...roles].map(async ([roleArn, instances]) => ({
            roleArn,
            instances,
            simulated: await ports.inspect.simulate(roleArn, revision?.version ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'], [objectArn(target, partitionOfArn(roleArn))]),
          })),
        );
        // For the roles only an Allow is missing from: setup's read policy, read from the role as it is now.
        const remedies = await Promise.all(
          grantable(results).map(async ({ roleArn }) => {
            const role = await observeRole(ports, nameOfArn(roleArn), [INLINE_POLICY_NAMES.revisionRead]);
            const where = { partition: partitionOfArn(roleArn), region, bucket: target.bucket };
            return role ? readGrantRemedy(role, where, isOurs(role.role.tags, input.recorded?.instanceRole, role.role.name)) : undefined;
          }),
        );
        return readableVerdict(`s3://${target.bucket}/${target.key}`, results, remedies.filter((remedy) => remedy !== undefined));
      },
    ),
    guarded({ id: 'revision-bucket', title: `Revision bucket exists in ${region}`, looked: bucket ? `bucket ${bucket} (s3:HeadBucket)` : 'the revision bucket' }, async () => {
      const name = needBucket();
      const location = await facts.bucketLocation();
      if (!location) throw new CouldNotCheck('no revision bucket to look at');
      return bucketVerdict(name, location, region);
    }),
  ];
  if (revision) {
    checks.push(
      guarded({ id: 'revision-exists', title: 'Revision object exists', looked: `s3://${revision.bucket}/${revision.key} (s3:HeadObject)` }, async () => {
        const head = await facts.objectHead();
        if (!head) throw new CouldNotCheck('the deployment has no S3 revision');
        return objectVerdict(revision, head);
      }),
    );
  }
  if (group.autoScalingGroups.length > 0) {
    checks.push(
      guarded({ id: 'asg-hook', title: 'Auto Scaling groups have the CodeDeploy launch hook', looked: `lifecycle hooks of ${group.autoScalingGroups.join(', ')} (autoscaling:DescribeLifecycleHooks)` }, async () => {
        const { missingAsgs } = await facts.instances();
        const present = group.autoScalingGroups.filter((asg) => !missingAsgs.includes(asg));
        const hooks = await Promise.all(present.map(async (asg) => ({ asg, hooks: await ports.inspect.lifecycleHooks(asg) })));
        return hookVerdict(group.name, hooks);
      }),
    );
  }
  return Promise.all(checks);
}
