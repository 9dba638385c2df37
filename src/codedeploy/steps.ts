import type { CodeDeployDeploymentGroup, DeploymentGroupSpec, S3Revision } from '../aws/ports/index.js';
import type { PolicyDocument } from '../aws/types.js';
import type { PolicySpec } from './documents.js';
import type { RecordKey, StatePatch } from './state.js';

/**
 * Steps as data: what setup's plan lists, what fix's remedies offer, what teardown will reverse. A step says what
 * it changes in words and in API calls before anything happens, and carries the Operation the one executor
 * (execute.ts) runs. A step whose op is `none` changes nothing (a reused resource, recorded in the answers file).
 */

export type StepKind = 'create' | 'reuse' | 'update' | 'attach' | 'tag' | 'associate' | 'replace-profile' | 'deploy' | 'run' | 'delete';
export type ResourceKey = 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'instances' | 'bucket' | 'application' | 'deploymentGroup' | 'deployment' | 'agent' | 'oidcProvider' | 'deployRole';
export type RoleKey = 'serviceRole' | 'instanceRole';
/** Roles the answers file records: setup's two, and the GitHub Actions deploy role. */
export type RecordedRoleKey = RoleKey | 'deployRole';

export type Operation =
  | { type: 'none'; record: StatePatch }
  | { type: 'create-role'; role: RecordedRoleKey; name: string; trust: PolicyDocument; description: string; tags: Record<string, string> }
  | { type: 'update-trust'; role: RecordedRoleKey; name: string; arn: string; trust: PolicyDocument }
  | { type: 'attach-policy'; roleName: string; policyArn: string }
  | { type: 'put-inline-policy'; roleName: string; policyName: string; document: PolicyDocument }
  | { type: 'create-instance-profile'; name: string; tags: Record<string, string> }
  | { type: 'set-profile-role'; profileName: string; profileArn: string; roleName: string; remove: string[] }
  | { type: 'associate-profile'; instanceIds: string[]; profileName: string }
  | { type: 'replace-profile'; instanceId: string; associationId: string; profileName: string; currentProfile: string }
  | { type: 'tag-instances'; batches: Array<{ instanceIds: string[]; tags: Record<string, string> }> }
  | { type: 'create-bucket'; name: string; region: string; tags: Record<string, string> }
  | { type: 'create-application'; name: string; tags: Record<string, string> }
  | { type: 'create-deployment-group'; spec: DeploymentGroupSpec; tags: Record<string, string> }
  | { type: 'update-deployment-group'; spec: DeploymentGroupSpec; previous: CodeDeployDeploymentGroup }
  | {
      type: 'redeploy';
      application: string;
      group: string;
      failedDeploymentId: string;
      revision: S3Revision;
      reason: string;
      ignoreApplicationStopFailures?: boolean;
      fileExistsBehavior?: 'OVERWRITE';
    }
  | { type: 'restart-agent'; instanceIds: string[] }
  | { type: 'create-oidc-provider'; url: string; audiences: string[]; tags: Record<string, string> }
  | { type: 'add-oidc-audience'; arn: string; audience: string }
  | RemovalOperation;

/**
 * Teardown's operations: each removes one thing and is idempotent ("already gone" is success), so a teardown
 * interrupted anywhere converges when run again. `record` names the answers-file record a deletion ends.
 */
export type RemovalOperation =
  | { type: 'delete-deployment-group'; application: string; group: string }
  | { type: 'delete-launch-hooks'; asg: string; hooks: string[] }
  | { type: 'delete-application'; name: string }
  /** Takes the profile setup attached off the instance, or gives back the one it replaced (`restore`). */
  | { type: 'detach-profile'; instanceId: string; profileName: string; restore?: string }
  /** Deletes tags only where they still have the value setup wrote. */
  | { type: 'untag-instances'; batches: Array<{ instanceIds: string[]; tags: Record<string, string> }> }
  | { type: 'remove-role-from-profile'; profileName: string; roleName: string }
  | { type: 'delete-instance-profile'; name: string }
  | { type: 'detach-policy'; roleName: string; policyArn: string }
  | { type: 'delete-inline-policy'; roleName: string; policyName: string }
  | { type: 'delete-role'; record: RecordKey; name: string }
  /**
   * GitHub's OIDC identity provider (`host`), only while no role trusts it but the ones the same teardown deletes
   * before it (`trustedByDeleted`: IAM may still list a role for a moment after DeleteRole).
   */
  | { type: 'delete-oidc-provider'; arn: string; host: string; trustedByDeleted: string[] }
  | { type: 'empty-bucket'; name: string; keys: string[] }
  | { type: 'delete-bucket'; name: string };

