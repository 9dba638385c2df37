/** What the CodeDeploy modules share: the exception helper, name checks, lookups and the predefined configs. */
import { AwsError } from '../errors.js';
import type { Params } from '../params.js';
import type { ApplicationRecord, DeploymentConfigRecord, DeploymentGroupRecord, FakeState } from '../state.js';

/** CodeDeploy's exceptions are all 400s named `…Exception`. */
export function cdError(code: string, message: string): AwsError {
  return new AwsError(code, message, 400);
}

const NAME = /^[A-Za-z0-9._+=,@-]{1,100}$/;

/** Reads an application name: missing → ApplicationNameRequiredException, malformed → InvalidApplicationNameException. */
export function readApplicationName(params: Params, field = 'applicationName'): string {
  const name = params.optStr(field);
  if (name === undefined || name === '') throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
  if (!NAME.test(name)) throw cdError('InvalidApplicationNameException', 'The application name was specified in an invalid format.');
  return name;
}

export function readGroupName(params: Params, field = 'deploymentGroupName'): string {
  const name = params.optStr(field);
  if (name === undefined || name === '') throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  if (!NAME.test(name)) throw cdError('InvalidDeploymentGroupNameException', 'The deployment group name was specified in an invalid format.');
  return name;
}

export function findApplication(state: FakeState, name: string): ApplicationRecord {
  const application = state.codedeploy.applications[name];
  if (application === undefined) throw cdError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return application;
}

export function groupKey(application: string, group: string): string {
  return `${application}/${group}`;
}

export function findGroup(state: FakeState, application: string, group: string): DeploymentGroupRecord {
  findApplication(state, application);
  const record = state.codedeploy.deploymentGroups[groupKey(application, group)];
  if (record === undefined) throw cdError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${group}`);
  return record;
}

// The built-in configurations every account has. Their IDs and dates are fixed, as they are on AWS.
const PREDEFINED_CREATED = Date.UTC(2014, 10, 12);
function predefined(name: string, computePlatform: string, id: string, minimumHealthyHosts?: { type: string; value: number }): DeploymentConfigRecord {
  const config: DeploymentConfigRecord = { name: `CodeDeployDefault.${name}`, id, createdAt: PREDEFINED_CREATED, computePlatform };
  if (minimumHealthyHosts !== undefined) config.minimumHealthyHosts = minimumHealthyHosts;
  return config;
}

export const PREDEFINED_CONFIGS: readonly DeploymentConfigRecord[] = [
  predefined('OneAtATime', 'Server', '0b3f4a2c-0000-4000-a000-000000000001', { type: 'FLEET_PERCENT', value: 99 }),
  predefined('HalfAtATime', 'Server', '0b3f4a2c-0000-4000-a000-000000000002', { type: 'FLEET_PERCENT', value: 50 }),
  predefined('AllAtOnce', 'Server', '0b3f4a2c-0000-4000-a000-000000000003', { type: 'HOST_COUNT', value: 0 }),
  predefined('LambdaAllAtOnce', 'Lambda', '0b3f4a2c-0000-4000-a000-000000000011'),
  predefined('LambdaCanary10Percent5Minutes', 'Lambda', '0b3f4a2c-0000-4000-a000-000000000012'),
  predefined('LambdaLinear10PercentEvery1Minute', 'Lambda', '0b3f4a2c-0000-4000-a000-000000000013'),
  predefined('ECSAllAtOnce', 'ECS', '0b3f4a2c-0000-4000-a000-000000000021'),
  predefined('ECSCanary10Percent5Minutes', 'ECS', '0b3f4a2c-0000-4000-a000-000000000022'),
  predefined('ECSLinear10PercentEvery1Minutes', 'ECS', '0b3f4a2c-0000-4000-a000-000000000023'),
];

export function findDeploymentConfig(state: FakeState, name: string): DeploymentConfigRecord {
  const config = PREDEFINED_CONFIGS.find((c) => c.name === name) ?? state.codedeploy.deploymentConfigs[name];
  if (config === undefined) throw cdError('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
  return config;
}

/** Checks a deployment config exists and suits the application's compute platform. */
export function readDeploymentConfigName(params: Params, state: FakeState, application: ApplicationRecord, fallback: string | undefined): string | undefined {
  const name = params.optStr('deploymentConfigName') ?? fallback;
  if (name === undefined) return undefined;
  if (name.length > 100) throw cdError('InvalidDeploymentConfigNameException', 'The deployment configuration name was specified in an invalid format.');
  const config = findDeploymentConfig(state, name);
  if (config.computePlatform !== application.computePlatform) {
    throw cdError('InvalidDeploymentConfigNameException', `The deployment configuration ${name} is for the ${config.computePlatform} compute platform, not ${application.computePlatform}.`);
  }
  return name;
}
