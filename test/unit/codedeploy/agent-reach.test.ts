import { describe, expect, it } from 'vitest';
import type { Ec2Instance, ManagedInstance } from '../../../src/aws/ports/index.js';
import { manualInstall, osOf, packageCommandLine, packageParameters } from '../../../src/codedeploy/agent-install.js';
import { reachOf } from '../../../src/codedeploy/agent-reach.js';
import { installResultText, tail } from '../../../src/codedeploy/agent-run.js';

const ID = 'i-0aaaaaaaaaaaaaaa1';
const running = (extra: Partial<Ec2Instance> = {}): Ec2Instance => ({ id: ID, state: 'running', tags: {}, profileArn: 'arn:aws:iam::123456789012:instance-profile/P', ...extra });
const managed = (pingStatus = 'Online'): ManagedInstance => ({ id: ID, pingStatus, platformType: 'Linux' });

describe('whether Systems Manager can reach an instance, and why not', () => {
  it('an Online managed instance is reached through SSM', () => {
    expect(reachOf(ID, running(), managed(), undefined, 'eu-west-1')).toEqual({ via: 'ssm' });
  });

  it.each([
    ['missing', undefined, undefined, undefined, `${ID} does not exist in eu-west-1.`],
    ['not-running', running({ state: 'stopped' }), managed(), undefined, 'It is stopped; Systems Manager reaches only running instances.'],
    ['ssm-offline', running(), managed('ConnectionLost'), undefined, /lost contact with its SSM Agent \(ping status ConnectionLost\)/],
    ['no-profile', { id: ID, state: 'running', tags: {} }, undefined, undefined, /no instance profile, so its SSM Agent has no credentials: cd-wizard setup --ssm/],
    ['no-ssm-policy', running(), undefined, { profile: 'P', role: 'R', hasSsmCore: false }, /^Its role R does not have AmazonSSMManagedInstanceCore, .*cd-wizard setup --ssm attaches it/],
    ['not-registered', running(), undefined, { profile: 'P', role: 'R', hasSsmCore: true }, /not registered with Systems Manager, although its role R has AmazonSSMManagedInstanceCore/],
    ['not-registered', running(), undefined, { profile: 'P', unreadable: 'iam:GetInstanceProfile denied' }, /its role could not be read: iam:GetInstanceProfile denied/],
  ] as const)('%s', (why, instance, ssm, role, detail) => {
    const reach = reachOf(ID, instance, ssm, role, 'eu-west-1');
    expect(reach.via).toBe('manual');
    if (reach.via !== 'manual') return;
    expect(reach.why).toBe(why);
    expect(reach.detail).toMatch(detail);
  });
});

describe('the agent package and the commands by hand', () => {
  it('install reinstalls, update updates in place; both Install the latest AWSCodeDeployAgent', () => {
    expect(packageParameters('install')).toEqual({ action: ['Install'], name: ['AWSCodeDeployAgent'], installationType: ['Uninstall and reinstall'] });
    expect(packageParameters('update').installationType).toEqual(['In-place update']);
    expect(packageCommandLine('install', '--instance-ids i-1', '--region eu-west-1')).toBe(
      `aws ssm send-command --document-name AWS-ConfigureAWSPackage --instance-ids i-1 --parameters '{"action":["Install"],"name":["AWSCodeDeployAgent"],"installationType":["Uninstall and reinstall"]}' --region eu-west-1`,
    );
  });

  it('by hand: the regional installer for Linux, the regional MSI for Windows', () => {
    expect(osOf('Linux/UNIX', undefined)).toBe('linux');
    expect(osOf(undefined, 'Windows')).toBe('windows');
    expect(manualInstall('linux', 'ap-northeast-2').flatMap((one) => one.commands)).toContain('cd /tmp && wget https://aws-codedeploy-ap-northeast-2.s3.ap-northeast-2.amazonaws.com/latest/install');
    expect(manualInstall('windows', 'cn-north-1')[0]?.commands[0]).toContain('https://aws-codedeploy-cn-north-1.s3.cn-north-1.amazonaws.com.cn/latest/codedeploy-agent.msi');
  });

  it('says what an install did in one line', () => {
    expect(installResultText({ id: ID, status: 'installed', version: '1.7.1', detail: '' }, 'update')).toBe('updated; the agent 1.7.1 is running');
    expect(installResultText({ id: ID, status: 'failed', detail: 'AWS-ConfigureAWSPackage ended Failed: boom' }, 'install')).toBe('AWS-ConfigureAWSPackage ended Failed: boom');
    expect(tail({ stdout: 'a\nb\nc\nd\ne', stderr: '' })).toBe('b | c | d | e');
  });
});
