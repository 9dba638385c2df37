/**
 * EC2 over the EC2 query protocol (version 2016-11-15): instances, IAM instance profile associations and
 * tags. Errors use EC2's codes: InvalidInstanceID.NotFound / .Malformed, InvalidParameterValue,
 * InvalidParameterCombination, IncorrectState, IncorrectInstanceState, InvalidAssociationID.NotFound.
 */
import { AwsError } from '../errors.js';
import type { Params } from '../params.js';
import { ec2Errors, ec2QueryCodec } from '../query.js';
import { defineService, paginate, wildcardMatch, type HandlerContext, type ServiceDef } from '../service.js';
import { mergeTags, type InstanceProfileRecord, type InstanceRecord, type InstanceStateName, type ProfileAssociationRecord, type Tag } from '../state.js';
import type { XmlFields } from '../xml.js';
import { hasPropagated, instanceProfileByArn } from './iam.js';

export const INSTANCE_STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

const invalidValue = (message: string): AwsError => new AwsError('InvalidParameterValue', message, 400);

// ---- filters --------------------------------------------------------------------------------------------

type FilterFields<T> = Record<string, (item: T) => Array<string | undefined>>;

/**
 * EC2 filter semantics: values within one filter are ORed, filters are ANDed, values may use `*` and `?`.
 * `tag:<key>` matches the value of that tag. Unknown filter names are rejected as EC2 rejects them.
 */
function applyFilters<T>(items: readonly T[], params: Params, fields: FilterFields<T>, tagsOf?: (item: T) => readonly Tag[]): T[] {
  const filters = params.list('Filter').map((filter) => ({ name: filter.str('Name'), values: filter.strList('Value') }));
  for (const filter of filters) {
    if (!(filter.name in fields) && !(tagsOf !== undefined && filter.name.startsWith('tag:'))) {
      throw invalidValue(`The filter '${filter.name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every(({ name, values }) => {
      const actual = name.startsWith('tag:') && tagsOf !== undefined
        ? tagsOf(item).filter((tag) => tag.Key === name.slice(4)).map((tag) => tag.Value)
        : (fields[name]?.(item) ?? []);
      return actual.some((value) => value !== undefined && values.some((pattern) => wildcardMatch(pattern, value)));
    }),
  );
}

function readMaxResults(params: Params, field: string): number | undefined {
  const max = params.optInt(field);
  if (max !== undefined && (max < 5 || max > 1000)) {
    throw invalidValue(`Value ( ${max} ) for parameter ${field.charAt(0).toLowerCase() + field.slice(1)} is invalid. Expecting a value between 5 and 1000.`);
  }
  return max;
}

function ec2Page<T>(items: readonly T[], params: Params): { page: T[]; nextToken: string | undefined } {
  const max = readMaxResults(params, 'MaxResults');
  const { page, next } = paginate(items, params.optStr('NextToken'), max ?? 1000, () => invalidValue('The token is invalid.'));
  return { page, nextToken: next };
}

// ---- lookups --------------------------------------------------------------------------------------------

function findInstances(ctx: HandlerContext, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) if (!INSTANCE_ID.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
  const missing = ids.filter((id) => ctx.state.ec2.instances[id] === undefined);
  if (missing.length === 1) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`, 400);
  if (missing.length > 1) throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`, 400);
  return ids.flatMap((id) => {
    const instance = ctx.state.ec2.instances[id];
    return instance === undefined ? [] : [instance];
  });
}

function activeAssociation(ctx: HandlerContext, instanceId: string): ProfileAssociationRecord | undefined {
  return Object.values(ctx.state.ec2.associations).find(
    (association) => association.instanceId === instanceId && (association.state === 'associated' || association.state === 'associating'),
  );
}

/**
 * Resolves `IamInstanceProfile.Name` / `.Arn` the way EC2 sees IAM: a profile created less than
 * `iamPropagationSeconds` ago is not visible yet, which EC2 reports as an invalid name.
 */
function resolveProfile(params: Params, ctx: HandlerContext): InstanceProfileRecord {
  const spec = params.optObj('IamInstanceProfile');
  const name = spec?.optStr('Name');
  const arn = spec?.optStr('Arn');
  if (name === undefined && arn === undefined) throw params.errors.missing('IamInstanceProfile');
  const profile = name !== undefined ? ctx.state.iam.instanceProfiles[name] : instanceProfileByArn(ctx.state, arn ?? '');
  if (profile === undefined || !hasPropagated(profile.createdAt, ctx)) {
    throw name !== undefined
      ? invalidValue(`Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`)
      : invalidValue(`Value (${String(arn)}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
  }
  return profile;
}

// ---- XML shapes -----------------------------------------------------------------------------------------

function tagSet(tags: readonly Tag[]): XmlFields[] | undefined {
  return tags.length > 0 ? tags.map((tag) => ({ key: tag.Key, value: tag.Value })) : undefined;
}

function instanceXml(ctx: HandlerContext, instance: InstanceRecord): XmlFields {
  const association = activeAssociation(ctx, instance.id);
  const dns = `ip-${instance.privateIpAddress.replaceAll('.', '-')}.ec2.internal`;
  return {
    instanceId: instance.id,
    imageId: instance.imageId,
    instanceState: { code: INSTANCE_STATE_CODES[instance.state], name: instance.state },
    privateDnsName: instance.state === 'terminated' ? '' : dns,
    dnsName: '',
    amiLaunchIndex: 0,
    instanceType: instance.instanceType,
    launchTime: new Date(instance.launchTime),
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    platform: instance.platform,
    platformDetails: instance.platformDetails,
    monitoring: { state: 'disabled' },
    subnetId: instance.state === 'terminated' ? undefined : instance.subnetId,
    vpcId: instance.state === 'terminated' ? undefined : instance.vpcId,
    privateIpAddress: instance.state === 'terminated' ? undefined : instance.privateIpAddress,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    iamInstanceProfile: association === undefined ? undefined : { arn: association.profileArn, id: association.profileId },
    tagSet: tagSet(instance.tags),
    groupSet: [],
    virtualizationType: 'hvm',
  };
}

function associationXml(association: ProfileAssociationRecord, state = association.state): XmlFields {
  return {
    associationId: association.id,
    instanceId: association.instanceId,
    iamInstanceProfile: { arn: association.profileArn, id: association.profileId },
    state,
    timestamp: new Date(association.at),
  };
}

// ---- operations -----------------------------------------------------------------------------------------

const INSTANCE_FILTERS: FilterFields<InstanceRecord & { profileArn?: string }> = {
  'instance-id': (i) => [i.id],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state])],
  'instance-type': (i) => [i.instanceType],
  'iam-instance-profile.arn': (i) => [i.profileArn],
  'tag-key': (i) => i.tags.map((tag) => tag.Key),
  'tag-value': (i) => i.tags.map((tag) => tag.Value),
  platform: (i) => [i.platform],
  'platform-details': (i) => [i.platformDetails],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'availability-zone': (i) => [i.availabilityZone],
  'private-ip-address': (i) => [i.privateIpAddress],
  'image-id': (i) => [i.imageId],
};

