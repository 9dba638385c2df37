/**
 * Teardown of what setup made for GitHub Actions: the deploy role (its inline policy, then the role) and GitHub's
 * OIDC identity provider, after the role, and only while no role that stays trusts it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../../src/aws/types.js';
import { ACCOUNT, type FakeAws } from '../../../helpers/fake-ports.js';
import { GITHUB_FLAGS, answersFile, setup, snapshot, teardown, tempDir, world } from './world.js';

const HOST = 'token.actions.githubusercontent.com';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}`;
const PROVIDER = `GitHub OIDC identity provider ${HOST}`;

/** A role someone else made that GitHub Actions may assume through the same provider. */
function addTrustingRole(aws: FakeAws, name: string): void {
  const trust: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
  aws.state.roles.set(name, { role: { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, path: '/', trust, tags: {} }, attached: [], inline: {} });
}

const removals = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.replace(/ {3}\S+:.*$/, '').slice(4));

describe('cd-wizard teardown after setup with GitHub Actions', () => {
  it('removes the deploy role, then the provider: the account is as before setup, and the answers file forgets both', async () => {
    const aws = world();
    const before = snapshot(aws);
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    expect(aws.state.oidcProviders.has(HOST)).toBe(true);
    expect(aws.state.roles.has('cd-wizard-deploy-web')).toBe(true);

    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(snapshot(aws)).toEqual(before);
    // The provider goes after every role, the deploy role after its policy.
    expect(removals(run.stdout).slice(-3)).toEqual(['Delete inline policy cd-wizard-deploy of cd-wizard-deploy-web', 'Delete GitHub Actions deploy role cd-wizard-deploy-web', `Delete the ${PROVIDER}`]);
    expect(run.stdout).toMatch(new RegExp(`- Delete the ${PROVIDER} {3}iam:DeleteOpenIDConnectProvider`));
    expect(run.stdout).toContain('Teardown is done: 14 removals.');
    expect(run.stderr).toContain(`✓ Deleted the ${PROVIDER}`);
    expect(aws.mutations().slice(-3)).toEqual(['DeleteRolePolicy', 'DeleteRole', 'DeleteOpenIDConnectProvider']);
    expect(Object.keys(answersFile(dir).state ?? {}).sort()).toEqual(['account', 'partition', 'region', 'updatedAt']);
  });

  it('keeps a provider setup found (reused), and says so; the deploy role still goes', async () => {
    const aws = world((state) => state.oidcProviders.set(HOST, { arn: PROVIDER_ARN, url: HOST, audiences: ['sts.amazonaws.com'], tags: {} }));
    const before = snapshot(aws);
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain(`= kept: ${PROVIDER} was reused, not created by cd-wizard`);
    expect(aws.mutations()).not.toContain('DeleteOpenIDConnectProvider');
    expect(snapshot(aws)).toEqual(before);
  });

  it('keeps the provider while another role trusts it, says which, and removes it on a later run once that role is gone', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    addTrustingRole(aws, 'their-gha-role');
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain(`= kept: ${PROVIDER} is still trusted by role their-gha-role, which stays; without it GitHub Actions could no longer assume it`);
    expect(aws.state.roles.has('cd-wizard-deploy-web')).toBe(false);
    expect(aws.state.oidcProviders.has(HOST)).toBe(true);
    // The record stays, so the provider can still be removed once nothing needs it.
    expect(answersFile(dir).state).toHaveProperty('oidcProvider');

    aws.state.roles.delete('their-gha-role');
    const later = await teardown(aws.ports, dir);
    expect(later.error, later.stderr).toBeUndefined();
    expect(removals(later.stdout)).toEqual([`Delete the ${PROVIDER}`]);
    expect(aws.state.oidcProviders.size).toBe(0);
  });

  it('keeps the provider while its own deploy role stays (the role lost its ManagedBy tag)', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const role = aws.state.roles.get('cd-wizard-deploy-web');
    if (role) role.role.tags = {};
    const run = await teardown(aws.ports, dir);
    expect(run.stdout).toContain('= kept: GitHub Actions deploy role cd-wizard-deploy-web has no ManagedBy=cd-wizard tag, so cd-wizard cannot tell that it made it');
    expect(run.stdout).toContain(`= kept: ${PROVIDER} is still trusted by role cd-wizard-deploy-web, which stays`);
    expect(aws.state.roles.get('cd-wizard-deploy-web')?.inline).toHaveProperty('cd-wizard-deploy');
    expect(aws.state.oidcProviders.has(HOST)).toBe(true);
  });

  it('keeps a provider the answers file says it made but that no longer carries ManagedBy=cd-wizard', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const provider = aws.state.oidcProviders.get(HOST);
    if (provider) provider.tags = {};
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain(`= kept: ${PROVIDER} has no ManagedBy=cd-wizard tag, so cd-wizard cannot tell that it made it`);
    expect(aws.state.oidcProviders.has(HOST)).toBe(true);
    expect(aws.state.roles.has('cd-wizard-deploy-web')).toBe(false);
  });

  it('removes a provider whose create call lost its answer (recorded pending, no ARN) when it carries the tag', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const path = join(dir, 'cd-wizard.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { state: Record<string, unknown> };
    file.state.oidcProvider = { name: HOST, status: 'pending' };
    writeFileSync(path, JSON.stringify(file));
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(removals(run.stdout)).toContain(`Delete the ${PROVIDER}`);
    expect(aws.state.oidcProviders.size).toBe(0);
  });

  it('a deploy role IAM still lists for a moment after DeleteRole does not keep the provider', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const ghost = structuredClone(aws.state.roles.get('cd-wizard-deploy-web')?.role);
    if (!ghost) throw new Error('setup made no deploy role');
    // ListRoles is eventually consistent: the deleted role is still in it.
    const listRoles = aws.ports.iam.listRoles.bind(aws.ports.iam);
    aws.ports.iam.listRoles = async () => {
      const roles = await listRoles();
      return roles.some((role) => role.name === ghost.name) ? roles : [...roles, ghost];
    };
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stderr).toContain(`✓ Deleted the ${PROVIDER}`);
    expect(aws.state.oidcProviders.size).toBe(0);
  });

  it('a role that trusts the provider, made between the plan and the yes, keeps it (and its record)', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir, GITHUB_FLAGS);
    const run = await teardown(aws.ports, dir, {}, { asker: { confirmPlan: async () => (addTrustingRole(aws, 'newcomer'), true), confirmBucket: async () => false } });
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stderr).toContain('kept: role newcomer trusts it now');
    expect(aws.mutations()).not.toContain('DeleteOpenIDConnectProvider');
    expect(aws.state.oidcProviders.has(HOST)).toBe(true);
    expect(answersFile(dir).state).toHaveProperty('oidcProvider');
  });
});
