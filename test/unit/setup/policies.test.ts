import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/aws/types.js';
import {
  actionsOf,
  bucketsGranted,
  canonicalPolicy,
  codeDeployRolePolicyArn,
  instanceRoleTrust,
  launchTemplatePolicy,
  mergeTrust,
  revisionReadPolicy,
  samePolicy,
  serviceRoleTrust,
  ssmCorePolicyArn,
  trustAllowsService,
} from '../../../src/commands/setup/policies.js';

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
    serviceRoleTrust(partition, ACCOUNT),
    instanceRoleTrust(partition),
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

  it('scope iam:PassRole to the instance role, passed to EC2 only', () => {
    const doc = launchTemplatePolicy({ partition, region, account: ACCOUNT, instanceRoleArn }).document;
    const pass = doc.Statement.find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Resource).toBe(instanceRoleArn);
    expect(pass?.Condition?.StringEquals?.['iam:PassedToService']).toBe(partition === 'aws-cn' ? 'ec2.amazonaws.com.cn' : 'ec2.amazonaws.com');
    const run = doc.Statement.find((s) => s.Sid === 'LaunchFromTemplate');
    expect(run?.Action).toEqual(['ec2:RunInstances', 'ec2:CreateTags']);
    expect(resources({ Version: '', Statement: run ? [run] : [] }).every((arn) => arn.startsWith(`arn:${partition}:ec2:${region}:`))).toBe(true);
  });
});

describe('trust policies', () => {
  it('limit CodeDeploy to this account with aws:SourceAccount', () => {
    expect(serviceRoleTrust('aws', ACCOUNT).document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codedeploy.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        },
      ],
    });
  });

  it('use the China service principals in aws-cn', () => {
    expect(serviceRoleTrust('aws-cn', ACCOUNT).document.Statement[0]?.Principal).toEqual({ Service: 'codedeploy.amazonaws.com.cn' });
    expect(instanceRoleTrust('aws-cn').document.Statement[0]?.Principal).toEqual({ Service: 'ec2.amazonaws.com.cn' });
    expect(instanceRoleTrust('aws-us-gov').document.Statement[0]?.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });

  it.each([
    ['ours', serviceRoleTrust('aws', ACCOUNT).document, true],
    ['no condition', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['codedeploy.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] }, true],
    ['another account', serviceRoleTrust('aws', '999999999999').document, false],
    ['EC2 instead', instanceRoleTrust('aws').document, false],
    ['Deny', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, false],
    ['wrong action', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:TagSession' }] }, false],
  ] as Array<[string, PolicyDocument, boolean]>)('trustAllowsService: %s → %s', (_name, doc, allowed) => {
    expect(trustAllowsService(doc, 'codedeploy', ACCOUNT)).toBe(allowed);
  });

  it('merges our statement into someone else’s trust policy, keeping theirs', () => {
    const theirs: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const merged = mergeTrust(theirs, serviceRoleTrust('aws', ACCOUNT).document);
    expect(merged.Statement).toHaveLength(2);
    expect(merged.Statement[0]).toEqual(theirs.Statement[0]);
    expect(trustAllowsService(merged, 'codedeploy', ACCOUNT)).toBe(true);
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
