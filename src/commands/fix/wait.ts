import { isAwsCode } from '../../aws/errors.js';
import { FINAL_STATUSES, type Deployment, type DeploymentTarget } from '../../aws/ports/deployments.js';
import type { AwsPorts } from '../../aws/ports/index.js';
import type { Style } from '../../io/terminal.js';

/**
 * `fix --wait`: follows a deployment until it ends, polling GetDeployment and its targets, and reports progress
 * per instance and lifecycle event. The progress text is computed by plain functions from two snapshots, so it
 * is the same on a terminal (redrawn block) and in a pipe (one line per change).
 */

export interface Snapshot {
  deployment: Deployment;
  targets: DeploymentTarget[];
}

export async function snapshot(ports: AwsPorts, deploymentId: string): Promise<Snapshot> {
  const deployment = await ports.deployments.getDeployment(deploymentId);
  let ids: string[] = [];
  try {
    ids = await ports.deployments.listTargetIds(deploymentId);
  } catch (error) {
    // Created/Queued deployments have no targets yet.
    if (!isAwsCode(error, 'DeploymentNotStartedException')) throw error;
  }
  const targets = ids.length > 0 ? await ports.deployments.getTargets(deploymentId, ids) : [];
  return { deployment, targets };
}

export function isFinal(status: string): boolean {
  return FINAL_STATUSES.includes(status);
}

/** One line per change since `previous` (all of it for the first snapshot): the deployment's status, then each instance's events. */
export function progressLines(previous: Snapshot | undefined, next: Snapshot): string[] {
  const lines: string[] = [];
  const d = next.deployment;
  if (!previous || previous.deployment.status !== d.status) lines.push(`${d.id} ${d.status}${overviewText(d) ? ` (${overviewText(d)})` : ''}`);
  for (const target of next.targets) {
    const before = previous?.targets.find((t) => t.id === target.id);
    for (const event of target.lifecycleEvents) {
      const was = before?.lifecycleEvents.find((e) => e.name === event.name)?.status;
      if (event.status === 'Pending' || event.status === was) continue;
      const error = event.status === 'Failed' && event.diagnostics?.errorCode ? ` ${event.diagnostics.errorCode}` : '';
      lines.push(`  ${target.id} ${event.name} ${event.status}${error}`);
    }
    if (before?.status !== target.status && (isFinal(target.status) || target.status === 'Skipped')) lines.push(`  ${target.id} ${target.status}`);
  }
  return lines;
}

export function overviewText(deployment: Deployment): string {
  const o = deployment.overview;
  const parts = [
    o.Succeeded ? `${o.Succeeded} succeeded` : '',
    o.Failed ? `${o.Failed} failed` : '',
    o.InProgress ? `${o.InProgress} in progress` : '',
    o.Pending ? `${o.Pending} pending` : '',
    o.Skipped ? `${o.Skipped} skipped` : '',
  ].filter((part) => part !== '');
  return parts.join(', ');
}

const MARK: Record<string, string> = { Succeeded: '✓', Failed: '✗', InProgress: '…', Skipped: '-', Pending: '·', Unknown: '?' };

/** The terminal's live block: one line per instance, one mark per lifecycle event, the current event named. */
export function progressBlock(next: Snapshot, style: Style, width: number): string[] {
  const d = next.deployment;
  const lines = [`${style.bold(d.id)} ${d.status}${overviewText(d) ? style.dim(` · ${overviewText(d)}`) : ''}`];
  for (const target of next.targets.slice(0, 20)) {
    const marks = target.lifecycleEvents
      .map((event) => {
        const mark = MARK[event.status] ?? '?';
        return event.status === 'Failed' ? style.red(mark) : event.status === 'Succeeded' ? style.green(mark) : mark;
      })
      .join('');
    const current = target.lifecycleEvents.find((event) => event.status === 'InProgress' || event.status === 'Failed');
    const line = `  ${target.id} ${marks} ${target.status}${current ? ` ${current.name}` : ''}`;
    lines.push(line.length > width ? line.slice(0, width - 1) : line);
  }
  if (next.targets.length > 20) lines.push(style.dim(`  … and ${next.targets.length - 20} more instances`));
  return lines;
}

export interface FollowOptions {
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  onSnapshot: (previous: Snapshot | undefined, next: Snapshot) => void;
}

/** Polls until the deployment is Succeeded, Failed or Stopped; returns the last snapshot. */
export async function follow(ports: AwsPorts, deploymentId: string, options: FollowOptions): Promise<Snapshot> {
  let previous: Snapshot | undefined;
  for (;;) {
    const next = await snapshot(ports, deploymentId);
    options.onSnapshot(previous, next);
    if (isFinal(next.deployment.status)) return next;
    previous = next;
    await options.sleep(options.pollMs);
  }
}
