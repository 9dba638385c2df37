import type { PolicyDocument, PolicyStatement, StringOrList } from '../../aws/types.js';

/**
 * The exact IAM documents setup writes, partition-aware, each with the one-line reason shown in the plan.
 * Least privilege: no `*` action anywhere; S3 access names two buckets; PassRole names one role.
 */

export interface PolicySpec {
  /** Inline policy name, or a label for trust policies. */
  name: string;
  why: string;
  document: PolicyDocument;
}

export const MANAGED_BY_TAG = { ManagedBy: 'cd-wizard' } as const;

export const INLINE_POLICY_NAMES = {
  revisionRead: 'cd-wizard-revision-read',
  launchTemplate: 'cd-wizard-launch-template',
} as const;

/** The service principal in a partition: China uses the .amazonaws.com.cn suffix for CodeDeploy and EC2. */
export function servicePrincipal(service: 'codedeploy' | 'ec2', partition: string): string {
  return partition === 'aws-cn' ? `${service}.amazonaws.com.cn` : `${service}.amazonaws.com`;
}

/** Both spellings, for reading trust policies written by hand or by other tools. */
export function servicePrincipals(service: 'codedeploy' | 'ec2'): string[] {
  return [`${service}.amazonaws.com`, `${service}.amazonaws.com.cn`];
}

export function codeDeployRolePolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/AWSCodeDeployRole`;
}

export function ssmCorePolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
}

/** The regional bucket with the agent installer and updates (aws-codedeploy-<region>). */
export function resourceKitBucket(region: string): string {
  return `aws-codedeploy-${region}`;
}

export function roleArn(partition: string, account: string, name: string, path = '/'): string {
  return `arn:${partition}:iam::${account}:role${path}${name}`;
}

export function instanceProfileArn(partition: string, account: string, name: string, path = '/'): string {
  return `arn:${partition}:iam::${account}:instance-profile${path}${name}`;
}

export function serviceRoleTrust(partition: string, account: string): PolicySpec {
  return {
    name: 'trust policy',
    why: `Lets CodeDeploy assume the role, only on behalf of account ${account} (aws:SourceAccount blocks the confused-deputy problem).`,
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: servicePrincipal('codedeploy', partition) },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': account } },
        },
      ],
    },
  };
}

export function instanceRoleTrust(partition: string): PolicySpec {
  return {
    name: 'trust policy',
    why: 'Lets EC2 hand the role to your instances, so the CodeDeploy agent gets credentials without keys on disk.',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: servicePrincipal('ec2', partition) }, Action: 'sts:AssumeRole' }],
    },
  };
}

/**
 * Read-only S3 access for the agent: the revision bucket(s) and the regional agent bucket, nothing else.
 * `keptBuckets` are revision buckets an earlier run granted (a shared instance role serving several
 * applications), kept so that re-running setup for one application does not cut another off.
 */
export function revisionReadPolicy(input: { partition: string; region: string; bucket: string; keptBuckets?: readonly string[] }): PolicySpec {
  const kit = resourceKitBucket(input.region);
  const buckets = [...new Set([input.bucket, ...(input.keptBuckets ?? []), kit])];
  const s3 = (resource: string) => `arn:${input.partition}:s3:::${resource}`;
  const kept = (input.keptBuckets ?? []).filter((bucket) => bucket !== input.bucket && bucket !== kit);
  return {
    name: INLINE_POLICY_NAMES.revisionRead,
    why:
      `Lets the agent download revisions from ${input.bucket}${kept.length > 0 ? ` (and ${kept.join(', ')}, granted by an earlier run)` : ''} ` +
      `and its own installer and updates from ${kit}; read-only, nothing else.`,
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadRevisions', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: buckets.map((bucket) => s3(`${bucket}/*`)) },
        // ListBucket turns a missing key into a clear 404 (NoSuchKey) instead of a misleading 403.
        { Sid: 'ListRevisionBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: buckets.map((bucket) => s3(bucket)) },
      ],
    },
  };
}

/** Revision buckets a read policy grants s3:GetObject on, by exact bucket ARN (wildcards are not kept). */
export function bucketsGranted(document: PolicyDocument | undefined, region: string): string[] {
  if (!document) return [];
  const names = document.Statement.filter((statement) => statement.Effect === 'Allow' && list(statement.Action).some((action) => action.toLowerCase() === 's3:getobject'))
    .flatMap((statement) => list(statement.Resource))
    .map((resource) => /^arn:[a-z-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/\*$/.exec(resource)?.[1])
    .filter((name): name is string => name !== undefined && name !== resourceKitBucket(region));
  return [...new Set(names)];
}

export function launchTemplatePolicy(input: { partition: string; region: string; account: string; instanceRoleArn: string }): PolicySpec {
  const ec2 = `arn:${input.partition}:ec2:${input.region}`;
  return {
    name: INLINE_POLICY_NAMES.launchTemplate,
    why: 'An Auto Scaling group with a launch template: CodeDeploy launches and tags its instances and passes them the instance role.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LaunchFromTemplate',
          Effect: 'Allow',
          Action: ['ec2:RunInstances', 'ec2:CreateTags'],
          // This account's resources in this region, plus public images and snapshots (no account in their ARN).
          Resource: [`${ec2}:${input.account}:*`, `${ec2}::image/*`, `${ec2}::snapshot/*`],
        },
        {
          Sid: 'PassInstanceRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: input.instanceRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': servicePrincipal('ec2', input.partition) } },
        },
      ],
    },
  };
}