export type OperationType = Operation['type'];

/**
 * What `--yes` alone may not change: things cd-wizard did not create. Each class has its own flag, and on a
 * terminal its own question (default No); the plan shows the current value beside each.
 */
export type ConfirmKind = 'replace-profile' | 'retag' | 'foreign';

export const CONFIRMS: Readonly<Record<ConfirmKind, { flag: string; skipped: string }>> = {
  'replace-profile': { flag: '--replace-profile', skipped: 'not confirmed: the instance keeps its current profile (--replace-profile to replace it)' },
  retag: { flag: '--retag', skipped: 'not confirmed: the instance keeps its tag and stays out of the group (--retag to change it)' },
  foreign: { flag: '--change-foreign', skipped: 'not confirmed: cd-wizard did not create it (--change-foreign to change it)' },
};

export interface Step {
  /** Stable id: the answers file, events, rechecks and tests use it. */
  id: string;
  kind: StepKind;
  resource: ResourceKey;
  /** The plan line: "Create service role CodeDeployServiceRole". */
  summary: string;
  /** While running: "Creating service role CodeDeployServiceRole". */
  title: string;
  /** When done: "Created service role CodeDeployServiceRole". */
  doneTitle: string;
  /** Why: the drift found, or what a reused resource is. */
  reason?: string;
  /** The AWS calls the step makes (empty: nothing to do). */
  calls: string[];
  /** Policy documents the step writes. */
  documents: PolicySpec[];
  /** Instances the step changes. */
  instances: string[];
  /** Changes something cd-wizard does not own: needs its own flag or confirmation beyond the plan's (default No). */
  confirm?: ConfirmKind;
  op: Operation;
}

type StepFields = Omit<Step, 'calls' | 'documents' | 'instances'> & Partial<Pick<Step, 'calls' | 'documents' | 'instances'>>;

/** A step; calls, documents and instances default to none. */
export function step(fields: StepFields): Step {
  return { calls: [], documents: [], instances: [], ...fields };
}

const VERBS = { create: ['Create', 'Creating', 'Created'], update: ['Update', 'Updating', 'Updated'] } as const;

/** "Create/Update <what> <name>" with its progress and done titles; `summary` may say more. */
export function namedStep(
  kind: keyof typeof VERBS,
  what: string,
  name: string,
  fields: Omit<StepFields, 'kind' | 'summary' | 'title' | 'doneTitle'> & { summary?: string },
): Step {
  const [verb, doing, done] = VERBS[kind];
  return step({ kind, summary: `${verb} ${what} ${name}`, title: `${doing} ${what} ${name}`, doneTitle: `${done} ${what} ${name}`, ...fields });
}

/** "Reuse <what> <name>": no calls, only a record for the answers file. */
export function reuseStep(id: string, resource: ResourceKey, what: string, name: string, record: StatePatch, reason?: string): Step {
  return step({
    id,
    kind: 'reuse',
    resource,
    summary: `Reuse ${what} ${name}`,
    title: `Checking ${what} ${name}`,
    doneTitle: `Reusing ${what} ${name}`,
    ...(reason === undefined ? {} : { reason }),
    op: { type: 'none', record },
  });
}

