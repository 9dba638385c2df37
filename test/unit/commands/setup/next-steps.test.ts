import { describe, expect, it } from 'vitest';
import { nextSteps, renderNextSteps } from '../../../../src/commands/setup/next-steps.js';
import { agentUrl, linuxAgentInstall } from '../../../../src/codedeploy/agent-install.js';
import { computePlan } from '../../../../src/codedeploy/plan.js';
import { createStyle } from '../../../../src/io/terminal.js';
import { emptyObservation, setupAnswers } from '../../../helpers/fixtures.js';

const answers = setupAnswers;
const observation = emptyObservation;

describe('agent install commands', () => {
  it.each([
    ['eu-west-1', 'latest/install', 'https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install'],
    ['us-east-2', 'latestv2/install', 'https://aws-codedeploy-us-east-2.s3.us-east-2.amazonaws.com/latestv2/install'],
    ['cn-north-1', 'latest/install', 'https://aws-codedeploy-cn-north-1.s3.cn-north-1.amazonaws.com.cn/latest/install'],
    ['cn-northwest-1', 'latest/install', 'https://aws-codedeploy-cn-northwest-1.s3.cn-northwest-1.amazonaws.com.cn/latest/install'],
    ['us-gov-west-1', 'latest/codedeploy-agent.msi', 'https://aws-codedeploy-us-gov-west-1.s3.us-gov-west-1.amazonaws.com/latest/codedeploy-agent.msi'],
  ])('%s %s', (region, key, url) => {
    expect(agentUrl(region, key)).toBe(url);
  });

  it('agent 1.x needs Ruby, agent 2.x does not', () => {
    const [amazon1, ubuntu1] = linuxAgentInstall('eu-west-1', 1);
    const [amazon2, ubuntu2] = linuxAgentInstall('eu-west-1', 2);
    expect(amazon1?.commands[0]).toBe('sudo yum install -y ruby wget');
    expect(ubuntu1?.commands[0]).toContain('ruby-full');
    expect(amazon2?.commands.join(' ')).not.toContain('ruby');
    expect(ubuntu2?.commands.join(' ')).toContain('/latestv2/install');
  });
});

describe('next steps', () => {
  it('use the user’s names, region and profile in the deploy commands', () => {
    const plan = computePlan(answers(), observation());
    const next = nextSteps({ plan, state: {}, profile: 'dev' });
    expect(next.deploy).toEqual([expect.stringMatching(/^cd-wizard init /), expect.stringMatching(/^cd-wizard deploy /)]);
    expect(next.deployWithCli[0]).toBe('aws deploy push --application-name web --s3-location s3://my-revisions/web/release.zip --source . --region eu-west-1 --profile dev');
    expect(next.deployWithCli[1]).toContain('--deployment-group-name prod');
    expect(next.fix.join('\n')).toContain('cd-wizard fix');
  });

  it('show Windows and SSM only when they apply', () => {
    const plain = nextSteps({ plan: computePlan(answers(), observation()), state: {}, platforms: ['Linux/UNIX'] });
    expect(plain.agent.windows).toBeUndefined();
    expect(plain.agent.ssm).toBeUndefined();
    const both = nextSteps({ plan: computePlan(answers({ ssm: true }), observation()), state: {}, platforms: ['Windows'] });
    expect(both.agent.windows?.commands[0]).toContain('https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/codedeploy-agent.msi');
    expect(both.agent.ssm).toContain('--document-name AWS-ConfigureAWSPackage --instance-ids i-0aaaaaaaaaaaaaaa1');
  });

  it('warn about instances that kept their own profile and about launch templates', () => {
    const obs = observation();
    obs.autoScalingGroups = [{ name: 'web-asg', usesLaunchTemplate: true, instanceIds: [] }];
    const next = nextSteps({ plan: computePlan(answers({ asg: ['web-asg'] }), obs), state: {}, skippedReplacements: ['i-0aaaaaaaaaaaaaaa1'] });
    expect(next.notes).toEqual([
      'i-0aaaaaaaaaaaaaaa1 kept its own instance profile: its role must be able to read s3://my-revisions, or its deployments fail to download the revision.',
      "New instances of web-asg get their profile from its launch template: set the template's IAM instance profile to CodeDeployInstanceProfile, and install the agent in its user data.",
    ]);
  });

  it('tell a launch configuration from a launch template (a configuration cannot be edited)', () => {
    const obs = observation();
    obs.autoScalingGroups = [
      { name: 'web-asg', usesLaunchTemplate: true, launchTemplateName: 'web-lt', instanceIds: [] },
      { name: 'old-asg', usesLaunchTemplate: false, launchConfigurationName: 'old-lc', instanceIds: [] },
    ];
    const plan = computePlan(answers({ asg: ['web-asg', 'old-asg'] }), obs);
    expect(plan.targets.launches).toEqual({ 'web-asg': { kind: 'launch-template', name: 'web-lt' }, 'old-asg': { kind: 'launch-configuration', name: 'old-lc' } });
    expect(nextSteps({ plan, state: {} }).notes).toEqual([
      "New instances of web-asg get their profile from launch template web-lt: set the template's IAM instance profile to CodeDeployInstanceProfile, and install the agent in its user data.",
      'New instances of old-asg get their profile from launch configuration old-lc, which cannot be edited: copy it with IAM instance profile CodeDeployInstanceProfile and the agent in its user data, and switch old-asg to the copy (or move old-asg to a launch template).',
    ]);
  });

  it('render as text with every section', () => {
    const plan = computePlan(answers({ region: 'cn-north-1' }), observation('aws-cn'));
    const text = renderNextSteps(nextSteps({ plan, state: { serviceRole: { name: 'CodeDeployServiceRole', arn: 'arn:aws-cn:iam::123456789012:role/CodeDeployServiceRole', status: 'created' } } }), createStyle(false));
    expect(text).toContain('arn:aws-cn:iam::123456789012:role/CodeDeployServiceRole');
    expect(text).toContain('amazonaws.com.cn/latest/install');
    expect(text).toMatch(/1\. Install the CodeDeploy agent[\s\S]*2\. Deploy[\s\S]*3\. If a deployment fails/);
  });
});
