import { isAwsCode } from '../aws/errors.js';
import { FINAL_STATUSES, type Deployment, type DeploymentTarget } from '../aws/ports/deployments.js';
import type { AwsPorts } from '../aws/ports/index.js';
import { wrap } from '../wrap.js';
import type { IoMessage } from '../io/host.js';

/**
 * Following a deployment: polls GetDeployment and its targets, and turns each snapshot into messages for the I/O
 * host, one live line per instance with a mark per lifecycle event. Plain functions from snapshots to text, so the
 * same lines show on a terminal (redrawn), in a pipe (a line per change) and as NDJSON. `fix --wait` and `deploy`
 * both watch through here (watch.ts adds the host: intro, legend, Ctrl-C).
 */

export interface Snapshot {
  deployment: Deployment;
  targets: DeploymentTarget[];
}

export function isFinal(status: string): boolean {
  return FINAL_STATUSES.includes(status);
}

/** A target that will not change any more. */
export function targetDone(target: DeploymentTarget): boolean {
  return isFinal(target.status) || target.status === 'Skipped';
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
/** What the marks mean, shown once with the order of the events they stand for. */
export const MARKS_LEGEND = '✓ succeeded  ✗ failed  … running  · pending  - skipped';

/**
 * One instance as a line: its id, a mark per lifecycle event, its status, the event it is at and, when that
 * failed, the error code. Within `width` columns the error code goes first, then the status word: the event's
 * name is never cut.
 */
export function targetLine(target: DeploymentTarget, width = Number.POSITIVE_INFINITY): string {
  const marks = target.lifecycleEvents.map((event) => MARK[event.status] ?? '?').join('');
  const current = target.lifecycleEvents.find((event) => event.status === 'Failed') ?? target.lifecycleEvents.find((event) => event.status === 'InProgress');
  const error = current?.status === 'Failed' && current.diagnostics?.errorCode ? ` ${current.diagnostics.errorCode}` : '';
  const event = current ? ` ${current.name}` : '';
  const candidates = [`${target.id} ${marks} ${target.status}${event}${error}`, `${target.id} ${marks} ${target.status}${event}`, `${target.id} ${marks}${event}`];
  return candidates.find((line) => line.length <= width) ?? (candidates.at(-1) as string);
}

/** The legend: which event each mark stands for (from the first target's events), and what the marks mean. */
export function legendText(eventNames: readonly string[], width = 80): string {
  const order = eventNames.length > 0 ? `${wrap(`One mark per lifecycle event, in order: ${eventNames.join(' ')}`, width, '')}\n` : '';
  return `${order}${MARKS_LEGEND}`;
}

/**
 * A snapshot as messages for the I/O host: the deployment's status and one live line per instance, each finished
 * when its status is final. The host redraws the live ones on a terminal and prints a line when one changes in a pipe.
 */
export function waitMessages(next: Snapshot, codePrefix = 'fix.wait', width?: number): IoMessage[] {
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
    messages.push({
      code: `${codePrefix}.target`,
      level: target.status === 'Failed' ? 'error' : target.status === 'Succeeded' ? 'success' : 'info',
      text: targetLine(target, width),
      data: { instance: target.id, status: target.status, events: target.lifecycleEvents.map((event) => ({ name: event.name, status: event.status })) },
      live: { key: target.id, ...(targetDone(target) ? { done: true } : {}) },
    });
  }
  return messages;
}

/** How often the target list is read again while the deployment runs (instances launched by Auto Scaling join). */
const RELIST_EVERY = 6;

/**
 * Reads snapshots of one deployment, spending as few calls as it can: the target ids are listed until there are
 * some (then again every RELIST_EVERY polls), and only the targets that can still change are read again.
 */
export class DeploymentReader {
  private ids: string[] = [];
  private readonly done = new Map<string, DeploymentTarget>();
  private polls = 0;

  constructor(
    private readonly ports: AwsPorts,
    readonly deploymentId: string,
  ) {}

  async next(): Promise<Snapshot> {
    const deployment = await this.ports.deployments.getDeployment(this.deploymentId);
    const final = isFinal(deployment.status);
    if (this.ids.length === 0 || final || this.polls % RELIST_EVERY === 0) this.ids = await this.listIds();
    this.polls += 1;
    const open = this.ids.filter((id) => !this.done.has(id));
    const read = open.length > 0 ? await this.ports.deployments.getTargets(this.deploymentId, open) : [];
    for (const target of read) if (targetDone(target)) this.done.set(target.id, target);
    const byId = new Map(read.map((target) => [target.id, target]));
    const targets = this.ids.flatMap((id) => this.done.get(id) ?? byId.get(id) ?? []);
    return { deployment, targets };
  }

  private async listIds(): Promise<string[]> {
    try {
      return await this.ports.deployments.listTargetIds(this.deploymentId);
    } catch (error) {
      // Created/Queued deployments have no targets yet.
      if (isAwsCode(error, 'DeploymentNotStartedException')) return [];
      throw error;
    }
  }
}

/** One snapshot, read afresh. */
export async function snapshot(ports: AwsPorts, deploymentId: string): Promise<Snapshot> {
  return new DeploymentReader(ports, deploymentId).next();
}

export interface FollowOptions {
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  onSnapshot: (previous: Snapshot | undefined, next: Snapshot) => void;
}

/** Polls until the deployment is Succeeded, Failed or Stopped; returns the last snapshot. */
export async function follow(ports: AwsPorts, deploymentId: string, options: FollowOptions): Promise<Snapshot> {
  const reader = new DeploymentReader(ports, deploymentId);
  let previous: Snapshot | undefined;
  for (;;) {
    const next = await reader.next();
    options.onSnapshot(previous, next);
    if (isFinal(next.deployment.status)) return next;
    previous = next;
    await options.sleep(options.pollMs);
  }
}
