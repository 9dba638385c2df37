/**
 * `cd-wizard setup` end to end when the connection to AWS is lost: the BUILT binary (run `npm run build` first;
 * `npm test` does) against the fake AWS in this process. Every step of the executor is interrupted, before and after
 * its call reaches AWS, in the unit tests (test/unit/codedeploy/execute.test.ts); here two calls of each kind (first,
 * middle or last) go through the real SDK, the real error messages and the answers file across two processes. Each test has its own fake (reset between iterations); the tests run concurrently.
 *
 * Lost connections come in two kinds. The fake's dropConnectionAfter loses the REQUEST (the operation never runs).
 * The lossy proxy loses the RESPONSE after the fake carried the operation out, so the CLI does not know its call
 * worked: the case where a tool that trusts its memory creates things twice.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { isMutatingAction, type CallRecord, type FakeAws } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { startLossyProxy } from './helpers/lossy-proxy.js';
import { describeRun, type CliRun } from './helpers/run-cli.js';
import { SETUP_FLAGS, pick, STACK_FRAME, callName, cleanupDirs, duplicatesIn, effectiveChanges, runSetupCli, setupView, startSeededFake, tempDir } from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

/** How the CLI names each service in "Cannot reach X at …". */
const SERVICE_LABEL: Record<string, string> = { sts: 'STS', iam: 'IAM', ec2: 'EC2', autoscaling: 'AutoScaling', codedeploy: 'CodeDeploy', s3: 'S3' };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether "service:Action" changes something. */
const isChange = (name: string) => isMutatingAction(name.split(':')[1] ?? '');

interface Baseline {
  /** "service:Action" of every call, in order. */
  calls: string[];
  view: ReturnType<typeof setupView>;
  changes: string[];
}

/** A fresh, uninterrupted setup: what every interrupted-then-repeated run must end up with. */
async function baseline(aws: FakeAws): Promise<Baseline> {
  const run = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: tempDir() });
  if (run.code !== 0) throw new Error(`the uninterrupted setup failed: ${describeRun(run)}`);
  return { calls: aws.calls.map(callName), view: setupView(aws.state), changes: effectiveChanges(aws.calls) };
}

/** The interrupted run: exit 1 naming the endpoint it lost, no stack trace. (A lost HeadBucket is advisory: exit 0 with a warning.) */
function expectClearNetworkFailure(expect: typeof import('vitest').expect, run: CliRun, lost: CallRecord, endpoint: string, context: string): void {
  expect(run.stderr, context).not.toMatch(STACK_FRAME);
  expect(run.stderr, context).not.toContain('unexpected error');
  const reach = `Cannot reach ${SERVICE_LABEL[lost.service]} at ${endpoint} (from AWS_ENDPOINT_URL): connection reset.`;
  if (lost.service === 's3') {
    expect(run.code, context).toBe(0);
    expect(run.stdout, context).toContain(`Could not check bucket my-revisions: ${reach}`);
    return;
  }
  expect(run.code, context).toBe(1);
  expect(run.stderr, context).toMatch(new RegExp(`^✗ ${escape(reach)}$`, 'm'));
  expect(run.stderr, context).toContain(`Is the server at ${endpoint} running? Check AWS_ENDPOINT_URL.`);
}

/**
 * The re-run after an interrupted one: exit 0, no duplicates, the same end state as an uninterrupted run, each
 * change made exactly once over the two runs, and none refused as a duplicate (EntityAlreadyExists …).
 */
function expectRecovered(expect: typeof import('vitest').expect, aws: FakeAws, again: CliRun, wanted: Baseline, what: string): void {
  const context = `${what}\n${describeRun(again)}`;
  expect(again.code, context).toBe(0);
  expect(duplicatesIn(aws.state), context).toEqual([]);
  expect(setupView(aws.state), context).toEqual(wanted.view);
  expect(effectiveChanges(aws.calls), context).toEqual(wanted.changes);
  expect(aws.mutatingCalls().filter((call) => call.status >= 400).map(callName), context).toEqual([]);
}


