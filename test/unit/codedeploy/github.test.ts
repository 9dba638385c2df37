import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/aws/types.js';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { actionsOf } from '../../../src/codedeploy/documents.js';
import { codeDeployRolePolicyArn, defaultDeployRoleName, revisionPrefix } from '../../../src/codedeploy/names.js';
import { githubDeployPolicy, revisionReadPolicy } from '../../../src/codedeploy/permissions.js';
import { computePlan, hasNothingToChange } from '../../../src/codedeploy/plan.js';
import { type Observation } from '../../../src/codedeploy/observe.js';
import type { ObservedRole } from '../../../src/codedeploy/resources/roles.js';
import type { SetupState } from '../../../src/codedeploy/state.js';
import { changesOf } from '../../../src/codedeploy/steps.js';
import { githubDeployTrust, wantedTrust, type GithubSubject } from '../../../src/codedeploy/trust.js';
import { validateAnswers } from '../../../src/codedeploy/validate.js';
import { ACCOUNT, emptyObservation, setupAnswers, deploymentGroupInfo } from '../../helpers/fixtures.js';

/** A glob as IAM reads it in a Resource: * any run, ? one character. */
const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);
const resources = (doc: PolicyDocument) => doc.Statement.flatMap((s) => ([] as string[]).concat(s.Resource ?? []));

const partitions = fc.constantFrom({ partition: 'aws', region: 'eu-west-1' }, { partition: 'aws-cn', region: 'cn-north-1' }, { partition: 'aws-us-gov', region: 'us-gov-west-1' });
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+=,@-]{0,20}$/);
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/);
const account = fc.stringMatching(/^\d{12}$/);
const repo = fc.tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/)).map(([owner, r]) => `${owner}/${r}`);
const subject: fc.Arbitrary<GithubSubject> = fc.oneof(
  fc.record({ repo, branch: fc.stringMatching(/^[a-z][a-z0-9/_-]{0,15}[a-z0-9]$/) }),
  fc.record({ repo, environment: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,15}$/) }),
);

