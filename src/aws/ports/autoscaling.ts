import type { AutoScalingHandle } from '../clients.js';
import { call, paginate } from './call.js';
import type { LaunchProfile } from './ec2.js';

export interface AutoScalingGroupInfo {
  name: string;
  /** Launch template (directly or in a mixed-instances policy): the service role then needs ec2:RunInstances and iam:PassRole. */
  usesLaunchTemplate: boolean;
  launchTemplateName?: string;
  launchConfigurationName?: string;
  instanceIds: string[];
}

export interface AutoScalingPort {
  describeGroups(names: readonly string[]): Promise<{ found: AutoScalingGroupInfo[]; missing: string[] }>;
  /** Every group in the region, for pick lists. */
  listGroups(): Promise<AutoScalingGroupInfo[]>;
  /** The instance profile a launch configuration sets; 'unknown' when it cannot be read. */
  launchConfigurationProfile(name: string): Promise<LaunchProfile>;
}

interface SdkGroup {
  AutoScalingGroupName?: string | undefined;
  LaunchTemplate?: { LaunchTemplateName?: string | undefined; LaunchTemplateId?: string | undefined } | undefined;
  MixedInstancesPolicy?: { LaunchTemplate?: { LaunchTemplateSpecification?: { LaunchTemplateName?: string | undefined; LaunchTemplateId?: string | undefined } | undefined } | undefined } | undefined;
  LaunchConfigurationName?: string | undefined;
  Instances?: Array<{ InstanceId?: string | undefined }> | undefined;
}

function toGroup(group: SdkGroup): AutoScalingGroupInfo {
  const template = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const templateName = template?.LaunchTemplateName ?? template?.LaunchTemplateId;
  return {
    name: group.AutoScalingGroupName ?? '',
    usesLaunchTemplate: template !== undefined,
    ...(templateName === undefined ? {} : { launchTemplateName: templateName }),
    ...(group.LaunchConfigurationName === undefined ? {} : { launchConfigurationName: group.LaunchConfigurationName }),
    instanceIds: (group.Instances ?? []).map((instance) => instance.InstanceId ?? '').filter((id) => id !== ''),
  };
}

export function createAutoScalingPort(load: () => Promise<AutoScalingHandle>): AutoScalingPort {
  const describe = async (names: readonly string[] | undefined): Promise<AutoScalingGroupInfo[]> => {
    const h = await load();
    const groups = await paginate(
      (token) =>
        call(h.target, { service: 'AutoScaling', operation: 'DescribeAutoScalingGroups' }, () =>
          h.client.send(
            new h.sdk.DescribeAutoScalingGroupsCommand({
              ...(names === undefined ? {} : { AutoScalingGroupNames: [...names] }),
              MaxRecords: 100,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          ),
        ),
      (page) => page.AutoScalingGroups ?? [],
      (page) => page.NextToken,
    );
    return groups.map(toGroup);
  };
  return {
    async describeGroups(names) {
      if (names.length === 0) return { found: [], missing: [] };
      const found = await describe(names);
      const seen = new Set(found.map((group) => group.name));
      return { found, missing: names.filter((name) => !seen.has(name)) };
    },
    listGroups: () => describe(undefined),
    async launchConfigurationProfile(name) {
      try {
        const h = await load();
        const out = await call(h.target, { service: 'AutoScaling', operation: 'DescribeLaunchConfigurations' }, () =>
          h.client.send(new h.sdk.DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [name] })),
        );
        const profile = out.LaunchConfigurations?.[0]?.IamInstanceProfile;
        if (out.LaunchConfigurations?.[0] === undefined) return { status: 'unknown', reason: `launch configuration ${name} does not exist` };
        return profile ? { status: 'set', profile: profile.split('/').pop() ?? profile } : { status: 'none' };
      } catch (error) {
        return { status: 'unknown', reason: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
