import type { Deployment } from '../aws/ports/index.js';
import type { CauseId } from '../kb/types.js';
import { describeOperation, step } from './steps.js';
import type { CheckResult, Remedy } from './verdict.js';

/**
 * Remedies on offer after a diagnosis: those the checks' problems carry (setup's own steps), and those that follow
 * from a cause no check owns: a new deployment of the same revision with the option that gets past it.
 */

const REDEPLOY_FOR: ReadonlyArray<{ cause: CauseId; option: 'ignoreApplicationStopFailures' | 'fileExistsBehavior'; applies: (deployment: Deployment) => boolean }> = [
  { cause: 'application-stop-failing', option: 'ignoreApplicationStopFailures', applies: (deployment) => !deployment.ignoreApplicationStopFailures },
  { cause: 'file-already-exists', option: 'fileExistsBehavior', applies: (deployment) => deployment.fileExistsBehavior !== 'OVERWRITE' },
];

/** Redeploys for the causes found, when the deployment is an S3 revision and did not already use the option. */
export function findingRemedies(causes: ReadonlySet<CauseId>, deployment: Deployment | undefined): Remedy[] {
  if (!deployment || deployment.revision?.type !== 'S3' || !('s3' in deployment.revision)) return [];
  const revision = deployment.revision.s3;
  const remedies: Remedy[] = [];
  for (const how of REDEPLOY_FOR) {
    const cause = how.cause;
    if (!causes.has(cause) || !how.applies(deployment)) continue;
    const op = {
      type: 'redeploy' as const,
      application: deployment.application,
      group: deployment.group,
      failedDeploymentId: deployment.id,
      revision,
      reason: cause,
      ...(how.option === 'ignoreApplicationStopFailures' ? { ignoreApplicationStopFailures: true } : { fileExistsBehavior: 'OVERWRITE' as const }),
    };
    const option = how.option === 'ignoreApplicationStopFailures' ? 'ignoreApplicationStopFailures=true' : 'fileExistsBehavior=OVERWRITE';
    remedies.push({
      title: `Deploy s3://${revision.bucket}/${revision.key} again with ${option}`,
      steps: [
        step({
          id: `redeploy:${cause}`,
          kind: 'deploy',
          resource: 'deployment',
          summary: `Deploy s3://${revision.bucket}/${revision.key} again with ${option}`,
          title: `Starting a deployment of s3://${revision.bucket}/${revision.key}`,
          doneTitle: `Started a deployment of s3://${revision.bucket}/${revision.key}`,
          calls: ['codedeploy:CreateDeployment'],
          op,
        }),
      ],
      recheck: [],
    });
  }
  return remedies;
}

/** What a remedy changes, one line per change, shown before it is confirmed. */
export function remedyChanges(remedy: Remedy): string[] {
  return remedy.steps.flatMap((one) => describeOperation(one.op));
}

/** Every remedy on offer: from the checks' problems, then from the causes found; the same change offered once. */
export function collectRemedies(checks: readonly CheckResult[], causes: ReadonlySet<CauseId>, deployment: Deployment | undefined): Remedy[] {
  const remedies: Remedy[] = [];
  for (const remedy of [...checks.flatMap((check) => (check.status === 'problem' ? check.remedies : [])), ...findingRemedies(causes, deployment)]) {
    // Per-instance agent checks each offer a restart: one remedy restarts the agent everywhere it is down.
    const restart = remedy.steps[0]?.op.type === 'restart-agent' ? remedies.find((other) => other.steps[0]?.op.type === 'restart-agent') : undefined;
    const first = restart?.steps[0];
    const added = remedy.steps[0];
    if (restart && first && added && first.op.type === 'restart-agent' && added.op.type === 'restart-agent') {
      const ids = [...new Set([...first.op.instanceIds, ...added.op.instanceIds])];
      restart.title = `Restart the CodeDeploy agent on ${ids.join(', ')} (SSM)`;
      restart.steps = [{ ...first, instances: ids, op: { type: 'restart-agent', instanceIds: ids } }];
      continue;
    }
    if (!remedies.some((other) => JSON.stringify(remedyChanges(other)) === JSON.stringify(remedyChanges(remedy)))) remedies.push({ ...remedy, steps: [...remedy.steps] });
  }
  return remedies;
}
