import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/aws/types.js';
import { actionsOf, canonicalPolicy, samePolicy } from '../../../src/codedeploy/documents.js';
import { codeDeployRolePolicyArn, ssmCorePolicyArn } from '../../../src/codedeploy/names.js';
import { bucketsGranted, launchTemplatePolicy, revisionReadPolicy } from '../../../src/codedeploy/permissions.js';
import { wantedTrust } from '../../../src/codedeploy/trust.js';

const ACCOUNT = '123456789012';
const partitions = [
  { partition: 'aws', region: 'eu-west-1' },
  { partition: 'aws-cn', region: 'cn-north-1' },
  { partition: 'aws-us-gov', region: 'us-gov-west-1' },
];

const resources = (doc: PolicyDocument) => doc.Statement.flatMap((s) => ([] as string[]).concat(s.Resource ?? []));

describe.each(partitions)('policies in $partition', ({ partition, region }) => {
  const instanceRoleArn = `arn:${partition}:iam::${ACCOUNT}:role/CodeDeployInstanceRole`;
  const all = [
    wantedTrust('codedeploy', { partition, account: ACCOUNT }),
    wantedTrust('ec2', { partition, account: ACCOUNT }),
    revisionReadPolicy({ partition, region, bucket: 'my-revisions' }),
    launchTemplatePolicy({ partition, region, account: ACCOUNT, instanceRoleArn }),
  ];

  it('name no `*` action and no `*` resource anywhere, and say why', () => {
    for (const spec of all) {
      expect(actionsOf(spec.document).filter((action) => action.includes('*'))).toEqual([]);
      expect(resources(spec.document)).not.toContain('*');
      expect(spec.why.length).toBeGreaterThan(20);
    }
  });

  it('use the partition in every ARN', () => {
    for (const spec of all) {
      for (const arn of resources(spec.document)) expect(arn.startsWith(`arn:${partition}:`)).toBe(true);
    }
    expect(codeDeployRolePolicyArn(partition)).toBe(`arn:${partition}:iam::aws:policy/service-role/AWSCodeDeployRole`);
    expect(ssmCorePolicyArn(partition)).toBe(`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`);
  });

  it('let the instances read only the revision bucket and the regional agent bucket', () => {
    const doc = revisionReadPolicy({ partition, region, bucket: 'my-revisions' }).document;
    expect(doc.Statement).toEqual([
      {
        Sid: 'ReadRevisions',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: [`arn:${partition}:s3:::my-revisions/*`, `arn:${partition}:s3:::aws-codedeploy-${region}/*`],
      },
      {
        Sid: 'ListRevisionBuckets',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [`arn:${partition}:s3:::my-revisions`, `arn:${partition}:s3:::aws-codedeploy-${region}`],
      },
    ]);
  });

  it('scope iam:PassRole to the instance role, passed to EC2 only; tags only at launch', () => {
    const doc = launchTemplatePolicy({ partition, region, account: ACCOUNT, instanceRoleArn }).document;
    const pass = doc.Statement.find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Resource).toBe(instanceRoleArn);
    expect(pass?.Condition?.StringEquals?.['iam:PassedToService']).toBe(partition === 'aws-cn' ? 'ec2.amazonaws.com.cn' : 'ec2.amazonaws.com');
    const run = doc.Statement.find((s) => s.Sid === 'LaunchFromTemplate');
    expect(run?.Action).toBe('ec2:RunInstances');
    expect(resources({ Version: '', Statement: run ? [run] : [] }).every((arn) => arn.startsWith(`arn:${partition}:ec2:${region}:`))).toBe(true);
    // The service role may tag only what it launches: it cannot move another group's instances by re-tagging them.
    const tag = doc.Statement.find((s) => s.Action === 'ec2:CreateTags');
    expect(tag?.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } });
  });
});

describe('comparing documents', () => {
  const a: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'One', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'] },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
    ],
  };

  it('ignores order, Sids and string-vs-list', () => {
    const b: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::b'] },
        { Sid: 'Renamed', Effect: 'Allow', Action: ['s3:getobjectversion', 's3:GetObject'], Resource: ['arn:aws:s3:::c/*', 'arn:aws:s3:::b/*'] },
      ],
    };
    expect(samePolicy(a, b)).toBe(true);
    expect(canonicalPolicy(a)).toBe(canonicalPolicy(b));
  });

  it('sees a widened resource or an added action', () => {
    expect(samePolicy(a, { ...a, Statement: [a.Statement[0]!, { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] })).toBe(false);
    expect(samePolicy(a, { ...a, Statement: [a.Statement[0]!, { Effect: 'Allow', Action: ['s3:ListBucket', 's3:PutObject'], Resource: 'arn:aws:s3:::b' }] })).toBe(false);
    expect(samePolicy(a, undefined)).toBe(false);
  });
});

describe('bucketsGranted', () => {
  it('keeps exact bucket ARNs only, never wildcards or the agent bucket', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::a-bucket/*', 'arn:aws:s3:::*', 'arn:aws:s3:::aws-codedeploy-eu-west-1/*', 'arn:aws:s3:::b*/*'] },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::write-only/*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::denied/*' },
      ],
    };
    expect(bucketsGranted(doc, 'eu-west-1')).toEqual(['a-bucket']);
    expect(bucketsGranted(undefined, 'eu-west-1')).toEqual([]);
  });
});
