import type { IamHandle } from '../clients.js';
import { AwsError, isAwsCode } from '../errors.js';
import type { PolicyDocument } from '../types.js';
import { call, createOrReuse, fromAwsTags, paginate, toAwsTags } from './call.js';

export interface IamRole {
  name: string;
  arn: string;
  path: string;
  /** Decoded trust policy (IAM returns it URL-encoded); undefined when it is not valid JSON. */
  trust: PolicyDocument | undefined;
  tags: Record<string, string>;
}

export interface IamInstanceProfile {
  name: string;
  arn: string;
  roles: Array<{ name: string; arn: string }>;
  tags: Record<string, string>;
}

/** An OpenID Connect identity provider of the account (GitHub Actions' token.actions.githubusercontent.com). */
export interface OidcProvider {
  arn: string;
  /** The issuer as IAM stores it: host and path, without https:// */
  url: string;
  /** The audiences (client ids) it accepts. */
  audiences: string[];
  tags: Record<string, string>;
}

export interface IamPort {
  getRole(name: string): Promise<IamRole | undefined>;
  /** Creates the role; if it already exists (a parallel or interrupted run), returns it with created=false. */
  createRole(input: { name: string; trust: PolicyDocument; description: string; tags: Record<string, string> }): Promise<{ role: IamRole; created: boolean }>;
  updateTrust(roleName: string, trust: PolicyDocument): Promise<void>;
  /** ARNs of the managed policies attached to the role (all pages). */
  listAttachedPolicies(roleName: string): Promise<string[]>;
  attachPolicy(roleName: string, policyArn: string): Promise<void>;
  getInlinePolicy(roleName: string, policyName: string): Promise<PolicyDocument | undefined>;
  putInlinePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<void>;
  /** Every role of the account (all pages), with its decoded trust policy, for pick lists. */
  listRoles(): Promise<IamRole[]>;
  getInstanceProfile(name: string): Promise<IamInstanceProfile | undefined>;
  createInstanceProfile(input: { name: string; tags: Record<string, string> }): Promise<{ profile: IamInstanceProfile; created: boolean }>;
  /** Adds the role; a no-op when the profile already holds it. */
  addRoleToInstanceProfile(profileName: string, roleName: string): Promise<void>;
  removeRoleFromInstanceProfile(profileName: string, roleName: string): Promise<void>;
  tagRole(roleName: string, tags: Record<string, string>): Promise<void>;
  /** The account's OIDC provider for an issuer host (e.g. token.actions.githubusercontent.com), if there is one. */
  findOidcProvider(host: string): Promise<OidcProvider | undefined>;
  /** Creates the provider (no thumbprint: IAM verifies well-known issuers itself); an existing one is returned with created=false. */
  createOidcProvider(input: { url: string; audiences: string[]; tags: Record<string, string> }): Promise<{ arn: string; created: boolean }>;
  /** Adds an audience; a no-op when the provider has it. */
  addOidcAudience(arn: string, audience: string): Promise<void>;
}

/** IAM returns policy documents URL-encoded (RFC 3986); some tools and fakes return them raw. */
export function decodePolicyDocument(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const json = text.trimStart().startsWith('{') ? text : decodeURIComponent(text.replace(/\+/g, '%20'));
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const doc = parsed as { Version?: unknown; Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
    return { Version: typeof doc.Version === 'string' ? doc.Version : '2012-10-17', Statement: statements as PolicyDocument['Statement'] };
  } catch {
    return undefined;
  }
}

interface SdkRole {
  RoleName?: string | undefined;
  Arn?: string | undefined;
  Path?: string | undefined;
  AssumeRolePolicyDocument?: string | undefined;
  Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;
}

function toRole(role: SdkRole | undefined, fallbackName: string): IamRole {
  return {
    name: role?.RoleName ?? fallbackName,
    arn: role?.Arn ?? '',
    path: role?.Path ?? '/',
    trust: decodePolicyDocument(role?.AssumeRolePolicyDocument),
    tags: fromAwsTags(role?.Tags),
  };
}

interface SdkProfile {
  InstanceProfileName?: string | undefined;
  Arn?: string | undefined;
  Roles?: SdkRole[] | undefined;
  Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;
}

function toProfile(profile: SdkProfile | undefined, fallbackName: string): IamInstanceProfile {
  return {
    name: profile?.InstanceProfileName ?? fallbackName,
    arn: profile?.Arn ?? '',
    roles: (profile?.Roles ?? []).map((role) => ({ name: role.RoleName ?? '', arn: role.Arn ?? '' })),
    tags: fromAwsTags(profile?.Tags),
  };
}