describe('the GitHub Actions deploy role', () => {
  it('policy: no `*` action, and every resource scoped to this bucket prefix, application, group or configuration', () => {
    fc.assert(
      fc.property(partitions, account, bucket, name, name, name, ({ partition, region }, acct, b, app, group, config) => {
        const doc = githubDeployPolicy({ partition, region, account: acct, bucket: b, application: app, group, deploymentConfig: config }).document;
        expect(actionsOf(doc).filter((action) => action.includes('*'))).toEqual([]);
        expect(doc.Statement.every((s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined && s.Condition === undefined)).toBe(true);
        const allowed = [
          `arn:${partition}:s3:::${b}/${app}/*`,
          `arn:${partition}:codedeploy:${region}:${acct}:application:${app}`,
          `arn:${partition}:codedeploy:${region}:${acct}:deploymentgroup:${app}/${group}`,
          `arn:${partition}:codedeploy:${region}:${acct}:deploymentconfig:${config}`,
        ];
        expect(resources(doc).sort()).toEqual([...allowed].sort());
        // The S3 resource covers the application's prefix and nothing beside it: not another app, not the bucket root.
        const s3 = resources(doc).find((arn) => arn.includes(':s3:::')) ?? '';
        expect(matches(s3, `arn:${partition}:s3:::${b}/${revisionPrefix(app)}abc.zip`)).toBe(true);
        expect(matches(s3, `arn:${partition}:s3:::${b}/${app}x/abc.zip`)).toBe(false);
        expect(matches(s3, `arn:${partition}:s3:::${b}/abc.zip`)).toBe(false);
        expect(matches(s3, `arn:${partition}:s3:::${b}x/${app}/abc.zip`)).toBe(false);
      }),
    );
  });

  it('policy: exactly the actions the workflow, deploy and fix --wait need', () => {
    const doc = githubDeployPolicy({ partition: 'aws', region: 'eu-west-1', account: ACCOUNT, bucket: 'my-revisions', application: 'web', group: 'prod', deploymentConfig: 'CodeDeployDefault.OneAtATime' }).document;
    expect(actionsOf(doc).sort()).toEqual(
      [
        's3:PutObject',
        's3:AbortMultipartUpload',
        'codedeploy:RegisterApplicationRevision',
        'codedeploy:GetApplicationRevision',
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeployment',
        'codedeploy:GetDeploymentGroup',
        'codedeploy:ListDeploymentTargets',
        'codedeploy:BatchGetDeploymentTargets',
        'codedeploy:GetDeploymentConfig',
      ].sort(),
    );
    expect(doc.Statement.find((s) => s.Action === 'codedeploy:GetDeploymentConfig')?.Resource).toBe(`arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentconfig:CodeDeployDefault.OneAtATime`);
  });

  it('trust: only sts:AssumeRoleWithWebIdentity from the account’s GitHub provider, aud = sts.amazonaws.com, sub = exactly the repository and branch or environment', () => {
    fc.assert(
      fc.property(partitions, account, subject, ({ partition }, acct, who) => {
        const doc = githubDeployTrust({ partition, account: acct }, who).document;
        expect(doc.Statement).toHaveLength(1);
        const [statement] = doc.Statement;
        expect(statement?.Effect).toBe('Allow');
        expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
        expect(statement?.Principal).toEqual({ Federated: `arn:${partition}:iam::${acct}:oidc-provider/token.actions.githubusercontent.com` });
        // StringEquals only: no StringLike, so no wildcard can open it to other branches, pull requests or forks.
        expect(Object.keys(statement?.Condition ?? {})).toEqual(['StringEquals']);
        const sub = 'environment' in who ? `repo:${who.repo}:environment:${who.environment}` : `repo:${who.repo}:ref:refs/heads/${who.branch}`;
        expect(statement?.Condition?.StringEquals).toEqual({ 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub });
      }),
    );
  });
});

describe('GitHub answers', () => {
  const problems = (extra: Partial<SetupAnswers>) => validateAnswers({ ...setupAnswers(), ...extra }).map((p) => `${p.flag}: ${p.message}`);

  it('accept OWNER/REPO with a branch or an environment', () => {
    expect(problems({ githubRepo: 'my-org/shop.web', githubBranch: 'release/2026' })).toEqual([]);
    expect(problems({ githubRepo: 'my-org/shop', githubEnvironment: 'production' })).toEqual([]);
  });

  it('name every mistake with its flag', () => {
    expect(problems({ githubRepo: 'https://github.com/my-org/shop.git' })).toEqual(['--github-repo: Give the repository as OWNER/REPO (my-org/shop), not its URL.']);
    expect(problems({ githubRepo: 'shop' })[0]).toMatch(/^--github-repo: "shop" is not a GitHub repository as OWNER\/REPO/);
    expect(problems({ githubRepo: 'o/r', githubBranch: 'refs/heads/main' })).toEqual(['--github-branch: Give the branch name only (main), not the ref "refs/heads/main".']);
    expect(problems({ githubRepo: 'o/r', githubBranch: 'feature/*' })[0]).toMatch(/^--github-branch: "feature\/\*" is not a branch name git allows/);
    expect(problems({ githubRepo: 'o/r', githubBranch: 'main', githubEnvironment: 'prod' })[0]).toMatch(/^--github-environment: Give a branch .* or an environment .*, not both/);
    expect(problems({ githubBranch: 'main' })).toEqual(['--github-branch: --github-branch needs --github-repo OWNER/REPO (the repository whose workflow deploys).']);
    expect(problems({ githubRepo: 'o/r', deployRole: 'CodeDeployServiceRole' })[0]).toMatch(/^--deploy-role: The deploy role "CodeDeployServiceRole" has the name of the service role/);
  });

  it('name the role after the application, within IAM’s 64 characters', () => {
    expect(defaultDeployRoleName('web')).toBe('cd-wizard-deploy-web');
    expect(defaultDeployRoleName('a'.repeat(100))).toHaveLength(64);
  });
});

describe('the plan with --github-repo', () => {
  const P = 'aws';
  const answers = (extra: Partial<SetupAnswers> = {}, without: ReadonlyArray<keyof SetupAnswers> = []) => {
    const all: Partial<SetupAnswers> = { tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]], githubRepo: 'my-org/shop', githubBranch: 'main', deployRole: 'cd-wizard-deploy-web', ...extra };
    for (const key of without) delete all[key];
    return setupAnswers(all);
  };
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const trust = githubDeployTrust({ partition: P, account: ACCOUNT }, { repo: 'my-org/shop', branch: 'main' }).document;
  const policy = githubDeployPolicy({ partition: P, region: 'eu-west-1', account: ACCOUNT, bucket: 'my-revisions', application: 'web', group: 'prod', deploymentConfig: 'CodeDeployDefault.OneAtATime' }).document;
  const role = (name: string, t: PolicyDocument, extra: Partial<ObservedRole> = {}, tags: Record<string, string> = { ManagedBy: 'cd-wizard' }): ObservedRole => ({
    role: { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, path: '/', trust: t, tags },
    attached: [],
    inline: {},
    ...extra,
  });
  /** Everything of setup's own exists; the GitHub part as given. */
  const world = (github: Observation['github']): Observation => {
    const a = answers();
    return {
      ...emptyObservation(P),
      serviceRole: role('CodeDeployServiceRole', wantedTrust('codedeploy', { partition: P, account: ACCOUNT }).document, { attached: [codeDeployRolePolicyArn(P)] }),
      instanceRole: role('CodeDeployInstanceRole', wantedTrust('ec2', { partition: P, account: ACCOUNT }).document, { inline: { 'cd-wizard-revision-read': revisionReadPolicy({ partition: P, region: a.region, bucket: a.bucket }).document } }),
      instanceProfile: { name: a.instanceProfile, arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.instanceProfile}`, roles: [{ name: a.instanceRole, arn: '' }], tags: { ManagedBy: 'cd-wizard' } },
      instances: [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: { 'cd-wizard:group': 'web/prod' }, profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.instanceProfile}` }],
      application: { name: 'web', id: 'app-1', computePlatform: 'Server' },
      deploymentGroup: deploymentGroupInfo(),
      tagMatches: ['i-0aaaaaaaaaaaaaaa1'],
      ...(github === undefined ? {} : { github }),
    };
  };
  const OURS: SetupState = {
    serviceRole: { name: 'CodeDeployServiceRole', status: 'created' },
    instanceRole: { name: 'CodeDeployInstanceRole', status: 'created' },
    instanceProfile: { name: 'CodeDeployInstanceProfile', status: 'created' },
    oidcProvider: { name: 'token.actions.githubusercontent.com', arn: providerArn, status: 'created' },
    deployRole: { name: 'cd-wizard-deploy-web', status: 'created' },
  };
  const plan = (github: Observation['github'], a = answers(), recorded = OURS) => computePlan(a, world(github), { recorded });
  const summary = (p: ReturnType<typeof plan>) => p.steps.filter((s) => s.id.startsWith('github')).map((s) => `${s.kind} ${s.id}: ${s.calls.join('+') || '-'}`);
  const ourProvider = { arn: providerArn, url: 'token.actions.githubusercontent.com', audiences: ['sts.amazonaws.com'], tags: { ManagedBy: 'cd-wizard' } };

  it('creates the provider, then the role that trusts it, then the role’s policy, after the deployment group', () => {
    const p = plan({});
    expect(summary(p)).toEqual(['create github-oidc-provider: iam:CreateOpenIDConnectProvider', 'create github-deploy-role: iam:CreateRole', 'create github-deploy-policy: iam:PutRolePolicy']);
    expect(p.steps.findIndex((s) => s.id === 'github-oidc-provider')).toBeGreaterThan(p.steps.findIndex((s) => s.id === 'deployment-group'));
    expect(p.steps.find((s) => s.id === 'github-oidc-provider')?.op).toEqual({ type: 'create-oidc-provider', url: 'https://token.actions.githubusercontent.com', audiences: ['sts.amazonaws.com'], tags: { ManagedBy: 'cd-wizard' } });
    expect(p.steps.find((s) => s.id === 'github-deploy-role')?.op).toMatchObject({ type: 'create-role', role: 'deployRole', name: 'cd-wizard-deploy-web', trust, tags: { ManagedBy: 'cd-wizard' } });
    expect(p.steps.find((s) => s.id === 'github-deploy-policy')?.op).toEqual({ type: 'put-inline-policy', roleName: 'cd-wizard-deploy-web', policyName: 'cd-wizard-deploy', document: policy });
    expect(p.arns.deployRole).toBe(`arn:aws:iam::${ACCOUNT}:role/cd-wizard-deploy-web`);
    expect(p.problems).toEqual([]);
  });

  it('reuses a provider someone else made when it accepts sts.amazonaws.com', () => {
    expect(summary(plan({ provider: { ...ourProvider, tags: {} } }))).toEqual(['reuse github-oidc-provider: -', 'create github-deploy-role: iam:CreateRole', 'create github-deploy-policy: iam:PutRolePolicy']);
  });

  it('changes nothing when all of it exists as wanted', () => {
    const p = plan({ provider: ourProvider, deployRole: role('cd-wizard-deploy-web', trust, { inline: { 'cd-wizard-deploy': policy } }) });
    expect(summary(p)).toEqual(['reuse github-oidc-provider: -', 'reuse github-deploy-role: -']);
    expect(hasNothingToChange(p)).toBe(true);
  });

  it('never changes a provider it did not create: a missing audience is a problem to fix by hand', () => {
    const p = plan({ provider: { ...ourProvider, audiences: ['other'], tags: {} } });
    expect(summary(p).some((s) => s.includes('oidc-provider'))).toBe(false);
    expect(p.problems[0]?.message).toMatch(/does not accept audience sts\.amazonaws\.com .*cd-wizard did not create it, so it will not change it/);
    expect(p.problems[0]?.hint).toContain(`aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${providerArn} --client-id sts.amazonaws.com`);
  });

  it('repairs its own provider and role when they were changed by hand', () => {
    const widened: PolicyDocument = { ...trust, Statement: [{ ...trust.Statement[0]!, Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/*' } } }] };
    const p = plan({ provider: { ...ourProvider, audiences: [] }, deployRole: role('cd-wizard-deploy-web', widened, { inline: { 'cd-wizard-deploy': policy } }) });
    expect(summary(p)).toEqual(['update github-oidc-provider: iam:AddClientIDToOpenIDConnectProvider', 'update github-deploy-role: iam:UpdateAssumeRolePolicy']);
    expect(p.steps.find((s) => s.id === 'github-deploy-role')?.reason).toContain('StringLike token.actions.githubusercontent.com:sub = repo:my-org/*');
  });

  it('refuses someone else’s role of that name unless it already trusts exactly this repository and branch', () => {
    const theirs = plan({ provider: ourProvider, deployRole: role('cd-wizard-deploy-web', wantedTrust('ec2', { partition: P, account: ACCOUNT }).document, {}, {}) });
    expect(summary(theirs)).toEqual(['reuse github-oidc-provider: -']);
    expect(theirs.problems.map((problem) => problem.message)).toEqual([
      'Role cd-wizard-deploy-web exists and was not created by cd-wizard; it does not trust exactly repo:my-org/shop:ref:refs/heads/main, and cd-wizard will not change who may assume a role it did not make.',
    ]);
    const same = plan({ provider: ourProvider, deployRole: role('cd-wizard-deploy-web', trust, {}, {}) });
    expect(summary(same)).toEqual(['reuse github-oidc-provider: -', 'reuse github-deploy-role: -', 'create github-deploy-policy: iam:PutRolePolicy']);
  });

  it('an environment replaces the branch in the trust; a new group configuration updates the policy', () => {
    const p = plan({ provider: ourProvider, deployRole: role('cd-wizard-deploy-web', trust, { inline: { 'cd-wizard-deploy': policy } }) }, answers({ githubEnvironment: 'production', deploymentConfig: 'CodeDeployDefault.AllAtOnce' }, ['githubBranch']));
    const changes = changesOf(p.steps).filter((s) => s.id.startsWith('github'));
    expect(changes.map((s) => s.id)).toEqual(['github-deploy-role', 'github-deploy-policy']);
    const newTrust = changes[0]?.op.type === 'update-trust' ? changes[0].op.trust : undefined;
    expect(newTrust?.Statement[0]?.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']).toBe('repo:my-org/shop:environment:production');
    expect(JSON.stringify(changes[1]?.documents[0]?.document)).toContain('deploymentconfig:CodeDeployDefault.AllAtOnce');
  });

  it('plans nothing for GitHub when no repository is named', () => {
    expect(summary(plan(undefined, answers({}, ['githubRepo', 'githubBranch', 'deployRole'])))).toEqual([]);
  });
});