function describeInstances(params: Params, ctx: HandlerContext): XmlFields {
  const ids = params.strList('InstanceId');
  if (ids.length > 0 && params.has('MaxResults')) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
  }
  const candidates = (ids.length > 0 ? findInstances(ctx, ids) : Object.values(ctx.state.ec2.instances)).map((instance) => {
    const association = activeAssociation(ctx, instance.id);
    return association === undefined ? instance : { ...instance, profileArn: association.profileArn };
  });
  const matching = applyFilters(candidates, params, INSTANCE_FILTERS, (instance) => instance.tags);
  const { page, nextToken } = ec2Page(matching, params);
  return {
    reservationSet: page.map((instance) => ({
      reservationId: `r-${instance.id.slice(2)}`,
      ownerId: ctx.state.sts.account,
      groupSet: [],
      instancesSet: [instanceXml(ctx, instance)],
    })),
    nextToken,
  };
}

function describeAssociations(params: Params, ctx: HandlerContext): XmlFields {
  const ids = params.strList('AssociationId');
  if (ids.length > 0 && (params.has('Filter') || params.has('MaxResults'))) {
    throw new AwsError('InvalidParameterCombination', 'The parameter AssociationIds cannot be used with the parameter Filters or MaxResults', 400);
  }
  for (const id of ids) {
    if (ctx.state.ec2.associations[id] === undefined) throw new AwsError('InvalidAssociationID.NotFound', `An association with ID ${id} does not exist.`, 400);
  }
  const all = Object.values(ctx.state.ec2.associations);
  const candidates = ids.length > 0 ? all.filter((association) => ids.includes(association.id)) : all;
  const matching = applyFilters(candidates, params, {
    'instance-id': (a) => [a.instanceId],
    state: (a) => [a.state],
  });
  const { page, nextToken } = ec2Page(matching, params);
  return { iamInstanceProfileAssociationSet: page.map((association) => associationXml(association)), nextToken };
}

function newAssociation(ctx: HandlerContext, instanceId: string, profile: InstanceProfileRecord): ProfileAssociationRecord {
  const association: ProfileAssociationRecord = {
    id: ctx.ids.ec2('iip-assoc'),
    instanceId,
    profileArn: profile.arn,
    profileId: profile.id,
    // The call answers "associating"; by the next describe it has settled, as it does within seconds on AWS.
    state: 'associated',
    at: ctx.now(),
  };
  ctx.state.ec2.associations[association.id] = association;
  return association;
}

