import type { Ec2Handle } from '../clients.js';
import { isAwsCode } from '../errors.js';
import { nameOfArn } from '../arn.js';
import { call, chunk, fromAwsTags, paginate, toAwsTags } from './call.js';

export interface Ec2Instance {
  id: string;
  /** The Name tag, when there is one. */
  name?: string;
  /** pending | running | stopping | stopped | shutting-down | terminated */
  state: string;
  tags: Record<string, string>;
  /** ARN of the instance profile attached now, if any. */
  profileArn?: string;
  /** "Linux/UNIX", "Windows", "Red Hat Enterprise Linux" …, from PlatformDetails. */
  platform?: string;
}

/** What launch settings say about the instance profile: its name, none, or unknown (not readable). */
export type LaunchProfile = { status: 'set'; profile: string } | { status: 'none' } | { status: 'unknown'; reason: string };

export interface ProfileAssociation {
  id: string;
  instanceId: string;
  profileArn: string;
  /** associating | associated | disassociating | disassociated */
  state: string;
}

export interface Ec2Port {
  /** The given instances; ids that do not exist come back in `missing` (no error). */
  describeInstances(ids: readonly string[]): Promise<{ found: Ec2Instance[]; missing: string[] }>;
  /** Every instance that is not terminated, for pick lists (capped at `limit`). */
  listInstances(limit?: number): Promise<Ec2Instance[]>;
  /**
   * Instances (any state but terminated) carrying one of the tag keys, or a tag with one of the values: the
   * candidates a tag selection can match, in two calls whatever the number of tags (match them with tags.ts).
   */
  instancesWithTags(keys: readonly string[], values?: readonly string[]): Promise<Ec2Instance[]>;
  /** The instance profile a launch template's default (or given) version sets; 'unknown' when it cannot be read. */
  launchTemplateProfile(template: string, version?: string): Promise<LaunchProfile>;
  /** Live (associating/associated) profile associations of the given instances. */
  getProfileAssociations(instanceIds: readonly string[]): Promise<ProfileAssociation[]>;
  associateProfile(instanceId: string, profileName: string): Promise<{ associationId: string }>;
  replaceProfile(associationId: string, profileName: string): Promise<{ associationId: string }>;
  createTags(resourceIds: readonly string[], tags: Record<string, string>): Promise<void>;
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export interface SdkInstance {
  InstanceId?: string | undefined;
  State?: { Name?: string | undefined } | undefined;
  Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;
  IamInstanceProfile?: { Arn?: string | undefined } | undefined;
  PlatformDetails?: string | undefined;
}

export function toInstance(instance: SdkInstance): Ec2Instance {
  const tags = fromAwsTags(instance.Tags);
  return {
    id: instance.InstanceId ?? '',
    ...(tags.Name === undefined ? {} : { name: tags.Name }),
    state: instance.State?.Name ?? 'unknown',
    tags,
    ...(instance.IamInstanceProfile?.Arn === undefined ? {} : { profileArn: instance.IamInstanceProfile.Arn }),
    ...(instance.PlatformDetails === undefined ? {} : { platform: instance.PlatformDetails }),
  };
}

export function createEc2Port(load: () => Promise<Ec2Handle>): Ec2Port {
  const run = async <T>(operation: string, send: (h: Ec2Handle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'EC2', operation }, () => send(h));
  };

