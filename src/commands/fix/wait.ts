import { isAwsCode } from '../../aws/errors.js';
import { FINAL_STATUSES, type Deployment, type DeploymentTarget } from '../../aws/ports/deployments.js';
import type { AwsPorts } from '../../aws/ports/index.js';
import type { IoMessage } from '../../io/host.js';

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
/** Shown once under the lines, so the marks read on their own. */
export const MARKS_LEGEND = '✓ succeeded  ✗ failed  … running  · pending  - skipped';

/** One instance as a line: its id, a mark per lifecycle event, its status and the event it is at (never cut). */
export function targetLine(target: Snapshot['targets'][number]): string {
  const marks = target.lifecycleEvents.map((event) => MARK[event.status] ?? '?').join('');
  const current = target.lifecycleEvents.find((event) => event.status === 'Failed') ?? target.lifecycleEvents.find((event) => event.status === 'InProgress');
  const error = current?.status === 'Failed' && current.diagnostics?.errorCode ? ` ${current.diagnostics.errorCode}` : '';
  return `${target.id} ${marks} ${target.status}${current ? ` ${current.name}${error}` : ''}`;
}

/**
 * A snapshot as messages for the I/O host: the deployment's status and one live line per instance, each finished
 * when its status is final. The host redraws the live ones on a terminal and prints a line when one changes in a pipe.
 */
export function waitMessages(next: Snapshot, codePrefix = 'fix.wait'): IoMessage[] {
  const d = next.deployment;
  const final = isFinal(d.status);
  const messages: IoMessage[] = [
    {
      code: `${codePrefix}.deployment`,
      level: d.status === 'Failed' || d.status === 'Stopped' ? 'error' : d.status === 'Succeeded' ? 'success' : 'info',
      text: `${d.id} ${d.status}${overviewText(d) ? ` (${overviewText(d)})` : ''}`,
      data: { deployment: d.id, status: d.status, overview: d.overview },
      live: { key: d.id, ...(final ? { done: true } : {}) },
    },
  ];
  for (const target of next.targets) {
    const done = isFinal(target.status) || target.status === 'Skipped';
    messages.push({
      code: `${codePrefix}.target`,
      level: target.status === 'Failed' ? 'error' : target.status === 'Succeeded' ? 'success' : 'info',
      text: targetLine(target),
      data: { instance: target.id, status: target.status, events: target.lifecycleEvents.map((event) => ({ name: event.name, status: event.status })) },
      live: { key: target.id, ...(done ? { done: true } : {}) },
    });
  }
  return messages;
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
