import { accountOfArn } from '../aws/arn.js';
import type { PolicyDocument, PolicyStatement } from '../aws/types.js';
import { asList, sameStatement, type PolicySpec } from './documents.js';
import { GITHUB_OIDC, oidcProviderArn } from './names.js';

/**
 * Who may assume a role: the one set of rules for trust policies. Setup writes the trust it wants from here, fix
 * judges an existing role's trust with the same verdict, and a repair (setup's `~` step or fix's remedy) is built
 * here, so the two can never disagree again.
 *
 * Sources (AWS CodeDeploy User Guide):
 * - getting-started-create-service-role: the service role trusts `codedeploy.amazonaws.com` with sts:AssumeRole;
 *   regional principals `codedeploy.<region>.amazonaws.com` may be listed instead, to restrict the regions.
 * - security_confused_deputy: `aws:SourceAccount` (StringEquals, the account) and `aws:SourceArn` (ArnLike,
 *   `arn:<partition>:codedeploy:<region>:<account>:deploymentgroup:<app>/*`) limit which account's deployments
 *   may use the role; when both are used the account ids must match.
 * - getting-started-create-iam-instance-profile: the instance role trusts `ec2.amazonaws.com`.
 * - GitHub Actions (configure-aws-credentials, GitHub's OIDC docs): a role trusts the account's OIDC provider for
 *   token.actions.githubusercontent.com with sts:AssumeRoleWithWebIdentity, `aud` = sts.amazonaws.com and `sub` =
 *   repo:OWNER/REPO:ref:refs/heads/BRANCH, or repo:OWNER/REPO:environment:NAME for a job that names an environment
 *   (that form then replaces the branch form).
 * - China Regions: EC2's principal is `ec2.amazonaws.com.cn`; cd-wizard writes the `.amazonaws.com.cn` form there
 *   for CodeDeploy as well and accepts both spellings in every partition when reading.
 */

export type TrustedService = 'codedeploy' | 'ec2';

/** Where the role is used: the account and region of the deployments, and one deployment group's ARN. */
export interface TrustContext {
  partition: string;
  account: string;
  region: string;
  /** A deployment group the role serves (aws:SourceArn is matched against it). */
  sourceArn: string;
}

/** The principal cd-wizard writes for a service in a partition. */
export function servicePrincipal(service: TrustedService, partition: string): string {
  return partition === 'aws-cn' ? `${service}.amazonaws.com.cn` : `${service}.amazonaws.com`;
}

/** Every principal that lets the service in for deployments in `region` (both spellings; CodeDeploy's regional one). */
export function acceptedPrincipals(service: TrustedService, region: string): string[] {
  const global = [`${service}.amazonaws.com`, `${service}.amazonaws.com.cn`];
  return service === 'codedeploy' ? [...global, `codedeploy.${region}.amazonaws.com`, `codedeploy.${region}.amazonaws.com.cn`] : global;
}

/** aws:SourceArn value that covers every deployment group of the account, in any region (a role is global). */
export function sourceArnPattern(partition: string, account: string): string {
  return `arn:${partition}:codedeploy:*:${account}:deploymentgroup:*`;
}

/** The trust policy cd-wizard wants for a role of its own. */
export function wantedTrust(service: TrustedService, where: { partition: string; account: string }): PolicySpec {
  if (service === 'ec2') {
    return {
      name: 'trust policy',
      why: 'Lets EC2 hand the role to your instances, so the CodeDeploy agent gets credentials without keys on disk.',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: servicePrincipal('ec2', where.partition) }, Action: 'sts:AssumeRole' }],
      },
    };
  }
  return {
    name: 'trust policy',
    why:
      `Lets CodeDeploy assume the role only for deployment groups of account ${where.account} ` +
      '(aws:SourceAccount and aws:SourceArn block the confused-deputy problem).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: servicePrincipal('codedeploy', where.partition) },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': where.account },
            ArnLike: { 'aws:SourceArn': sourceArnPattern(where.partition, where.account) },
          },
        },
      ],
    },
  };
}

