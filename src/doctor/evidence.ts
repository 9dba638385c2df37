import { accountOfArn, nameOfArn } from '../aws/arn.js';
import { isAwsCode } from '../aws/errors.js';
import type { AwsPorts, Deployment, DeploymentTarget } from '../aws/ports/index.js';
import type { Facts } from '../codedeploy/checks.js';
import { targetInstances } from '../codedeploy/resources/instance-checks.js';
import type { PlaceholderValues } from './placeholders.js';

/** What `fix` reads about a deployment beyond the setup checks: its failed targets, and the names its fix steps need. */

export async function failedTargetIds(ports: AwsPorts, deploymentId: string | undefined): Promise<string[]> {
  if (!deploymentId) return [];
  try {
    return await ports.deployments.listTargetIds(deploymentId, 'Failed');
  } catch (error) {
    if (isAwsCode(error, 'DeploymentNotStartedException')) return [];
    throw error;
  }
}

/** The failed targets; when none failed but the deployment did (all Skipped, say), the ones that did not succeed. */
export async function evidenceTargets(ports: AwsPorts, deployment: Deployment | undefined, failedIds: readonly string[]): Promise<DeploymentTarget[]> {
  if (!deployment) return [];
  if (failedIds.length > 0) return ports.deployments.getTargets(deployment.id, failedIds);
  if (deployment.status !== 'Failed' && deployment.status !== 'Stopped') return [];
  let all: string[] = [];
  try {
    all = await ports.deployments.listTargetIds(deployment.id);
  } catch (error) {
    if (!isAwsCode(error, 'DeploymentNotStartedException')) throw error;
  }
  const targets = all.length > 0 ? await ports.deployments.getTargets(deployment.id, all.slice(0, 100)) : [];
  return targets.filter((target) => target.status !== 'Succeeded');
}

export function placeholders(region: string, report: { application: string; group: string; deployment?: Deployment }, groupRoleArn: string, extra: PlaceholderValues): PlaceholderValues {
  const revision = report.deployment?.revision;
  const s3 = revision && 's3' in revision ? revision.s3 : undefined;
  const account = accountOfArn(groupRoleArn);
  return {
    '<region>': region,
    '<application>': report.application,
    '<deployment-group>': report.group,
    ...(report.deployment ? { '<deployment-id>': report.deployment.id } : {}),
    ...(s3 ? { '<bucket>': s3.bucket, '<key>': s3.key } : {}),
    ...(groupRoleArn ? { '<service-role>': nameOfArn(groupRoleArn) } : {}),
    ...(account ? { '<account-id>': account } : {}),
    ...extra,
  };
}

/** Instance profile and role names for the fix steps, from what the checks read (nothing if those reads failed). */
export async function instanceNames(facts: Facts, knownProfile: string | undefined): Promise<PlaceholderValues> {
  try {
    const set = await facts.instances();
    const profiles = await facts.profiles();
    const profileName = targetInstances(set).map((instance) => (instance.profileArn ? nameOfArn(instance.profileArn) : '')).find((name) => name !== '') ?? knownProfile;
    const role = profileName ? profiles.get(profileName)?.roles[0]?.name : undefined;
    return { ...(profileName ? { '<instance-profile>': profileName } : {}), ...(role ? { '<instance-role>': role } : {}) };
  } catch {
    return knownProfile ? { '<instance-profile>': knownProfile } : {};
  }
}