export function createIamPort(load: () => Promise<IamHandle>): IamPort {
  const run = async <T>(operation: string, send: (h: IamHandle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'IAM', operation }, () => send(h));
  };
  const absentOn = async <T>(promise: Promise<T>): Promise<T | undefined> => {
    try {
      return await promise;
    } catch (error) {
      if (isAwsCode(error, 'NoSuchEntity')) return undefined;
      throw error;
    }
  };

  const port: IamPort = {
    async getRole(name) {
      const out = await absentOn(run('GetRole', (h) => h.client.send(new h.sdk.GetRoleCommand({ RoleName: name }))));
      return out?.Role ? toRole(out.Role, name) : undefined;
    },

    async createRole({ name, trust, description, tags }) {
      const { value: role, created } = await createOrReuse(
        async () => {
          const out = await run('CreateRole', (h) =>
            h.client.send(new h.sdk.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust), Description: description, Tags: toAwsTags(tags) })),
          );
          return { ...toRole(out.Role, name), trust };
        },
        'EntityAlreadyExists',
        () => port.getRole(name),
      );
      return { role, created };
    },

    async updateTrust(roleName, trust) {
      await run('UpdateAssumeRolePolicy', (h) => h.client.send(new h.sdk.UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trust) })));
    },

    async listAttachedPolicies(roleName) {
      const policies = await paginate(
        (marker) => run('ListAttachedRolePolicies', (h) => h.client.send(new h.sdk.ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) }))),
        (page) => page.AttachedPolicies ?? [],
        (page) => (page.IsTruncated ? page.Marker : undefined),
      );
      return policies.flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : []));
    },

    async attachPolicy(roleName, policyArn) {
      await run('AttachRolePolicy', (h) => h.client.send(new h.sdk.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })));
    },

    async getInlinePolicy(roleName, policyName) {
      const out = await absentOn(run('GetRolePolicy', (h) => h.client.send(new h.sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))));
      return out ? decodePolicyDocument(out.PolicyDocument) : undefined;
    },

    async putInlinePolicy(roleName, policyName, document) {
      await run('PutRolePolicy', (h) =>
        h.client.send(new h.sdk.PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) })),
      );
    },

    async listRoles() {
      const roles = await paginate(
        (marker) => run('ListRoles', (h) => h.client.send(new h.sdk.ListRolesCommand(marker === undefined ? {} : { Marker: marker }))),
        (page) => page.Roles ?? [],
        (page) => (page.IsTruncated ? page.Marker : undefined),
      );
      return roles.map((role) => toRole(role, role.RoleName ?? ''));
    },

    async getInstanceProfile(name) {
      const out = await absentOn(run('GetInstanceProfile', (h) => h.client.send(new h.sdk.GetInstanceProfileCommand({ InstanceProfileName: name }))));
      return out?.InstanceProfile ? toProfile(out.InstanceProfile, name) : undefined;
    },

    async createInstanceProfile({ name, tags }) {
      const { value: profile, created } = await createOrReuse(
        async () => {
          const out = await run('CreateInstanceProfile', (h) => h.client.send(new h.sdk.CreateInstanceProfileCommand({ InstanceProfileName: name, Tags: toAwsTags(tags) })));
          return toProfile(out.InstanceProfile, name);
        },
        'EntityAlreadyExists',
        () => port.getInstanceProfile(name),
      );
      return { profile, created };
    },

    async addRoleToInstanceProfile(profileName, roleName) {
      try {
        await run('AddRoleToInstanceProfile', (h) =>
          h.client.send(new h.sdk.AddRoleToInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName })),
        );
      } catch (error) {
        // A profile holds one role: LimitExceeded means it has one already. Fine if it is this one.
        if (!isAwsCode(error, 'LimitExceeded', 'EntityAlreadyExists')) throw error;
        const profile = await port.getInstanceProfile(profileName);
        if (!profile?.roles.some((role) => role.name === roleName)) throw error;
      }
    },

    async removeRoleFromInstanceProfile(profileName, roleName) {
      try {
        await run('RemoveRoleFromInstanceProfile', (h) =>
          h.client.send(new h.sdk.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profileName, RoleName: roleName })),
        );
      } catch (error) {
        if (!(error instanceof AwsError && isAwsCode(error, 'NoSuchEntity'))) throw error;
      }
    },

    async tagRole(roleName, tags) {
      await run('TagRole', (h) => h.client.send(new h.sdk.TagRoleCommand({ RoleName: roleName, Tags: toAwsTags(tags) })));
    },

    async findOidcProvider(host) {
      const list = await run('ListOpenIDConnectProviders', (h) => h.client.send(new h.sdk.ListOpenIDConnectProvidersCommand({})));
      const arn = (list.OpenIDConnectProviderList ?? []).map((entry) => entry.Arn ?? '').find((candidate) => candidate.endsWith(`:oidc-provider/${host}`));
      if (arn === undefined) return undefined;
      const out = await absentOn(run('GetOpenIDConnectProvider', (h) => h.client.send(new h.sdk.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))));
      if (!out) return undefined;
      return { arn, url: (out.Url ?? host).replace(/^https:\/\//, ''), audiences: out.ClientIDList ?? [], tags: fromAwsTags(out.Tags) };
    },

    async createOidcProvider({ url, audiences, tags }) {
      const host = url.replace(/^https:\/\//, '');
      const { value: arn, created } = await createOrReuse(
        async () => {
          const out = await run('CreateOpenIDConnectProvider', (h) => h.client.send(new h.sdk.CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: audiences, Tags: toAwsTags(tags) })));
          return out.OpenIDConnectProviderArn ?? '';
        },
        'EntityAlreadyExists',
        async () => (await port.findOidcProvider(host))?.arn,
      );
      return { arn, created };
    },

    async addOidcAudience(arn, audience) {
      // IAM answers success when the provider already has the client id.
      await run('AddClientIDToOpenIDConnectProvider', (h) => h.client.send(new h.sdk.AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: audience })));
    },
  };
  return port;
}