/** Who may deploy from GitHub Actions: one repository, and one branch or one environment. */
export type GithubSubject = { repo: string; branch: string } | { repo: string; environment: string };

/** The `sub` claim of a GitHub Actions token for that repository and branch or environment. */
export function githubSubjectClaim(subject: GithubSubject): string {
  return 'environment' in subject ? `repo:${subject.repo}:environment:${subject.environment}` : `repo:${subject.repo}:ref:refs/heads/${subject.branch}`;
}

/**
 * The deploy role's trust: only GitHub's tokens for exactly this repository and branch (or environment), issued for
 * AWS's STS. StringEquals, never StringLike: no wildcard can widen it to other branches, pull requests or forks.
 */
export function githubDeployTrust(where: { partition: string; account: string }, subject: GithubSubject): PolicySpec {
  const claim = githubSubjectClaim(subject);
  return {
    name: 'trust policy',
    why: `Lets GitHub Actions assume the role only for ${claim} (OIDC: no access keys stored anywhere).`,
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: oidcProviderArn(where.partition, where.account, GITHUB_OIDC.host) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience, [`${GITHUB_OIDC.host}:sub`]: claim } },
        },
      ],
    },
  };
}

/* ---------- the verdict ---------- */

export type TrustVerdict =
  | { allows: true; detail: string }
  | { allows: false; reason: 'unreadable' | 'no-statement' | 'other-account' | 'source-arn' | 'denied'; detail: string };

const SERVICE_WORD: Record<TrustedService, string> = { codedeploy: 'CodeDeploy', ec2: 'EC2' };

