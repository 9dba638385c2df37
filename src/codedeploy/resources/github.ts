import type { AwsPorts, OidcProvider } from '../../aws/ports/index.js';
import type { SetupAnswers } from '../answers.js';
import { describeStatement, samePolicy } from '../documents.js';
import { GITHUB_OIDC, INLINE_POLICY_NAMES, MANAGED_BY_TAG, oidcProviderArn, roleArn } from '../names.js';
import { githubDeployPolicy } from '../permissions.js';
import { isOurs, type SetupState } from '../state.js';
import { namedStep, reuseStep, step, type Step } from '../steps.js';
import { githubDeployTrust, githubSubjectClaim, type GithubSubject } from '../trust.js';
import type { Issue } from './instances.js';
import { inlinePolicyStep, observeRole, type ObservedRole } from './roles.js';

/**
 * GitHub Actions deploying with OIDC: the account's identity provider for token.actions.githubusercontent.com
 * (created, or reused; one cd-wizard did not create is never changed) and the deploy role, which trusts exactly one
 * repository and branch (or environment) and may only upload revisions under the application's prefix and deploy
 * to its group (permissions.ts). Observed and planned here; plan.ts appends the steps after the deployment group.
 */

export interface ObservedGithub {
  provider?: OidcProvider;
  deployRole?: ObservedRole;
}

/** The repository and branch or environment the answers name; undefined when GitHub Actions is not wanted. */
export function githubSubjectOf(answers: Pick<SetupAnswers, 'githubRepo' | 'githubBranch' | 'githubEnvironment'>): GithubSubject | undefined {
  if (answers.githubRepo === undefined) return undefined;
  if (answers.githubEnvironment !== undefined) return { repo: answers.githubRepo, environment: answers.githubEnvironment };
  return { repo: answers.githubRepo, branch: answers.githubBranch ?? 'main' };
}

/** The provider and the role, read concurrently; nothing when the answers do not ask for GitHub Actions. */
export async function observeGithub(ports: AwsPorts, answers: SetupAnswers): Promise<ObservedGithub | undefined> {
  if (answers.githubRepo === undefined || answers.deployRole === undefined) return undefined;
  const [provider, deployRole] = await Promise.all([ports.iam.findOidcProvider(GITHUB_OIDC.host), observeRole(ports, answers.deployRole, [INLINE_POLICY_NAMES.deploy])]);
  return { ...(provider === undefined ? {} : { provider }), ...(deployRole === undefined ? {} : { deployRole }) };
}

export interface GithubPlanInput {
  answers: SetupAnswers;
  observed: ObservedGithub | undefined;
  recorded: SetupState;
  where: { partition: string; region: string; account: string };
  /** The deployment configuration the group uses (CreateDeployment reads it). */
  deploymentConfig: string;
}

export interface GithubPlan {
  steps: Step[];
  problems: Issue[];
  /** The deploy role's ARN, for the next steps and the workflow. */
  deployRoleArn?: string;
}

function providerSteps(provider: OidcProvider | undefined, recorded: SetupState, arn: string): { steps: Step[]; problems: Issue[] } {
  const what = 'GitHub OIDC identity provider';
  if (!provider) {
    return {
      steps: [
        namedStep('create', what, GITHUB_OIDC.host, {
          id: 'github-oidc-provider',
          resource: 'oidcProvider',
          summary: `Create the ${what} ${GITHUB_OIDC.host} (audience ${GITHUB_OIDC.audience})`,
          reason: 'GitHub Actions proves who it is with a short-lived token from this issuer; one provider serves every repository of the account',
          calls: ['iam:CreateOpenIDConnectProvider'],
          op: { type: 'create-oidc-provider', url: GITHUB_OIDC.url, audiences: [GITHUB_OIDC.audience], tags: { ...MANAGED_BY_TAG } },
        }),
      ],
      problems: [],
    };
  }
  const record = { oidcProvider: { name: GITHUB_OIDC.host, arn: provider.arn, status: 'reused' as const } };
  if (provider.audiences.includes(GITHUB_OIDC.audience)) {
    return { steps: [reuseStep('github-oidc-provider', 'oidcProvider', what, GITHUB_OIDC.host, record, `exists with audience ${GITHUB_OIDC.audience}`)], problems: [] };
  }
  if (isOurs(provider.tags, recorded.oidcProvider, GITHUB_OIDC.host)) {
    return {
      steps: [
        step({
          id: 'github-oidc-provider',
          kind: 'update',
          resource: 'oidcProvider',
          summary: `Add audience ${GITHUB_OIDC.audience} to the ${what} ${GITHUB_OIDC.host}`,
          title: `Adding audience ${GITHUB_OIDC.audience} to ${GITHUB_OIDC.host}`,
          doneTitle: `Added audience ${GITHUB_OIDC.audience} to ${GITHUB_OIDC.host}`,
          reason: `its audiences were changed outside cd-wizard (now: ${provider.audiences.join(', ') || 'none'})`,
          calls: ['iam:AddClientIDToOpenIDConnectProvider'],
          op: { type: 'add-oidc-audience', arn: provider.arn || arn, audience: GITHUB_OIDC.audience },
        }),
      ],
      problems: [],
    };
  }
  return {
    steps: [],
    problems: [
      {
        message: `The account's ${what} (${provider.arn || arn}) does not accept audience ${GITHUB_OIDC.audience} (it has ${provider.audiences.join(', ') || 'none'}), and cd-wizard did not create it, so it will not change it.`,
        hint: `Add the audience yourself (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn || arn} --client-id ${GITHUB_OIDC.audience}), then run setup again.`,
      },
    ],
  };
}

