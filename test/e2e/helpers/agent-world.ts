/**
 * What the fake's instances answer to cd-wizard's agent report (an AWS-RunShellScript whose script prints
 * `cdw-report:` lines): "not installed" until AWS-ConfigureAWSPackage installed AWSCodeDeployAgent on that instance,
 * then the agent running. Shared by the agent tests and the whole journey.
 */
import type { Seed } from '../../fake-aws/index.js';
import { agentReport } from '../../fake-aws/scenarios.js';

export const NOT_INSTALLED = ['cdw-report:installed=no', 'cdw-report:version=', 'cdw-report:active=unknown', 'cdw-report:status=codedeploy-agent: unrecognized service', 'cdw-report:end'].join('\n');

export const AGENT_RULES: NonNullable<NonNullable<Seed['ssm']>['commandRules']> = [
  { commandContains: 'cdw-report', after: 'AWSCodeDeployAgent', stdout: agentReport({ running: true }) },
  { commandContains: 'cdw-report', stdout: NOT_INSTALLED },
];