/** A glob as IAM's *Like operators read it: * any run, ? one character; case-sensitive. */
function globMatches(pattern: string, value: string): boolean {
  let regex = '';
  for (const char of pattern) regex += char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${regex}$`, 's').test(value);
}

type ConditionOutcome = 'met' | 'unmet-account' | 'unmet-arn' | 'unknown';

/** Evaluates one condition operator/key against what CodeDeploy sends when it assumes the role. */
function conditionOutcome(operator: string, key: string, values: string[], ctx: TrustContext): ConditionOutcome {
  const op = operator.replace(/^For(?:Any|All)Values:/, '').replace(/IfExists$/, '');
  const lowerKey = key.toLowerCase();
  const actual = lowerKey === 'aws:sourceaccount' ? ctx.account : lowerKey === 'aws:sourcearn' ? ctx.sourceArn : undefined;
  if (actual === undefined) return 'unknown';
  const like = /Like$/.test(op) || /^Arn/.test(op);
  const matches = values.some((value) => (like ? globMatches(value, actual) : value === actual));
  const negated = /Not/.test(op);
  if (!/^(String|Arn)(Not)?(Equals|Like)(IgnoreCase)?$/.test(op)) return 'unknown';
  const met = negated ? !matches : matches;
  if (met) return 'met';
  return lowerKey === 'aws:sourceaccount' ? 'unmet-account' : 'unmet-arn';
}

function statementConditions(statement: PolicyStatement, ctx: TrustContext): ConditionOutcome[] {
  const outcomes: ConditionOutcome[] = [];
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) outcomes.push(conditionOutcome(operator, key, asList(value), ctx));
  }
  return outcomes;
}

function namesService(statement: PolicyStatement, principals: readonly string[]): boolean {
  if (statement.Principal === '*') return true;
  if (statement.Principal === undefined) return false;
  return asList(statement.Principal.Service).some((principal) => principals.includes(principal));
}

function coversAssumeRole(statement: PolicyStatement): boolean {
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((action) => /^(sts:assumerole|sts:\*|\*)$/i.test(action));
  return asList(statement.Action).some((action) => /^(sts:assumerole|sts:\*|\*)$/i.test(action));
}

/**
 * Whether `service` may assume a role with this trust policy for deployments in ctx's account and region: an
 * Allow of sts:AssumeRole for an accepted principal whose aws:SourceAccount / aws:SourceArn conditions hold, and
 * no Deny that applies. Conditions on other keys cannot be judged offline; they are named in the detail.
 */
export function trustVerdict(trust: PolicyDocument | undefined, service: TrustedService, ctx: TrustContext): TrustVerdict {
  const word = SERVICE_WORD[service];
  if (!trust) return { allows: false, reason: 'unreadable', detail: 'its trust policy cannot be read' };
  const principals = acceptedPrincipals(service, ctx.region);
  const relevant = trust.Statement.filter((statement) => namesService(statement, principals) && coversAssumeRole(statement));
  const deny = relevant.find((statement) => statement.Effect === 'Deny' && statementConditions(statement, ctx).every((outcome) => outcome === 'met' || outcome === 'unknown'));
  if (deny) return { allows: false, reason: 'denied', detail: `its trust policy denies ${word} sts:AssumeRole` };
  const allows = relevant.filter((statement) => statement.Effect === 'Allow');
  let failure: 'unmet-account' | 'unmet-arn' | undefined;
  for (const statement of allows) {
    const outcomes = statementConditions(statement, ctx);
    const unmet = outcomes.find((outcome) => outcome === 'unmet-account' || outcome === 'unmet-arn');
    if (unmet === undefined) {
      const unknown = Object.entries(statement.Condition ?? {}).flatMap(([operator, entries]) =>
        Object.keys(entries).filter((key) => conditionOutcome(operator, key, asList(entries[key]), ctx) === 'unknown'),
      );
      return {
        allows: true,
        detail: `its trust policy lets ${word} assume it${unknown.length > 0 ? ` (if ${unknown.join(', ')} allow${unknown.length === 1 ? 's' : ''} it: cd-wizard cannot judge those conditions)` : ''}`,
      };
    }
    failure ??= unmet === 'unmet-account' ? 'unmet-account' : 'unmet-arn';
  }
  if (failure === 'unmet-account') {
    return { allows: false, reason: 'other-account', detail: `its trust policy lets ${word} in only for another account (aws:SourceAccount is not ${ctx.account})` };
  }
  if (failure === 'unmet-arn') {
    return { allows: false, reason: 'source-arn', detail: `its trust policy's aws:SourceArn does not cover ${ctx.sourceArn}` };
  }
  return { allows: false, reason: 'no-statement', detail: `its trust policy does not let ${word} assume it (no Allow of sts:AssumeRole for ${servicePrincipal(service, ctx.partition)})` };
}

/* ---------- repairs ---------- */

/**
 * The trust policy that makes a role usable: ours is replaced by exactly what we want; someone else's keeps every
 * statement it has (conditions included) and gets our statement added, once.
 */
export function repairedTrust(current: PolicyDocument | undefined, wanted: PolicyDocument, owned: boolean): PolicyDocument {
  if (owned || !current) return wanted;
  const added = wanted.Statement.filter((statement) => !current.Statement.some((existing) => sameStatement(existing, statement)));
  return { Version: current.Version || wanted.Version, Statement: [...current.Statement, ...added] };
}

/**
 * Principals other than AWS services that may assume the role and sit outside `account` (another account, a
 * federated provider is not counted, `*`). A role they can assume must never get CodeDeploy's permissions.
 */
export function outsidePrincipals(trust: PolicyDocument | undefined, account: string): string[] {
  if (!trust) return [];
  const outside = new Set<string>();
  for (const statement of trust.Statement) {
    if (statement.Effect !== 'Allow' || statement.Principal === undefined) continue;
    if (statement.Principal === '*') {
      outside.add('*');
      continue;
    }
    for (const principal of asList(statement.Principal.AWS)) {
      const other = principal === '*' || (/^\d{12}$/.test(principal) ? principal !== account : accountOfArn(principal) !== account);
      if (other) outside.add(principal);
    }
  }
  return [...outside];
}
