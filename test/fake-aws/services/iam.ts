/**
 * IAM over the AWS query protocol (version 2010-05-08). Roles, instance profiles, attached and inline policies,
 * tags and a simple SimulatePrincipalPolicy. Errors use IAM's codes and wording: NoSuchEntity (404),
 * EntityAlreadyExists (409), MalformedPolicyDocument, LimitExceeded (409), InvalidInput, ValidationError.
 */
import { AwsError, validationMessage } from '../errors.js';
import { findAwsManagedPolicy } from '../managed-policies.js';
import type { Params } from '../params.js';
import { evaluate, parsePolicy, policySize, type Decision, type EvaluationSource } from '../policy.js';
import { awsQueryCodec, awsQueryErrors } from '../query.js';
import { defineService, paginate, type HandlerContext, type ServiceDef } from '../service.js';
import { mergeTags, type FakeState, type InstanceProfileRecord, type OidcProviderRecord, type RoleRecord, type Tag, type UserRecord } from '../state.js';
import type { XmlFields } from '../xml.js';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^\/([\x21-\x7e]*\/)?$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
export const MANAGED_POLICIES_PER_ROLE = 10;
const INLINE_POLICY_BYTES_PER_ROLE = 10_240;
const TRUST_POLICY_SIZE = 2048;
const TAGS_PER_RESOURCE = 50;

const validation = (message: string): AwsError => new AwsError('ValidationError', message, 400);
const noSuchEntity = (message: string): AwsError => new AwsError('NoSuchEntity', message, 404);
const limitExceeded = (message: string): AwsError => new AwsError('LimitExceeded', message, 409);
const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message, 400);
const deleteConflict = (message: string): AwsError => new AwsError('DeleteConflict', message, 409);

// ---- validation -----------------------------------------------------------------------------------------

