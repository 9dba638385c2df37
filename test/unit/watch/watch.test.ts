import { describe, expect, it } from 'vitest';
import type { AwsPorts, Deployment, DeploymentTarget } from '../../../src/aws/ports/index.js';
import { legendText, targetLine } from '../../../src/watch/deployment.js';
import { watchDeployment } from '../../../src/watch/watch.js';
import { settle, testHost } from '../io/helpers.js';

const EVENTS = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'];
const TRAFFIC = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic', ...EVENTS, 'BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'];

/** A target `done` events in, the next one in `current` status (the rest Pending or, after a failure, Skipped). */
function target(id: string, names: readonly string[], done: number, current: 'InProgress' | 'Failed' | 'Succeeded', errorCode?: string): DeploymentTarget {
  const status = current === 'Failed' ? 'Failed' : current === 'Succeeded' ? 'Succeeded' : 'InProgress';
  return {
    id,
    status,
    lifecycleEvents: names.map((name, index) => ({
      name,
      status: index < done || current === 'Succeeded' ? 'Succeeded' : index === done ? current : current === 'Failed' ? 'Skipped' : 'Pending',
      ...(index === done && errorCode ? { diagnostics: { errorCode } } : {}),
    })),
  };
}

function deployment(status: string, overview: Partial<Deployment['overview']> = {}): Deployment {
  return { id: 'd-ABCDEFGHI', application: 'shop', group: 'prod', status, config: 'CodeDeployDefault.AllAtOnce', overview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0, ...overview }, statusMessages: [], ignoreApplicationStopFailures: false };
}

describe('an instance line', () => {
  it('fits the width by dropping the error code, then the status word; the event name is never cut', () => {
    const failed = target('i-0aaaaaaaaaaaaaaa1', TRAFFIC, 12, 'Failed', 'ScriptTimedOut');
    expect(targetLine(failed)).toBe('i-0aaaaaaaaaaaaaaa1 ✓✓✓✓✓✓✓✓✓✓✓✓✗ Failed AfterAllowTraffic ScriptTimedOut');
    expect(targetLine(failed, 72)).toBe('i-0aaaaaaaaaaaaaaa1 ✓✓✓✓✓✓✓✓✓✓✓✓✗ Failed AfterAllowTraffic');
    expect(targetLine(failed, 52)).toBe('i-0aaaaaaaaaaaaaaa1 ✓✓✓✓✓✓✓✓✓✓✓✓✗ AfterAllowTraffic');
    expect(targetLine(failed, 10)).toContain('AfterAllowTraffic');
    expect(targetLine(failed, 72).length).toBeLessThanOrEqual(72);
  });

  it('the legend names the events in order, wrapped whole to the width', () => {
    const lines = legendText(TRAFFIC, 60).split('\n');
    expect(lines.every((line) => line.length <= 60)).toBe(true);
    expect(lines.join(' ')).toContain(TRAFFIC.join(' '));
    expect(lines.at(-1)).toBe('✓ succeeded  ✗ failed  … running  · pending  - skipped');
  });
});

/** Deployments that answer a script of snapshots, counting the calls. */
function scriptedPorts(snapshots: Array<{ deployment: Deployment; targets: DeploymentTarget[] }>) {
  const calls: string[] = [];
  let poll = -1;
  const ports = {
    deployments: {
      async getDeployment() {
        poll = Math.min(poll + 1, snapshots.length - 1);
        calls.push('GetDeployment');
        return snapshots[poll]?.deployment;
      },
      async listTargetIds() {
        calls.push('ListDeploymentTargets');
        return (snapshots[poll]?.targets ?? []).map((t) => t.id);
      },
      async getTargets(_id: string, ids: readonly string[]) {
        calls.push(`BatchGetDeploymentTargets:${ids.join(',')}`);
        return (snapshots[poll]?.targets ?? []).filter((t) => ids.includes(t.id));
      },
    },
  } as unknown as AwsPorts;
  return { ports, calls };
}

