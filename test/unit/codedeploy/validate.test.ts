import { describe, expect, it } from 'vitest';
import {
  checkBucketName,
  checkCodeDeployName,
  checkInstanceId,
  checkInstanceProfileName,
  checkRegionCode,
  checkRoleName,
  checkTag,
  checkTargetGroup,
  missingAnswers,
  checkDeploymentConfig,
  normaliseDeploymentConfig,
  targetGroupName,
  validateAnswers,
} from '../../../src/codedeploy/validate.js';

const ok = undefined;

/** A check's answer: no problem, or one matching the pattern. */
function expectProblem(problem: string | undefined, expected: RegExp | undefined): void {
  if (expected === ok) expect(problem).toBeUndefined();
  else expect(problem).toMatch(expected);
}

describe('role names (IAM: 1–64 of [\\w+=,.@-])', () => {
  it.each([
    ['CodeDeployServiceRole', ok],
    ['a', ok],
    ['x'.repeat(64), ok],
    ['role+=,.@-_9', ok],
    ['', /empty/],
    ['x'.repeat(65), /65 characters; IAM allows at most 64/],
    ['my role', /space/],
    ['role/with/slash', /"\/"/],
    ['rôle', /"ô"/],
  ])('%j', (name, expected) => {
    expectProblem(checkRoleName(name), expected);
  });
});

describe('instance profile names (1–128)', () => {
  it.each([
    ['x'.repeat(128), ok],
    ['x'.repeat(129), /at most 128/],
    ['bad name!', /space.*"!"/],
  ])('%j', (name, expected) => {
    expectProblem(checkInstanceProfileName(name), expected);
  });
});

describe('application and deployment group names (1–100 of [A-Za-z0-9._+=,@-])', () => {
  it.each([
    ['web-app_1.0+x=y,z@q', ok],
    ['x'.repeat(100), ok],
    ['x'.repeat(101), /at most 100/],
    ['my app', /space/],
    ['app/prod', /"\/"/],
    ['', /empty/],
  ])('%j', (name, expected) => {
    expectProblem(checkCodeDeployName('Application name', name), expected);
  });
});

describe('S3 bucket names', () => {
  it.each([
    ['my-revisions', ok],
    ['my.revisions.example', ok],
    ['abc', ok],
    ['ab', /3 to 63/],
    ['a'.repeat(64), /3 to 63/],
    ['My-Bucket', /capital/],
    ['my_bucket', /lowercase letters, digits, dots and hyphens/],
    ['-bucket', /start and end/],
    ['bucket-', /start and end/],
    ['my..bucket', /two dots/],
    ['192.168.5.4', /IP address/],
    ['xn--bucket', /reserves/],
    ['sthree-bucket', /reserves/],
    ['bucket-s3alias', /reserves/],
    ['bucket--ol-s3', /reserves/],
    ['s3://my-revisions/path', /without s3:\/\/ \(e\.g\. my-revisions\)/],
  ])('%j', (name, expected) => {
    expectProblem(checkBucketName(name), expected);
  });
});

describe('instance ids, regions, tags, target groups', () => {
  it.each([
    ['i-0123abcd', true],
    ['i-0123456789abcdef0', true],
    ['i-0123abc', false],
    ['i-0123456789ABCDEF0', false],
    ['0123456789abcdef0', false],
    ['i-0123456789abcdef01', false],
  ])('instance id %j valid=%s', (id, valid) => {
    expect(checkInstanceId(id) === undefined).toBe(valid);
  });

  it('knows regions offline and suggests close ones', () => {
    for (const region of ['us-east-1', 'eu-west-3', 'ap-southeast-5', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'il-central-1', 'mx-central-1']) {
      expect(checkRegionCode(region)).toBeUndefined();
    }
    expect(checkRegionCode('eu-wst-1')).toMatch(/not an AWS region.*did you mean eu-west-1/);
    expect(checkRegionCode('moon-base-1')).toMatch(/not an AWS region/);
  });

  it.each([
    [{ key: 'Env', value: 'prod' }, ok],
    [{ key: 'Env' }, ok],
    [{ key: 'k'.repeat(128), value: 'v'.repeat(256) }, ok],
    [{ key: 'k'.repeat(129), value: 'v' }, /129 characters; at most 128/],
    [{ key: 'Env', value: 'v'.repeat(257) }, /257 characters; at most 256/],
    [{ key: 'aws:cloudformation:stack-name', value: 'x' }, /reserves/],
    [{ key: '', value: 'x' }, /empty/],
  ])('tag %j', (tag, expected) => {
    expectProblem(checkTag(tag), expected);
  });

  it('takes a target group ARN or name and rejects a load balancer ARN', () => {
    expect(targetGroupName('arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/0123456789abcdef')).toBe('web-tg');
    expect(targetGroupName('arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/web/73e2d6bc24d8a067')).toBe('web');
    expect(targetGroupName('web-tg')).toBe('web-tg');
    expect(checkTargetGroup('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188')).toMatch(/load balancer ARN/);
    expect(checkTargetGroup('-bad-')).toMatch(/not a target group/);
  });

  it('accepts deployment config aliases, and custom configuration names (checked against the account in the plan)', () => {
    expect(normaliseDeploymentConfig('OneAtATime')).toBe('CodeDeployDefault.OneAtATime');
    expect(normaliseDeploymentConfig('halfatatime')).toBe('CodeDeployDefault.HalfAtATime');
    expect(normaliseDeploymentConfig('CodeDeployDefault.AllAtOnce')).toBe('CodeDeployDefault.AllAtOnce');
    expect(normaliseDeploymentConfig('MyTeam.TwoAtATime')).toBe('MyTeam.TwoAtATime');
    expect(checkDeploymentConfig('MyTeam.TwoAtATime')).toBeUndefined();
    expect(checkDeploymentConfig('two at a time!')).toContain('nor a valid custom configuration name');
  });
});

describe('validateAnswers', () => {
  it('lists every problem, each with its flag', () => {
    const problems = validateAnswers({
      region: 'eu-wst-1',
      app: 'my app',
      group: 'g'.repeat(101),
      serviceRole: 'Same',
      instanceRole: 'Same',
      bucket: 'Bad_Bucket',
      instances: ['i-1', 'i-0123456789abcdef0', 'x'],
      tagGroups: [[{ key: 'a' }], [{ key: 'b' }], [{ key: 'c' }], [{ key: 'aws:d' }]],
      asg: Array.from({ length: 11 }, (_, i) => `asg-${i}`),
    });
    expect(problems.map((p) => p.flag)).toEqual([
      '--region',
      '--app',
      '--group',
      '--instance-role',
      '--bucket',
      '--instances',
      '--instances',
      '--asg',
      '--tag',
      '--tag',
    ]);
    expect(problems.find((p) => p.field === 'instanceRole')?.message).toMatch(/need different names/);
    expect(problems.find((p) => p.field === 'tagGroups')?.message).toMatch(/at most 3/);
  });

  it('names what is missing and the flags that give it', () => {
    expect(missingAnswers({}).map((p) => p.flag)).toEqual(['--app', '--group', '--bucket', '--instances, --tag or --asg']);
    expect(missingAnswers({ app: 'a', group: 'g', bucket: 'b', asg: ['x'] })).toEqual([]);
  });
});