/* ---------- comparing documents ---------- */

const list = (value: StringOrList | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value));

function canonicalStatement(statement: PolicyStatement): string {
  const principal =
    statement.Principal === undefined
      ? undefined
      : statement.Principal === '*'
        ? '*'
        : Object.fromEntries(Object.entries(statement.Principal).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, list(value).sort()]));
  const condition =
    statement.Condition === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(statement.Condition)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([operator, entries]) => [
              operator,
              Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, list(value).sort()])),
            ]),
        );
  // Sid is a label; IAM ignores it when evaluating, so a renamed Sid is not drift.
  return JSON.stringify({
    Effect: statement.Effect,
    Principal: principal,
    Action: statement.Action === undefined ? undefined : list(statement.Action).map((a) => a.toLowerCase()).sort(),
    NotAction: statement.NotAction === undefined ? undefined : list(statement.NotAction).map((a) => a.toLowerCase()).sort(),
    Resource: statement.Resource === undefined ? undefined : list(statement.Resource).sort(),
    NotResource: statement.NotResource === undefined ? undefined : list(statement.NotResource).sort(),
    Condition: condition,
  });
}

/** A canonical form: order of statements, lists and keys does not matter; single strings equal one-item lists. */
export function canonicalPolicy(document: PolicyDocument): string {
  return JSON.stringify(document.Statement.map(canonicalStatement).sort());
}

export function samePolicy(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalPolicy(a) === canonicalPolicy(b);
}

/** Every action named anywhere in a document (for the "no `*`" guarantee and for tests). */
export function actionsOf(document: PolicyDocument): string[] {
  return document.Statement.flatMap((statement) => [...list(statement.Action), ...list(statement.NotAction)]);
}

/**
 * Whether a trust policy lets `service` assume the role for `account`: an Allow of sts:AssumeRole for the
 * service principal (either spelling), with no aws:SourceAccount condition naming another account.
 */
export function trustAllowsService(trust: PolicyDocument | undefined, service: 'codedeploy' | 'ec2', account: string): boolean {
  if (!trust) return false;
  const principals = servicePrincipals(service);
  return trust.Statement.some((statement) => {
    if (statement.Effect !== 'Allow' || statement.Principal === undefined || statement.Principal === '*') return false;
    if (!list(statement.Principal.Service).some((p) => principals.includes(p))) return false;
    if (!list(statement.Action).some((action) => ['sts:assumerole', 'sts:*', '*'].includes(action.toLowerCase()))) return false;
    const sourceAccounts = Object.values(statement.Condition ?? {}).flatMap((entries) => list(entries['aws:SourceAccount']));
    return sourceAccounts.length === 0 || sourceAccounts.includes(account);
  });
}

/** Adds our statement to someone else's trust policy instead of replacing theirs. */
export function mergeTrust(existing: PolicyDocument | undefined, wanted: PolicyDocument): PolicyDocument {
  if (!existing) return wanted;
  return { Version: existing.Version || wanted.Version, Statement: [...existing.Statement, ...wanted.Statement] };
}

/** One statement in words: "Allow s3:GetObject on arn:…/* by service ec2.amazonaws.com if StringEquals aws:SourceAccount = 1". */
export function describeStatement(statement: PolicyStatement): string {
  const parts: string[] = [statement.Effect];
  if (statement.Action !== undefined) parts.push(list(statement.Action).join(', '));
  if (statement.NotAction !== undefined) parts.push(`everything but ${list(statement.NotAction).join(', ')}`);
  if (statement.Resource !== undefined) parts.push(`on ${list(statement.Resource).join(', ')}`);
  if (statement.Principal !== undefined) {
    parts.push(
      statement.Principal === '*'
        ? 'by anyone'
        : `by ${Object.entries(statement.Principal)
            .map(([kind, who]) => `${kind === 'Service' ? 'service' : kind} ${list(who).join(', ')}`)
            .join(' and ')}`,
    );
  }
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) parts.push(`if ${operator} ${key} = ${list(value).join(' | ')}`);
  }
  return parts.join(' ');
}
