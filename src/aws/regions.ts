import { closest, orList } from '../similar.js';
/**
 * An offline list of AWS region codes by partition (copied from the AWS SDK's partition table), so a typo in
 * --region is caught before any call, and the partition and DNS suffix are known without asking AWS.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-eusc' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

const REGIONS: Readonly<Record<Partition, readonly string[]>> = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
    'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1',
    'sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
};

const DNS_SUFFIX: Readonly<Record<Partition, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-eusc': 'amazonaws.eu',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
};

export function isKnownRegion(region: string): boolean {
  return partitionOfRegion(region) !== undefined;
}

export function partitionOfRegion(region: string): Partition | undefined {
  for (const [partition, regions] of Object.entries(REGIONS) as Array<[Partition, readonly string[]]>) {
    if (regions.includes(region)) return partition;
  }
  return undefined;
}

export function dnsSuffixOf(partition: Partition): string {
  return DNS_SUFFIX[partition];
}

export function knownRegions(): string[] {
  return Object.values(REGIONS).flat();
}

/** Undefined for a known region; otherwise the problem in words, with "did you mean" when one is close. */
export function unknownRegionProblem(region: string): string | undefined {
  if (isKnownRegion(region)) return undefined;
  const similar = similarRegions(region);
  return `"${region}" is not an AWS region cd-wizard knows${similar.length > 0 ? `; did you mean ${orList(similar)}?` : ' (codes look like us-east-1 or eu-west-2).'}`;
}

/** The known regions closest in spelling to a mistyped one, for "did you mean". */
export function similarRegions(region: string, limit = 3): string[] {
  return closest(region, knownRegions(), { limit, maxDistance: 3 });
}