export function changesOf(steps: readonly Step[]): Step[] {
  return steps.filter((candidate) => candidate.calls.length > 0);
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}=${value}`)).join(', ');

/** Exactly what an operation changes, one line per change ("iam:AttachRolePolicy Role ← arn…"), shown before it runs. */
export function describeOperation(op: Operation): string[] {
  switch (op.type) {
    case 'none':
      return [];
    case 'create-role':
      return [`iam:CreateRole ${op.name} (trust: ${JSON.stringify(op.trust)})`];
    case 'update-trust':
      return [`iam:UpdateAssumeRolePolicy ${op.name} → ${JSON.stringify(op.trust)}`];
    case 'attach-policy':
      return [`iam:AttachRolePolicy ${op.roleName} ← ${op.policyArn}`];
    case 'put-inline-policy':
      return [`iam:PutRolePolicy ${op.roleName} ${op.policyName} → ${JSON.stringify(op.document)}`];
    case 'create-instance-profile':
      return [`iam:CreateInstanceProfile ${op.name}`];
    case 'set-profile-role':
      return [...op.remove.map((role) => `iam:RemoveRoleFromInstanceProfile ${op.profileName} − ${role}`), `iam:AddRoleToInstanceProfile ${op.profileName} ← ${op.roleName}`];
    case 'associate-profile':
      return op.instanceIds.map((id) => `ec2:AssociateIamInstanceProfile ${id} ← ${op.profileName}`);
    case 'replace-profile':
      return [`ec2:ReplaceIamInstanceProfileAssociation ${op.instanceId}: ${op.currentProfile} → ${op.profileName}`];
    case 'tag-instances':
      return op.batches.flatMap((batch) => batch.instanceIds.map((id) => `ec2:CreateTags ${id} + ${tagText(batch.tags)}`));
    case 'create-bucket':
      return [`s3:CreateBucket ${op.name} (${op.region}), public access blocked, default encryption`];
    case 'create-application':
      return [`codedeploy:CreateApplication ${op.name}`];
    case 'create-deployment-group':
      return [`codedeploy:CreateDeploymentGroup ${op.spec.application}/${op.spec.name}`];
    case 'update-deployment-group':
      return [`codedeploy:UpdateDeploymentGroup ${op.spec.application}/${op.spec.name}`];
    case 'redeploy': {
      const option = op.ignoreApplicationStopFailures ? 'ignoreApplicationStopFailures=true' : `fileExistsBehavior=${op.fileExistsBehavior ?? 'OVERWRITE'}`;
      return [`codedeploy:CreateDeployment ${op.application}/${op.group} s3://${op.revision.bucket}/${op.revision.key} ${option}`];
    }
    case 'restart-agent':
      return op.instanceIds.map((id) => `ssm:SendCommand AWS-RunShellScript on ${id}: restart codedeploy-agent`);
    case 'create-oidc-provider':
      return [`iam:CreateOpenIDConnectProvider ${op.url} (audience ${op.audiences.join(', ')})`];
    case 'add-oidc-audience':
      return [`iam:AddClientIDToOpenIDConnectProvider ${op.arn} + ${op.audience}`];
    default:
      return describeRemoval(op);
  }
}

function describeRemoval(op: RemovalOperation): string[] {
  switch (op.type) {
    case 'delete-deployment-group':
      return [`codedeploy:DeleteDeploymentGroup ${op.application}/${op.group}`];
    case 'delete-launch-hooks':
      return op.hooks.map((hook) => `autoscaling:DeleteLifecycleHook ${op.asg} ${hook}`);
    case 'delete-application':
      return [`codedeploy:DeleteApplication ${op.name}`];
    case 'detach-profile':
      return [op.restore === undefined ? `ec2:DisassociateIamInstanceProfile ${op.instanceId} − ${op.profileName}` : `ec2:ReplaceIamInstanceProfileAssociation ${op.instanceId}: ${op.profileName} → ${op.restore}`];
    case 'untag-instances':
      return op.batches.flatMap((batch) => batch.instanceIds.map((id) => `ec2:DeleteTags ${id} − ${tagText(batch.tags)}`));
    case 'remove-role-from-profile':
      return [`iam:RemoveRoleFromInstanceProfile ${op.profileName} − ${op.roleName}`];
    case 'delete-instance-profile':
      return [`iam:DeleteInstanceProfile ${op.name}`];
    case 'detach-policy':
      return [`iam:DetachRolePolicy ${op.roleName} − ${op.policyArn}`];
    case 'delete-inline-policy':
      return [`iam:DeleteRolePolicy ${op.roleName} ${op.policyName}`];
    case 'delete-role':
      return [`iam:DeleteRole ${op.name}`];
    case 'delete-oidc-provider':
      return [`iam:DeleteOpenIDConnectProvider ${op.arn}`];
    case 'empty-bucket':
      return [`s3:DeleteObjects ${op.name}: ${plural(op.keys.length, 'object')}`];
    case 'delete-bucket':
      return [`s3:DeleteBucket ${op.name}`];
  }
}