/** Loses the request of call n (the fake's dropConnectionAfter), then re-runs without the fault, for each n. */
async function requestLostLoop(expect: typeof import('vitest').expect, aws: FakeAws, indices: readonly number[], wanted: Baseline): Promise<string[]> {
  const dropped: string[] = [];
  for (const n of indices) {
    aws.reset();
    aws.setFaults({ dropConnectionAfter: n });
    const dir = tempDir();
    // One attempt per call: the SDK would otherwise retry the lost call into success.
    const broken = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir, env: { AWS_MAX_ATTEMPTS: '1' } });
    const context = `dropped the request after ${n} calls\n${describeRun(broken)}`;
    const lost = aws.calls.find((call) => call.dropped);
    if (lost === undefined) throw new Error(`no call was dropped: ${context}`);
    dropped.push(callName(lost));
    expectClearNetworkFailure(expect, broken, lost, aws.url, context);
    // The answers are written once the plan is accepted: after a lost read there is no file (unless the read was
    // the advisory bucket check and the run went on), after a lost change there is one with what was done.
    const saved = existsSync(join(dir, 'cd-wizard.json'));
    expect(saved, context).toBe(isChange(callName(lost)) || broken.code === 0);

    const again = await runSetupCli(aws, saved ? ['setup', '--yes'] : [...SETUP_FLAGS, '--yes'], { cwd: dir });
    expectRecovered(expect, aws, again, wanted, `re-run after dropping call ${n} (${callName(lost)})`);
  }
  return dropped;
}

/** A fake with the lossy proxy in front, the baseline, and the positions of the changes in a fresh run. */
async function behindLossyProxy(onTestFinished: (fn: () => Promise<void>) => void) {
  const aws = await startSeededFake(onTestFinished);
  const proxy = await startLossyProxy(aws.url);
  onTestFinished(() => proxy.close());
  const wanted = await baseline(aws);
  return { aws, proxy, wanted, changes: wanted.calls.flatMap((name, index) => (isChange(name) ? [index] : [])) };
}

describe.concurrent('setup interrupted by a lost connection', () => {
  it('request lost at a read of a fresh setup: a clear failure, then a re-run completes with no duplicates', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const wanted = await baseline(aws);
    const reads = wanted.calls.flatMap((name, index) => (isChange(name) ? [] : [index]));
    const dropped = await requestLostLoop(expect, aws, pick(reads, ['first', 'last']), wanted);
    // The reads run concurrently, so which one is n-th varies; every one lost is a read.
    expect(dropped.filter(isChange)).toEqual([]);
  });

  it('request lost at a change of a fresh setup: a clear failure, then a re-run completes with no duplicates', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished);
    const wanted = await baseline(aws);
    const changes = wanted.calls.flatMap((name, index) => (isChange(name) ? [index] : []));
    expect(changes.length).toBe(11);
    const dropped = await requestLostLoop(expect, aws, pick(changes, ['first', 'last']), wanted);
    expect(dropped.every(isChange)).toBe(true);
  });

  it('response lost after a change was made: a clear failure, then a re-run completes with no duplicates', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const { aws, proxy, wanted, changes } = await behindLossyProxy(onTestFinished);
    expect(changes.length).toBe(11);

    for (const n of pick(changes, ['middle', 'last'])) {
      aws.reset();
      proxy.loseResponseAfter(n);
      const dir = tempDir();
      const broken = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir, env: { AWS_MAX_ATTEMPTS: '1', AWS_ENDPOINT_URL: proxy.url } });
      const lost = aws.calls[n];
      const context = `lost the response of call ${n} (${lost ? callName(lost) : '?'})\n${describeRun(broken)}`;
      if (lost === undefined || !proxy.lost) throw new Error(`no response was lost: ${context}`);
      // The fake did the work; the CLI never heard.
      expect(lost.status, context).toBe(200);
      // Steps of one level run at once, so which change is n-th varies from run to run; it is a change.
      expect(isChange(callName(lost)), context).toBe(true);
      expectClearNetworkFailure(expect, broken, lost, proxy.url, context);

      const again = await runSetupCli(aws, ['setup', '--yes'], { cwd: dir, env: { AWS_ENDPOINT_URL: proxy.url } });
      expectRecovered(expect, aws, again, wanted, `re-run after losing the response of ${callName(lost)}`);
    }
  });

  it('response lost after a change, with the SDK retrying: the run itself completes with no duplicates', { timeout: 90_000 }, async ({ expect, onTestFinished }) => {
    const { aws, proxy, wanted, changes } = await behindLossyProxy(onTestFinished);

    for (const n of pick(changes, ['first', 'middle'])) {
      aws.reset();
      proxy.loseResponseAfter(n);
      const dir = tempDir();
      // Default attempts: the SDK sends the call again, and AWS says it exists / is associated already.
      const run = await runSetupCli(aws, [...SETUP_FLAGS, '--yes'], { cwd: dir, env: { AWS_ENDPOINT_URL: proxy.url } });
      const context = `lost the response of call ${n} (${aws.calls[n] ? callName(aws.calls[n]) : '?'})\n${describeRun(run)}`;
      expect(proxy.lost, context).toBe(true);
      expect(run.code, context).toBe(0);
      expect(run.stdout, context).toContain('Setup is done.');
      expect(duplicatesIn(aws.state), context).toEqual([]);
      expect(setupView(aws.state), context).toEqual(wanted.view);
    }
  });
});