function associateProfile(params: Params, ctx: HandlerContext): XmlFields {
  const instanceId = params.str('InstanceId');
  const [instance] = findInstances(ctx, [instanceId]);
  if (instance === undefined) throw params.errors.missing('InstanceId');
  const profile = resolveProfile(params, ctx);
  if (instance.state === 'terminated' || instance.state === 'shutting-down') {
    throw new AwsError('IncorrectInstanceState', `The instance '${instance.id}' is not in a valid state for this operation.`, 400);
  }
  if (activeAssociation(ctx, instance.id) !== undefined) {
    throw new AwsError('IncorrectState', `There is an existing association for instance ${instance.id}`, 400);
  }
  return { iamInstanceProfileAssociation: associationXml(newAssociation(ctx, instance.id, profile), 'associating') };
}

function findAssociation(params: Params, ctx: HandlerContext): ProfileAssociationRecord {
  const id = params.str('AssociationId');
  const association = ctx.state.ec2.associations[id];
  if (association === undefined) throw new AwsError('InvalidAssociationID.NotFound', `An association with ID ${id} does not exist.`, 400);
  return association;
}

function replaceAssociation(params: Params, ctx: HandlerContext): XmlFields {
  const old = findAssociation(params, ctx);
  const profile = resolveProfile(params, ctx);
  delete ctx.state.ec2.associations[old.id];
  return { iamInstanceProfileAssociation: associationXml(newAssociation(ctx, old.instanceId, profile), 'associating') };
}

function disassociateProfile(params: Params, ctx: HandlerContext): XmlFields {
  const association = findAssociation(params, ctx);
  delete ctx.state.ec2.associations[association.id];
  return { iamInstanceProfileAssociation: associationXml(association, 'disassociating') };
}

function readEc2Tags(params: Params): Tag[] {
  return params.list('Tag').map((tag) => {
    const key = tag.str('Key');
    if (key.toLowerCase().startsWith('aws:')) throw invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
    if (key.length > 128) throw invalidValue(`Tag key exceeds the maximum length of 128 characters`);
    const value = tag.optStr('Value') ?? '';
    if (value.length > 256) throw invalidValue(`Tag value exceeds the maximum length of 256 characters`);
    return { Key: key, Value: value };
  });
}

function taggedInstances(params: Params, ctx: HandlerContext): InstanceRecord[] {
  const ids = params.strList('ResourceId');
  if (ids.length === 0) throw params.errors.missing('ResourceId');
  for (const id of ids) if (!id.startsWith('i-')) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  return findInstances(ctx, ids);
}

function createTags(params: Params, ctx: HandlerContext): XmlFields {
  const instances = taggedInstances(params, ctx);
  const tags = readEc2Tags(params);
  if (tags.length === 0) throw params.errors.missing('Tag');
  for (const instance of instances) {
    const merged = mergeTags(instance.tags, tags);
    if (merged.length > 50) throw new AwsError('TagLimitExceeded', `The maximum number of Tags for resource '${instance.id}' has been reached.`, 400);
    instance.tags = merged;
  }
  return { return: true };
}

function deleteTags(params: Params, ctx: HandlerContext): XmlFields {
  const instances = taggedInstances(params, ctx);
  const tags = params.list('Tag').map((tag) => ({ key: tag.str('Key'), value: tag.optStr('Value') }));
  for (const instance of instances) {
    instance.tags = instance.tags.filter((tag) => !tags.some((gone) => gone.key === tag.Key && (gone.value === undefined || gone.value === tag.Value)));
  }
  return { return: true };
}

function describeTags(params: Params, ctx: HandlerContext): XmlFields {
  const rows = Object.values(ctx.state.ec2.instances).flatMap((instance) =>
    instance.tags.map((tag) => ({ resourceId: instance.id, resourceType: 'instance', key: tag.Key, value: tag.Value })),
  );
  const matching = applyFilters(rows, params, {
    'resource-id': (row) => [row.resourceId],
    'resource-type': (row) => [row.resourceType],
    key: (row) => [row.key],
    value: (row) => [row.value],
  });
  const { page, nextToken } = ec2Page(matching, params);
  return { tagSet: page, nextToken };
}

export function ec2Service(): ServiceDef {
  return defineService<XmlFields>({
    name: 'ec2',
    codec: ec2QueryCodec(),
    errors: ec2Errors(),
    operations: {
      DescribeInstances: describeInstances,
      DescribeIamInstanceProfileAssociations: describeAssociations,
      AssociateIamInstanceProfile: associateProfile,
      ReplaceIamInstanceProfileAssociation: replaceAssociation,
      DisassociateIamInstanceProfile: disassociateProfile,
      CreateTags: createTags,
      DeleteTags: deleteTags,
      DescribeTags: describeTags,
    },
  });
}