  /** DescribeInstances over every page with the given filters. */
  const describe = async (filters: Array<{ Name: string; Values: string[] }>, limit = Number.POSITIVE_INFINITY): Promise<Ec2Instance[]> => {
    const reservations = await paginate(
      (token) => run('DescribeInstances', (h) => h.client.send(new h.sdk.DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, ...(token === undefined ? {} : { NextToken: token }) }))),
      (page) => page.Reservations ?? [],
      (page) => page.NextToken,
      limit,
    );
    return reservations.flatMap((reservation) => (reservation.Instances ?? []).map(toInstance));
  };

  const port: Ec2Port = {
    async describeInstances(ids) {
      if (ids.length === 0) return { found: [], missing: [] };
      // A filter on instance-id (not InstanceIds) returns what exists instead of failing on the first unknown id.
      const pages = await Promise.all(chunk(ids, 200).map((part) => describe([{ Name: 'instance-id', Values: [...part] }])));
      const found = pages.flat();
      const seen = new Set(found.map((instance) => instance.id));
      return { found, missing: ids.filter((id) => !seen.has(id)) };
    },

    async listInstances(limit = 1000) {
      return (await describe([{ Name: 'instance-state-name', Values: LIVE_STATES }], limit)).slice(0, limit);
    },

    async instancesWithTags(keys, values = []) {
      const states = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] };
      const pages = await Promise.all([
        keys.length > 0 ? describe([{ Name: 'tag-key', Values: [...keys] }, states]) : [],
        values.length > 0 ? describe([{ Name: 'tag-value', Values: [...values] }, states]) : [],
      ]);
      return [...new Map(pages.flat().map((instance) => [instance.id, instance])).values()];
    },

    async launchTemplateProfile(template, version) {
      try {
        const byId = /^lt-[0-9a-f]+$/.test(template);
        const out = await run('DescribeLaunchTemplateVersions', (h) =>
          h.client.send(
            new h.sdk.DescribeLaunchTemplateVersionsCommand({
              ...(byId ? { LaunchTemplateId: template } : { LaunchTemplateName: template }),
              Versions: [version ?? '$Default'],
            }),
          ),
        );
        const profile = out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.IamInstanceProfile;
        const name = profile?.Name ?? (profile?.Arn ? nameOfArn(profile.Arn) : undefined);
        return name ? { status: 'set', profile: name } : { status: 'none' };
      } catch (error) {
        return { status: 'unknown', reason: error instanceof Error ? error.message : String(error) };
      }
    },

    async getProfileAssociations(instanceIds) {
      if (instanceIds.length === 0) return [];
      const pages = await Promise.all(
        chunk(instanceIds, 100).map((part) =>
          paginate(
            (token) =>
              run('DescribeIamInstanceProfileAssociations', (h) =>
                h.client.send(
                  new h.sdk.DescribeIamInstanceProfileAssociationsCommand({
                    Filters: [
                      { Name: 'instance-id', Values: [...part] },
                      { Name: 'state', Values: ['associating', 'associated'] },
                    ],
                    ...(token === undefined ? {} : { NextToken: token }),
                  }),
                ),
              ),
            (page) => page.IamInstanceProfileAssociations ?? [],
            (page) => page.NextToken,
          ),
        ),
      );
      return pages.flat().map((association) => ({
        id: association.AssociationId ?? '',
        instanceId: association.InstanceId ?? '',
        profileArn: association.IamInstanceProfile?.Arn ?? '',
        state: association.State ?? 'associated',
      }));
    },

    async associateProfile(instanceId, profileName) {
      try {
        const out = await run('AssociateIamInstanceProfile', (h) =>
          h.client.send(new h.sdk.AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Name: profileName } })),
        );
        return { associationId: out.IamInstanceProfileAssociation?.AssociationId ?? '' };
      } catch (error) {
        // "There is an existing association for instance …": an earlier, interrupted run got there first.
        if (!isAwsCode(error, 'IncorrectState')) throw error;
        const [existing] = await port.getProfileAssociations([instanceId]);
        if (existing && nameOfArn(existing.profileArn) === profileName) return { associationId: existing.id };
        throw error;
      }
    },

    async replaceProfile(associationId, profileName) {
      const out = await run('ReplaceIamInstanceProfileAssociation', (h) =>
        h.client.send(new h.sdk.ReplaceIamInstanceProfileAssociationCommand({ AssociationId: associationId, IamInstanceProfile: { Name: profileName } })),
      );
      return { associationId: out.IamInstanceProfileAssociation?.AssociationId ?? associationId };
    },

    async createTags(resourceIds, tags) {
      if (resourceIds.length === 0) return;
      await run('CreateTags', (h) => h.client.send(new h.sdk.CreateTagsCommand({ Resources: [...resourceIds], Tags: toAwsTags(tags) })));
    },
  };
  return port;
}