function roleSteps(input: GithubPlanInput, subject: GithubSubject, name: string, arn: string): { steps: Step[]; problems: Issue[] } {
  const { where, recorded } = input;
  const observed = input.observed?.deployRole;
  const trust = githubDeployTrust(where, subject);
  const claim = githubSubjectClaim(subject);
  const policy = githubDeployPolicy({ ...where, bucket: input.answers.bucket, application: input.answers.app, group: input.answers.group, deploymentConfig: input.deploymentConfig });
  const policyStep = () => inlinePolicyStep('github-deploy-policy', 'deployRole', name, observed, policy);
  if (!observed) {
    const create = namedStep('create', 'GitHub Actions deploy role', name, {
      id: 'github-deploy-role',
      resource: 'deployRole',
      calls: ['iam:CreateRole'],
      documents: [trust],
      op: {
        type: 'create-role',
        role: 'deployRole',
        name,
        trust: trust.document,
        description: `GitHub Actions deploy role (cd-wizard) for ${claim}: uploads revisions of ${input.answers.app} and deploys to ${input.answers.app}/${input.answers.group}.`.slice(0, 1000),
        tags: { ...MANAGED_BY_TAG },
      },
    });
    const made = policyStep();
    return { steps: made ? [create, made] : [create], problems: [] };
  }
  const role = observed.role;
  const record = { deployRole: { name, arn: role.arn || arn, status: 'reused' as const } };
  const sameTrust = samePolicy(role.trust, trust.document);
  if (isOurs(role.tags, recorded.deployRole, name)) {
    const first = sameTrust
      ? reuseStep('github-deploy-role', 'deployRole', 'GitHub Actions deploy role', name, record, `created by cd-wizard; trusts only ${claim}`)
      : step({
          id: 'github-deploy-role',
          kind: 'update',
          resource: 'deployRole',
          summary: `Set the trust policy of GitHub Actions deploy role ${name} to ${claim}`,
          title: `Setting the trust policy of ${name}`,
          doneTitle: `Set the trust policy of ${name}`,
          reason: role.trust === undefined ? 'its trust policy cannot be read' : `it trusts something else now (${role.trust.Statement.map(describeStatement).join('; ') || 'no statements'})`,
          calls: ['iam:UpdateAssumeRolePolicy'],
          documents: [trust],
          op: { type: 'update-trust', role: 'deployRole', name, arn: role.arn || arn, trust: trust.document },
        });
    const made = policyStep();
    return { steps: made ? [first, made] : [first], problems: [] };
  }
  // Someone else's role: who may assume it is theirs to decide. Used only when it already trusts exactly this.
  if (!sameTrust) {
    return {
      steps: [],
      problems: [
        {
          message: `Role ${name} exists and was not created by cd-wizard; it does not trust exactly ${claim}, and cd-wizard will not change who may assume a role it did not make.`,
          hint: `Name a new role with --deploy-role (cd-wizard creates it), or make ${name}'s trust policy the one cd-wizard shows with --dry-run --json.`,
        },
      ],
    };
  }
  const made = policyStep();
  return { steps: [reuseStep('github-deploy-role', 'deployRole', 'GitHub Actions deploy role', name, record, `exists and trusts only ${claim}`), ...(made ? [made] : [])], problems: [] };
}

/** The provider, the role and its policy, in that order (the role's trust names the provider). */
export function planGithub(input: GithubPlanInput): GithubPlan {
  const subject = githubSubjectOf(input.answers);
  const name = input.answers.deployRole;
  if (subject === undefined || name === undefined) return { steps: [], problems: [] };
  const { partition, account } = input.where;
  const provider = providerSteps(input.observed?.provider, input.recorded, oidcProviderArn(partition, account, GITHUB_OIDC.host));
  const arn = input.observed?.deployRole?.role.arn || roleArn(partition, account, name);
  const role = roleSteps(input, subject, name, arn);
  return { steps: [...provider.steps, ...role.steps], problems: [...provider.problems, ...role.problems], deployRoleArn: arn };
}