function checkName(field: string, value: string, max: number): string {
  if (value.length > max) throw validation(validationMessage(field, value, `Member must have length less than or equal to ${max}`));
  if (!NAME_PATTERN.test(value)) throw validation(validationMessage(field, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+'));
  return value;
}

function readPath(params: Params): string {
  const path = params.optStr('Path') ?? '/';
  if (path.length > 512 || !PATH_PATTERN.test(path)) {
    throw validation('The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
  }
  return path;
}

function readTags(params: Params, field = 'Tags'): Tag[] {
  const tags = params.list(field).map((tag) => ({ Key: tag.str('Key'), Value: tag.optStr('Value') ?? '' }));
  if (tags.length > TAGS_PER_RESOURCE) throw validation(validationMessage(field, '[...]', `Member must have length less than or equal to ${TAGS_PER_RESOURCE}`));
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.length > 128 || !TAG_KEY_PATTERN.test(tag.Key)) throw validation(validationMessage('tags.member.key', tag.Key, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'));
    if (tag.Value.length > 256) throw validation(validationMessage('tags.member.value', tag.Value, 'Member must have length less than or equal to 256'));
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidInput("User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.");
    if (seen.has(tag.Key.toLowerCase())) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(tag.Key.toLowerCase());
  }
  return tags;
}

function addTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = mergeTags(existing, added);
  if (merged.length > TAGS_PER_RESOURCE) throw limitExceeded(`The number of tags has reached the maximum limit of ${TAGS_PER_RESOURCE}.`);
  return merged;
}

function readMaxItems(params: Params): number {
  const maxItems = params.optInt('MaxItems') ?? 100;
  if (maxItems < 1 || maxItems > 1000) throw validation(validationMessage('MaxItems', String(maxItems), 'Member must have value between 1 and 1000'));
  return maxItems;
}

/** IAM's Marker/MaxItems/IsTruncated pagination. */
function iamPage<T>(items: readonly T[], params: Params): { page: T[]; IsTruncated: boolean; Marker: string | undefined } {
  const { page, next } = paginate(items, params.optStr('Marker'), readMaxItems(params), () => validation('Invalid value for Marker.'));
  return { page, IsTruncated: next !== undefined, Marker: next };
}

// ---- lookups shared with other services ----------------------------------------------------------------

export function findRole(state: FakeState, name: string): RoleRecord {
  const role = state.iam.roles[name];
  if (role === undefined) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export function findInstanceProfile(state: FakeState, name: string): InstanceProfileRecord {
  const profile = state.iam.instanceProfiles[name];
  if (profile === undefined) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

export function roleByArn(state: FakeState, arn: string): RoleRecord | undefined {
  return Object.values(state.iam.roles).find((role) => role.arn === arn);
}

export function instanceProfileByArn(state: FakeState, arn: string): InstanceProfileRecord | undefined {
  return Object.values(state.iam.instanceProfiles).find((profile) => profile.arn === arn);
}

/**
 * Whether IAM's eventual consistency has caught up with something created or changed at `changedAt`, as seen
 * from another service (see the `iamPropagationSeconds` fault).
 */
export function hasPropagated(changedAt: number, ctx: HandlerContext): boolean {
  return ctx.now() >= changedAt + ctx.faults.iamPropagationSeconds * 1000;
}

interface PolicyDocumentRef {
  arn: string;
  name: string;
  path: string;
  document: string;
}

export function findManagedPolicy(state: FakeState, arn: string): PolicyDocumentRef | undefined {
  return findAwsManagedPolicy(arn) ?? state.iam.policies[arn];
}

/** The identity policies of a role or user, as sources for `evaluate`. */
export function identityPolicies(state: FakeState, principal: RoleRecord | UserRecord, kind: 'role' | 'user'): EvaluationSource[] {
  const sources: EvaluationSource[] = [];
  for (const arn of principal.attachedPolicies) {
    const policy = findManagedPolicy(state, arn);
    if (policy !== undefined) sources.push({ id: policy.name, type: 'IAM Policy', statements: parsePolicy(policy.document, 'identity') });
  }
  for (const [name, document] of Object.entries(principal.inlinePolicies)) {
    sources.push({ id: name, type: kind, statements: parsePolicy(document, 'identity') });
  }
  return sources;
}

// ---- XML shapes ----------------------------------------------------------------------------------------

function roleXml(role: RoleRecord, detail: 'full' | 'list'): XmlFields {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    // IAM returns policy documents URL-encoded (RFC 3986); callers must decode them.
    AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: detail === 'full' && role.tags.length > 0 ? role.tags.map((tag) => ({ ...tag })) : undefined,
    RoleLastUsed: detail === 'full' ? {} : undefined,
  };
}

function instanceProfileXml(state: FakeState, profile: InstanceProfileRecord): XmlFields {
  return {
    Path: profile.path,
    InstanceProfileName: profile.name,
    InstanceProfileId: profile.id,
    Arn: profile.arn,
    CreateDate: new Date(profile.createdAt),
    Roles: profile.roles.flatMap((name) => {
      const role = state.iam.roles[name];
      return role === undefined ? [] : [roleXml(role, 'list')];
    }),
    Tags: profile.tags.length > 0 ? profile.tags.map((tag) => ({ ...tag })) : undefined,
  };
}

// ---- operations ----------------------------------------------------------------------------------------

function readTrustPolicy(params: Params, field: string, state: FakeState): string {
  const document = params.str(field);
  // A federated principal naming one of this account's OIDC providers must name one that exists.
  for (const statement of parsePolicy(document, 'trust')) {
    for (const federated of statement.principal?.federated ?? []) {
      if (federated.startsWith(`arn:aws:iam::${state.sts.account}:oidc-provider/`) && state.iam.oidcProviders[federated] === undefined) {
        throw new AwsError('MalformedPolicyDocument', `Invalid principal in policy: "FEDERATED":"${federated}"`, 400);
      }
    }
  }
  if (policySize(document) > TRUST_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`);
  return document;
}

function createRole(params: Params, ctx: HandlerContext): XmlFields {
  const { state } = ctx;
  const name = checkName('RoleName', params.str('RoleName'), 64);
  const path = readPath(params);
  const trustPolicy = readTrustPolicy(params, 'AssumeRolePolicyDocument', state);
  const description = params.optStr('Description');
  if (description !== undefined && description.length > 1000) throw validation(validationMessage('Description', description, 'Member must have length less than or equal to 1000'));
  const maxSessionDuration = params.optInt('MaxSessionDuration') ?? 3600;
  if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
    throw validation(validationMessage('MaxSessionDuration', String(maxSessionDuration), 'Member must have value between 3600 and 43200'));
  }
  const tags = readTags(params);
  // Role names are unique regardless of case.
  if (Object.keys(state.iam.roles).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
    throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
  }
  const now = ctx.now();
  const role: RoleRecord = {
    name,
    path,
    id: ctx.ids.iam('AROA'),
    arn: `arn:aws:iam::${state.sts.account}:role${path}${name}`,
    createdAt: now,
    trustPolicy,
    trustChangedAt: now,
    maxSessionDuration,
    tags,
    attachedPolicies: [],
    inlinePolicies: {},
  };
  if (description !== undefined) role.description = description;
  state.iam.roles[name] = role;
  const xml = roleXml(role, 'list');
  return { Role: { ...xml, Tags: tags.length > 0 ? tags : undefined } };
}

function putRolePolicy(params: Params, ctx: HandlerContext): undefined {
  const role = findRole(ctx.state, params.str('RoleName'));
  const policyName = checkName('PolicyName', params.str('PolicyName'), 128);
  const document = params.str('PolicyDocument');
  parsePolicy(document, 'identity');
  const others = Object.entries(role.inlinePolicies).filter(([name]) => name !== policyName);
  const total = others.reduce((sum, [, text]) => sum + policySize(text), policySize(document));
  if (total > INLINE_POLICY_BYTES_PER_ROLE) throw limitExceeded(`Maximum policy size of ${INLINE_POLICY_BYTES_PER_ROLE} bytes exceeded for role ${role.name}`);
  role.inlinePolicies[policyName] = document;
  return undefined;
}

function readPolicyArn(params: Params): string {
  const arn = params.str('PolicyArn');
  if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+$/.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

function attachRolePolicy(params: Params, ctx: HandlerContext): undefined {
  const role = findRole(ctx.state, params.str('RoleName'));
  const arn = readPolicyArn(params);
  if (findManagedPolicy(ctx.state, arn) === undefined) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (role.attachedPolicies.includes(arn)) return undefined;
  if (role.attachedPolicies.length >= MANAGED_POLICIES_PER_ROLE) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MANAGED_POLICIES_PER_ROLE}`);
  role.attachedPolicies.push(arn);
  return undefined;
}

function detachRolePolicy(params: Params, ctx: HandlerContext): undefined {
  const role = findRole(ctx.state, params.str('RoleName'));
  const arn = readPolicyArn(params);
  if (!role.attachedPolicies.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attachedPolicies = role.attachedPolicies.filter((attached) => attached !== arn);
  return undefined;
}

function listAttachedRolePolicies(params: Params, ctx: HandlerContext): XmlFields {
  const role = findRole(ctx.state, params.str('RoleName'));
  const prefix = params.optStr('PathPrefix') ?? '/';
  const attached = role.attachedPolicies.flatMap((arn) => {
    const policy = findManagedPolicy(ctx.state, arn);
    return policy !== undefined && policy.path.startsWith(prefix) ? [{ PolicyName: policy.name, PolicyArn: arn }] : [];
  });
  const { page, IsTruncated, Marker } = iamPage(attached, params);
  return { AttachedPolicies: page, IsTruncated, Marker };
}

function getRolePolicy(params: Params, ctx: HandlerContext): XmlFields {
  const role = findRole(ctx.state, params.str('RoleName'));
  const policyName = params.str('PolicyName');
  const document = role.inlinePolicies[policyName];
  if (document === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  return { RoleName: role.name, PolicyName: policyName, PolicyDocument: encodeURIComponent(document) };
}

function deleteRolePolicy(params: Params, ctx: HandlerContext): undefined {
  const role = findRole(ctx.state, params.str('RoleName'));
  const policyName = params.str('PolicyName');
  if (role.inlinePolicies[policyName] === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  delete role.inlinePolicies[policyName];
  return undefined;
}

function createInstanceProfile(params: Params, ctx: HandlerContext): XmlFields {
  const { state } = ctx;
  const name = checkName('InstanceProfileName', params.str('InstanceProfileName'), 128);
  const path = readPath(params);
  const tags = readTags(params);
  if (Object.keys(state.iam.instanceProfiles).some((existing) => existing.toLowerCase() === name.toLowerCase())) {
    throw new AwsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
  }
  const profile: InstanceProfileRecord = {
    name,
    path,
    id: ctx.ids.iam('AIPA'),
    arn: `arn:aws:iam::${state.sts.account}:instance-profile${path}${name}`,
    createdAt: ctx.now(),
    roles: [],
    tags,
  };
  state.iam.instanceProfiles[name] = profile;
  return { InstanceProfile: instanceProfileXml(state, profile) };
}

function addRoleToInstanceProfile(params: Params, ctx: HandlerContext): undefined {
  const profile = findInstanceProfile(ctx.state, params.str('InstanceProfileName'));
  const role = findRole(ctx.state, params.str('RoleName'));
  // An instance profile holds one role; adding a second, or the same one again, hits that quota.
  if (profile.roles.length > 0) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
  profile.roles.push(role.name);
  return undefined;
}

function removeRoleFromInstanceProfile(params: Params, ctx: HandlerContext): undefined {
  const profile = findInstanceProfile(ctx.state, params.str('InstanceProfileName'));
  const role = findRole(ctx.state, params.str('RoleName'));
  if (!profile.roles.includes(role.name)) throw noSuchEntity(`The role with name ${role.name} cannot be found in instance profile ${profile.name}.`);
  profile.roles = profile.roles.filter((name) => name !== role.name);
  return undefined;
}

// ---- OpenID Connect providers -----------------------------------------------------------------------------

function findOidcProvider(state: FakeState, params: Params): OidcProviderRecord {
  const arn = params.str('OpenIDConnectProviderArn');
  if (!/^arn:aws:iam::\d{12}:oidc-provider\/.+$/.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const provider = state.iam.oidcProviders[arn];
  if (provider === undefined) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

function readClientId(value: string): string {
  if (value.length === 0 || value.length > 255) throw validation(validationMessage('clientIDList.member', value, 'Member must have length between 1 and 255'));
  return value;
}

function createOidcProvider(params: Params, ctx: HandlerContext): XmlFields {
  const { state } = ctx;
  const url = params.str('Url');
  if (!/^https:\/\/[^/?#:\s]+(\/[^?#\s]*)?$/.test(url)) throw invalidInput(`Invalid url: ${url}. It must begin with https:// and have no port or query.`);
  const clientIds = params.strList('ClientIDList').map(readClientId);
  if (clientIds.length > 100) throw limitExceeded('Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100');
  const thumbprints = params.strList('ThumbprintList');
  if (thumbprints.length > 5 || thumbprints.some((thumbprint) => !/^[0-9a-fA-F]{40}$/.test(thumbprint))) {
    throw validation(validationMessage('thumbprintList', '[...]', 'Member must have at most 5 members of 40 hexadecimal characters'));
  }
  const tags = readTags(params);
  const host = url.slice('https://'.length).replace(/\/$/, '');
  const arn = `arn:aws:iam::${state.sts.account}:oidc-provider/${host}`;
  if (state.iam.oidcProviders[arn] !== undefined) throw new AwsError('EntityAlreadyExists', `Provider with url ${url} already exists.`, 409);
  state.iam.oidcProviders[arn] = { arn, url: host, clientIds: [...new Set(clientIds)], thumbprints, createdAt: ctx.now(), tags };
  return { OpenIDConnectProviderArn: arn, Tags: tags.length > 0 ? tags : undefined };
}

function oidcProviderXml(provider: OidcProviderRecord): XmlFields {
  return {
    Url: provider.url,
    ClientIDList: [...provider.clientIds],
    ThumbprintList: [...provider.thumbprints],
    CreateDate: new Date(provider.createdAt),
    Tags: provider.tags.length > 0 ? provider.tags.map((tag) => ({ ...tag })) : undefined,
  };
}

/** DeleteRole: IAM refuses while the role has policies or is in an instance profile (409 DeleteConflict). */
function deleteRole(params: Params, ctx: HandlerContext): undefined {
  const role = findRole(ctx.state, params.str('RoleName'));
  if (role.attachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (Object.values(ctx.state.iam.instanceProfiles).some((profile) => profile.roles.includes(role.name))) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  delete ctx.state.iam.roles[role.name];
  return undefined;
}

/** DeleteInstanceProfile: refused while it holds a role; instances that carry it are not checked (IAM does not either). */
function deleteInstanceProfile(params: Params, ctx: HandlerContext): undefined {
  const profile = findInstanceProfile(ctx.state, params.str('InstanceProfileName'));
  if (profile.roles.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  delete ctx.state.iam.instanceProfiles[profile.name];
  return undefined;
}

const DECISION_RANK: Record<Decision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

function simulatePrincipalPolicy(params: Params, ctx: HandlerContext): XmlFields {
  const { state } = ctx;
  const sourceArn = params.str('PolicySourceArn');
  const match = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([\w+=,.@-]+)$/.exec(sourceArn);
  if (match === null) throw invalidInput(`Invalid ARN: ${sourceArn}. SimulatePrincipalPolicy needs the ARN of a user, group or role.`);
  const [, , kind = '', name = ''] = match;
  const principal = kind === 'role' ? state.iam.roles[name] : state.iam.users[name];
  if (principal === undefined || principal.arn !== sourceArn) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  const sources = identityPolicies(state, principal, kind === 'role' ? 'role' : 'user');
  params.strList('PolicyInputList').forEach((document, index) => {
    sources.push({ id: `PolicyInputList.${index + 1}`, type: 'IAM Policy', statements: parsePolicy(document, 'identity') });
  });
  const actions = params.strList('ActionNames');
  if (actions.length === 0) throw params.errors.missing('ActionNames');
  const resources = params.strList('ResourceArns');
  const evalResources = resources.length > 0 ? resources : ['*'];
  const results = actions.map((action) => {
    const perResource = evalResources.map((resource) => ({ resource, ...evaluate(sources, action, resource) }));
    const worst = perResource.reduce((a, b) => (DECISION_RANK[b.decision] > DECISION_RANK[a.decision] ? b : a));
    const matched = (list: Array<{ id: string; type: string }>) => list.map((m) => ({ SourcePolicyId: m.id, SourcePolicyType: m.type }));
    return {
      EvalActionName: action,
      EvalResourceName: evalResources.length === 1 ? evalResources[0] : '*',
      EvalDecision: worst.decision,
      MatchedStatements: matched(worst.matched),
      MissingContextValues: [],
      ResourceSpecificResults:
        evalResources.length > 1
          ? perResource.map((r) => ({ EvalResourceName: r.resource, EvalResourceDecision: r.decision, MatchedStatements: matched(r.matched) }))
          : undefined,
    };
  });
  return { EvaluationResults: results, IsTruncated: false };
}

export function iamService(): ServiceDef {
  return defineService<XmlFields | undefined>({
    name: 'iam',
    codec: awsQueryCodec(IAM_XMLNS),
    errors: awsQueryErrors(),
    operations: {
      GetRole: (params, ctx) => ({ Role: roleXml(findRole(ctx.state, params.str('RoleName')), 'full') }),
      CreateRole: createRole,
      DeleteRole: deleteRole,
      UpdateAssumeRolePolicy: (params, ctx) => {
        const role = findRole(ctx.state, params.str('RoleName'));
        role.trustPolicy = readTrustPolicy(params, 'PolicyDocument', ctx.state);
        role.trustChangedAt = ctx.now();
        return undefined;
      },
      ListRoles: (params, ctx) => {
        const prefix = params.optStr('PathPrefix') ?? '/';
        const roles = Object.values(ctx.state.iam.roles).filter((role) => role.path.startsWith(prefix));
        const { page, IsTruncated, Marker } = iamPage(roles, params);
        return { Roles: page.map((role) => roleXml(role, 'list')), IsTruncated, Marker };
      },
      TagRole: (params, ctx) => {
        const role = findRole(ctx.state, params.str('RoleName'));
        role.tags = addTags(role.tags, readTags(params));
        return undefined;
      },
      ListRoleTags: (params, ctx) => {
        const role = findRole(ctx.state, params.str('RoleName'));
        const { page, IsTruncated, Marker } = iamPage(role.tags, params);
        return { Tags: page, IsTruncated, Marker };
      },
      AttachRolePolicy: attachRolePolicy,
      DetachRolePolicy: detachRolePolicy,
      ListAttachedRolePolicies: listAttachedRolePolicies,
      PutRolePolicy: putRolePolicy,
      GetRolePolicy: getRolePolicy,
      DeleteRolePolicy: deleteRolePolicy,
      ListRolePolicies: (params, ctx) => {
        const role = findRole(ctx.state, params.str('RoleName'));
        const { page, IsTruncated, Marker } = iamPage(Object.keys(role.inlinePolicies), params);
        return { PolicyNames: page, IsTruncated, Marker };
      },
      GetInstanceProfile: (params, ctx) => ({
        InstanceProfile: instanceProfileXml(ctx.state, findInstanceProfile(ctx.state, params.str('InstanceProfileName'))),
      }),
      CreateInstanceProfile: createInstanceProfile,
      DeleteInstanceProfile: deleteInstanceProfile,
      AddRoleToInstanceProfile: addRoleToInstanceProfile,
      RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
      ListInstanceProfiles: (params, ctx) => {
        const prefix = params.optStr('PathPrefix') ?? '/';
        const profiles = Object.values(ctx.state.iam.instanceProfiles).filter((profile) => profile.path.startsWith(prefix));
        const { page, IsTruncated, Marker } = iamPage(profiles, params);
        return { InstanceProfiles: page.map((profile) => instanceProfileXml(ctx.state, profile)), IsTruncated, Marker };
      },
      ListInstanceProfilesForRole: (params, ctx) => {
        const role = findRole(ctx.state, params.str('RoleName'));
        const profiles = Object.values(ctx.state.iam.instanceProfiles).filter((profile) => profile.roles.includes(role.name));
        const { page, IsTruncated, Marker } = iamPage(profiles, params);
        return { InstanceProfiles: page.map((profile) => instanceProfileXml(ctx.state, profile)), IsTruncated, Marker };
      },
      TagInstanceProfile: (params, ctx) => {
        const profile = findInstanceProfile(ctx.state, params.str('InstanceProfileName'));
        profile.tags = addTags(profile.tags, readTags(params));
        return undefined;
      },
      SimulatePrincipalPolicy: simulatePrincipalPolicy,
      CreateOpenIDConnectProvider: createOidcProvider,
      GetOpenIDConnectProvider: (params, ctx) => oidcProviderXml(findOidcProvider(ctx.state, params)),
      ListOpenIDConnectProviders: (_params, ctx) => ({ OpenIDConnectProviderList: Object.keys(ctx.state.iam.oidcProviders).map((arn) => ({ Arn: arn })) }),
      AddClientIDToOpenIDConnectProvider: (params, ctx) => {
        const provider = findOidcProvider(ctx.state, params);
        const clientId = readClientId(params.str('ClientID'));
        // Idempotent: adding a client id the provider has already is not an error.
        if (!provider.clientIds.includes(clientId)) provider.clientIds.push(clientId);
        return undefined;
      },
      DeleteOpenIDConnectProvider: (params, ctx) => {
        const provider = findOidcProvider(ctx.state, params);
        delete ctx.state.iam.oidcProviders[provider.arn];
        return undefined;
      },
    },
  });
}
