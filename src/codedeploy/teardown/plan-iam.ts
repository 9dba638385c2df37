import { nameOfArn } from '../../aws/arn.js';
import type { Step } from '../steps.js';
import { list, deletion, removal, type Builder, type Context } from './builder.js';
import type { ObservedRoleForTeardown, RoleRecordKey } from './observe.js';

/**
 * IAM, in the order IAM accepts: the role out of the instance profile, then the profile; every policy off a role,
 * then the role; the GitHub deploy role before the OIDC provider it trusts. Something that stays in use stays:
 * a profile other instances carry, a role a remaining group or profile holds, a provider another role trusts.
 */

const ROLE_WORDS: Record<RoleRecordKey, string> = { serviceRole: 'service role', instanceRole: 'instance role', deployRole: 'GitHub Actions deploy role' };

/** The words setup's plan uses for the provider. */
const PROVIDER_WORDS = 'GitHub OIDC identity provider';

function takeRoleOut(profileName: string, roleName: string): Step {
  return removal({
    id: `instance-profile-role:${profileName}:${roleName}`,
    resource: 'instanceProfile',
    summary: `Take role ${roleName} out of instance profile ${profileName}`,
    title: `Taking ${roleName} out of ${profileName}`,
    doneTitle: `${roleName} is out of ${profileName}`,
    calls: ['iam:RemoveRoleFromInstanceProfile'],
    op: { type: 'remove-role-from-profile', profileName, roleName },
  });
}

export function planProfile(b: Builder, c: Context): void {
  const record = c.input.state.instanceProfile;
  if (!record) return;
  const observed = c.observed.profile;
  if (b.triage('instanceProfile', `instance profile ${record.name}`, record, observed !== undefined, observed?.profile.tags ?? {}) === 'settled' || !observed) return;
  const users = observed.users.filter((instance) => !c.detached.includes(instance.id)).map((instance) => instance.id);
  if (users.length > 0) {
    b.keep(`instance profile ${record.name}`, `is still attached to ${list(users)}, which setup did not attach it to (deleting it would take their credentials)`);
    return;
  }
  for (const role of observed.profile.roles) b.steps.push(takeRoleOut(record.name, role.name));
  b.steps.push(
    deletion({
      id: 'instance-profile',
      resource: 'instanceProfile',
      what: `instance profile ${record.name}`,
      calls: ['iam:DeleteInstanceProfile'],
      op: { type: 'delete-instance-profile', name: record.name },
    }),
  );
  c.profileRemoved = true;
}

/** Why a role of ours stays: a group or a profile that stays still uses it. */
function roleStays(key: RoleRecordKey, role: ObservedRoleForTeardown, c: Context): string | undefined {
  const ownGroup = c.app !== undefined && c.group !== undefined ? `${c.app}/${c.group}` : undefined;
  const groups = role.usedBy.filter((group) => !(c.groupRemoved && group === ownGroup));
  if (key === 'serviceRole' && groups.length > 0) return `is the service role of deployment group${groups.length === 1 ? '' : 's'} ${list(groups)}`;
  const ownProfile = c.input.state.instanceProfile?.name;
  const profiles = role.profiles.filter((profile) => !(c.profileRemoved && profile === ownProfile));
  if (profiles.length > 0) return `is in instance profile${profiles.length === 1 ? '' : 's'} ${list(profiles)}, which ${profiles.length === 1 ? 'stays' : 'stay'}`;
  return undefined;
}

function policySteps(key: RoleRecordKey, roleName: string, role: ObservedRoleForTeardown): Step[] {
  const detach = role.attached.map((arn) => {
    const short = nameOfArn(arn);
    return removal({
      id: `${key}-policy:${short}`,
      resource: key,
      summary: `Detach ${short} from ${roleName}`,
      title: `Detaching ${short} from ${roleName}`,
      doneTitle: `Detached ${short} from ${roleName}`,
      calls: ['iam:DetachRolePolicy'],
      op: { type: 'detach-policy', roleName, policyArn: arn },
    });
  });
  const inline = role.inline.map((name) =>
    removal({
      id: `${key}-inline:${name}`,
      resource: key,
      summary: `Delete inline policy ${name} of ${roleName}`,
      title: `Deleting inline policy ${name}`,
      doneTitle: `Deleted inline policy ${name}`,
      calls: ['iam:DeleteRolePolicy'],
      op: { type: 'delete-inline-policy', roleName, policyName: name },
    }),
  );
  return [...detach, ...inline];
}

export function planRole(b: Builder, c: Context, key: RoleRecordKey): void {
  const record = c.input.state[key];
  if (!record) return;
  const words = ROLE_WORDS[key];
  const observed = c.observed.roles[key];
  if (b.triage(key, `${words} ${record.name}`, record, observed !== undefined, observed?.role.tags ?? {}) === 'settled' || !observed) return;
  const stays = roleStays(key, observed, c);
  if (stays !== undefined) {
    b.keep(`${words} ${record.name}`, stays);
    return;
  }
  b.steps.push(
    ...policySteps(key, record.name, observed),
    deletion({
      id: key,
      resource: key,
      what: `${words} ${record.name}`,
      calls: ['iam:DeleteRole'],
      op: { type: 'delete-role', record: key, name: record.name },
    }),
  );
  c.removedRoles.push(record.name);
}

/**
 * GitHub's OIDC identity provider, after the roles: one provider serves every role of the account that GitHub
 * Actions assumes, so it goes only when no role that stays trusts it.
 */
export function planOidcProvider(b: Builder, c: Context): void {
  const record = c.input.state.oidcProvider;
  if (!record) return;
  const what = `${PROVIDER_WORDS} ${record.name}`;
  const observed = c.observed.oidcProvider;
  if (b.triage('oidcProvider', what, record, observed !== undefined, observed?.provider.tags ?? {}) === 'settled' || !observed) return;
  const trusting = observed.trustedBy.filter((role) => !c.removedRoles.includes(role));
  if (trusting.length > 0) {
    const one = trusting.length === 1;
    b.keep(what, `is still trusted by role${one ? '' : 's'} ${list(trusting)}, which ${one ? 'stays' : 'stay'}; without it GitHub Actions could no longer assume ${one ? 'it' : 'them'}`);
    return;
  }
  b.steps.push(
    deletion({
      id: 'oidc-provider',
      resource: 'oidcProvider',
      what: `the ${what}`,
      reason: 'no role that stays trusts it',
      calls: ['iam:DeleteOpenIDConnectProvider'],
      op: { type: 'delete-oidc-provider', arn: observed.provider.arn, host: record.name, trustedByDeleted: observed.trustedBy.filter((role) => c.removedRoles.includes(role)) },
    }),
  );
}