describe('the watcher', () => {
  const snapshots = [
    { deployment: deployment('InProgress', { InProgress: 2 }), targets: [target('i-1', EVENTS, 1, 'InProgress'), target('i-2', EVENTS, 0, 'InProgress')] },
    { deployment: deployment('InProgress', { InProgress: 1, Failed: 1 }), targets: [target('i-1', EVENTS, 3, 'InProgress'), target('i-2', EVENTS, 4, 'Failed', 'ScriptFailed')] },
    { deployment: deployment('InProgress', { InProgress: 1, Failed: 1 }), targets: [target('i-1', EVENTS, 5, 'InProgress'), target('i-2', EVENTS, 4, 'Failed', 'ScriptFailed')] },
    { deployment: deployment('Failed', { Succeeded: 1, Failed: 1 }), targets: [target('i-1', EVENTS, 7, 'Succeeded'), target('i-2', EVENTS, 4, 'Failed', 'ScriptFailed')] },
  ];
  const options = { codePrefix: 'deploy.watch', intro: 'Watching d-ABCDEFGHI.', resume: 'cd-wizard fix --wait --deployment d-ABCDEFGHI', pollMs: 1, sleep: async () => undefined };

  it('a line per change, the legend once, each end once; finished targets are not read again', async () => {
    const { host, stderr } = testHost();
    const { ports, calls } = scriptedPorts(snapshots);
    const last = await watchDeployment(host, ports, 'd-ABCDEFGHI', options);
    expect(last.deployment.status).toBe('Failed');
    expect(stderr.lines()).toEqual([
      'Watching d-ABCDEFGHI.',
      'One mark per lifecycle event, in order: ApplicationStop DownloadBundle BeforeInstall Install',
      'AfterInstall ApplicationStart ValidateService',
      '✓ succeeded  ✗ failed  … running  · pending  - skipped',
      'd-ABCDEFGHI InProgress (2 in progress)',
      'i-1 ✓…····· InProgress DownloadBundle',
      'i-2 …······ InProgress ApplicationStop',
      'd-ABCDEFGHI InProgress (1 failed, 1 in progress)',
      'i-1 ✓✓✓…··· InProgress Install',
      '✗ i-2 ✓✓✓✓✗-- Failed AfterInstall ScriptFailed',
      'i-1 ✓✓✓✓✓…· InProgress ApplicationStart',
      '✗ d-ABCDEFGHI Failed (1 succeeded, 1 failed)',
      '✓ i-1 ✓✓✓✓✓✓✓ Succeeded',
    ]);
    // i-2 ended on the second poll: later polls read only i-1; the list is read at the start and at the end.
    expect(calls).toEqual([
      'GetDeployment', 'ListDeploymentTargets', 'BatchGetDeploymentTargets:i-1,i-2',
      'GetDeployment', 'BatchGetDeploymentTargets:i-1,i-2',
      'GetDeployment', 'BatchGetDeploymentTargets:i-1',
      'GetDeployment', 'ListDeploymentTargets', 'BatchGetDeploymentTargets:i-1',
    ]);
  });

  it('Ctrl-C stops watching only: the deployment goes on, and how to watch it again', async () => {
    const { host, stderr, runtime } = testHost();
    const { ports } = scriptedPorts(snapshots);
    let polls = 0;
    const watching = watchDeployment(host, ports, 'd-ABCDEFGHI', {
      ...options,
      sleep: () => {
        polls += 1;
        if (polls < 2) return Promise.resolve();
        runtime.sigint();
        return new Promise<void>(() => undefined);
      },
    });
    void watching;
    for (let i = 0; i < 200 && runtime.exits.length === 0; i += 1) await settle();
    expect(polls).toBe(2);
    expect(runtime.exits).toEqual([130]);
    expect(stderr.text()).toContain('✗ Interrupted.\n  Still running in AWS: deployment d-ABCDEFGHI goes on\n  To resume: cd-wizard fix --wait --deployment d-ABCDEFGHI');
  });
});
