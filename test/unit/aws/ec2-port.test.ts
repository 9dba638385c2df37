import * as Ec2Sdk from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/aws/errors.js';
import { nameOfArn } from '../../../src/aws/arn.js';
import { createEc2Port } from '../../../src/aws/ports/ec2.js';
import { OFFLINE, TARGET, sdkError } from './helpers.js';

const ec2 = mockClient(Ec2Sdk.EC2Client);
// Test files share a process: put the real clients back for the files that follow.
afterAll(() => { ec2.restore(); });
const port = createEc2Port(async () => ({ sdk: Ec2Sdk, client: new Ec2Sdk.EC2Client(OFFLINE), target: TARGET }));
afterEach(() => ec2.reset());

describe('EC2 port', () => {
  it('describes instances by filter, reporting missing ids instead of failing, over every page', async () => {
    ec2
      .on(Ec2Sdk.DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: 'i-0aaaaaaaaaaaaaaa1',
                State: { Name: 'running' },
                Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'Env', Value: 'prod' }],
                IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/P', Id: 'x' },
                PlatformDetails: 'Linux/UNIX',
              },
            ],
          },
        ],
        NextToken: 't1',
      })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa2', State: { Name: 'stopped' } }] }] });
    const { found, missing } = await port.describeInstances(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3']);
    expect(found).toEqual([
      { id: 'i-0aaaaaaaaaaaaaaa1', name: 'web-1', state: 'running', tags: { Name: 'web-1', Env: 'prod' }, profileArn: 'arn:aws:iam::1:instance-profile/P', platform: 'Linux/UNIX' },
      { id: 'i-0aaaaaaaaaaaaaaa2', state: 'stopped', tags: {} },
    ]);
    expect(missing).toEqual(['i-0aaaaaaaaaaaaaaa3']);
    const inputs = ec2.commandCalls(Ec2Sdk.DescribeInstancesCommand).map((c) => c.args[0].input);
    expect(inputs[0]?.Filters).toEqual([{ Name: 'instance-id', Values: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3'] }]);
    expect(inputs[1]?.NextToken).toBe('t1');
  });

  it('finds the candidates of a tag selection in two calls: by key, and by value for VALUE_ONLY filters', async () => {
    ec2.on(Ec2Sdk.DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1', State: { Name: 'running' }, Tags: [{ Key: 'Env', Value: 'prod' }] }] }] });
    expect((await port.instancesWithTags(['Env', 'Role'], ['blue'])).map((i) => i.id)).toEqual(['i-1']);
    const filters = ec2.commandCalls(Ec2Sdk.DescribeInstancesCommand).map((c) => c.args[0].input.Filters);
    const states = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] };
    expect(filters).toEqual([
      [{ Name: 'tag-key', Values: ['Env', 'Role'] }, states],
      [{ Name: 'tag-value', Values: ['blue'] }, states],
    ]);
  });

  it('reads the instance profile a launch template sets, and says when it cannot', async () => {
    ec2
      .on(Ec2Sdk.DescribeLaunchTemplateVersionsCommand)
      .resolvesOnce({ LaunchTemplateVersions: [{ LaunchTemplateData: { IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/Web' } } }] })
      .resolvesOnce({ LaunchTemplateVersions: [{ LaunchTemplateData: {} }] })
      .rejects(sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    expect(await port.launchTemplateProfile('web-lt')).toEqual({ status: 'set', profile: 'Web' });
    expect(ec2.commandCalls(Ec2Sdk.DescribeLaunchTemplateVersionsCommand)[0]?.args[0].input).toEqual({ LaunchTemplateName: 'web-lt', Versions: ['$Default'] });
    expect(await port.launchTemplateProfile('lt-0123abcd')).toEqual({ status: 'none' });
    expect(await port.launchTemplateProfile('web-lt')).toMatchObject({ status: 'unknown' });
  });

  it('associates a profile by name, and accepts an existing association of the same profile', async () => {
    ec2.on(Ec2Sdk.AssociateIamInstanceProfileCommand).resolvesOnce({ IamInstanceProfileAssociation: { AssociationId: 'iip-assoc-1' } });
    expect(await port.associateProfile('i-1', 'P')).toEqual({ associationId: 'iip-assoc-1' });
    expect(ec2.commandCalls(Ec2Sdk.AssociateIamInstanceProfileCommand)[0]?.args[0].input).toEqual({ InstanceId: 'i-1', IamInstanceProfile: { Name: 'P' } });

    ec2.on(Ec2Sdk.AssociateIamInstanceProfileCommand).rejects(sdkError('IncorrectState', 'There is an existing association for instance i-1'));
    ec2.on(Ec2Sdk.DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [{ AssociationId: 'iip-assoc-1', InstanceId: 'i-1', State: 'associated', IamInstanceProfile: { Arn: 'arn:aws:iam::1:instance-profile/P' } }],
    });
    expect(await port.associateProfile('i-1', 'P')).toEqual({ associationId: 'iip-assoc-1' });
    await expect(port.associateProfile('i-1', 'Other')).rejects.toBeInstanceOf(AwsError);
  });

  it('marks "Invalid IAM Instance Profile name" as IAM propagation', async () => {
    ec2.on(Ec2Sdk.AssociateIamInstanceProfileCommand).rejects(sdkError('InvalidParameterValue', 'Value (P) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name'));
    const error = await port.associateProfile('i-1', 'P').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'iam-propagation', code: 'InvalidParameterValue' });
  });

  it('replaces by association id and tags in one call', async () => {
    ec2.on(Ec2Sdk.ReplaceIamInstanceProfileAssociationCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-assoc-2' } });
    ec2.on(Ec2Sdk.CreateTagsCommand).resolves({});
    expect(await port.replaceProfile('iip-assoc-1', 'P')).toEqual({ associationId: 'iip-assoc-2' });
    await port.createTags(['i-1', 'i-2'], { Env: 'prod' });
    expect(ec2.commandCalls(Ec2Sdk.CreateTagsCommand)[0]?.args[0].input).toEqual({ Resources: ['i-1', 'i-2'], Tags: [{ Key: 'Env', Value: 'prod' }] });
  });

  it('reads the profile name out of an ARN with a path', () => {
    expect(nameOfArn('arn:aws:iam::123456789012:instance-profile/team/web/P')).toBe('P');
  });
});
