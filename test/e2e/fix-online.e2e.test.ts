/**
 * `cd-wizard fix` against AWS, end to end: the BUILT binary (run `npm run build` first; `npm test` does) in a pipe,
 * against the loopback fake seeded with one failure scenario each (test/fake-aws/scenarios.ts). Each case checks
 * what a user or a CI script sees: the cause named first in --json, exactly the setup checks that fail, and that
 * without --yes nothing in the account was changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILED_DEPLOYMENT, INSTANCES, scenario } from '../fake-aws/scenarios.js';
import { requireBuild } from './built.js';
import { describeRun } from './helpers/run-cli.js';
import { parseJson, startWorld, type FixWorld } from './helpers/fix-world.js';

beforeAll(requireBuild);

/** Scenario → the checks that must come out as problems (and no others). */
const FAILING_CHECKS: Record<string, string[]> = {
  'agent-missing-credentials': ['instance-profiles'],
  's3-key-not-found': ['revision-exists'],
  's3-access-denied': ['revision-readable'],
  'appspec-not-found': [],
  'script-failed': [],
  'script-timed-out': [],
  'application-stop-failing': [],
  'file-already-exists': [],
  'health-constraints': [],
  'no-instances': ['instances-match'],
  'service-role-missing': ['service-role'],
  'service-role-trust': ['service-role-trust'],
  'service-role-permissions': ['service-role-policy'],
  'concurrent-deployments': ['asg-hook'],
};

describe.concurrent('fix --json names the cause first and fails exactly the right checks', () => {
  for (const [name, failing] of Object.entries(FAILING_CHECKS)) {
    const expected = scenario(name);
    it(`${name} → ${expected.cause}`, async ({ expect, onTestFinished }) => {
      const world = await startWorld({ scenario: name });
      onTestFinished(() => world.close());
      const run = await world.run(['--json']);
      expect(run.code, describeRun(run)).toBe(0);
      const json = parseJson(run);
      expect(json.findings[0]?.cause, describeRun(run)).toBe(expected.cause);
      expect(json.recognised).toBe(true);
      expect(json.deployment).toMatchObject({ id: FAILED_DEPLOYMENT, status: 'Failed' });
      expect(json.checks.filter((check) => check.status === 'problem').map((check) => check.id).sort()).toEqual([...failing].sort());
      // The fix steps carry the real names, not placeholders, where cd-wizard knows them.
      const commands = json.findings[0]?.fix.flatMap((step) => (step.command ? [step.command] : [])).join('\n') ?? '';
      expect(commands).not.toMatch(/<(region|application|deployment-group|deployment-id|bucket|key)>/);
      // --json without --yes changes nothing, whatever remedies are on offer.
      expect(world.aws.mutatingCalls().map((call) => `${call.service}:${call.action}`)).toEqual([]);
      expect(json.remedies.every((remedy) => remedy.status === 'offered')).toBe(true);
      // Nothing was read twice: the failed targets in one parallel round of batch calls.
      expect(world.aws.callsTo('codedeploy', 'BatchGetDeploymentTargets').length).toBeLessThanOrEqual(1);
    });
  }

  it('agent-not-running → agent-not-running, from the agent report read over SSM (--yes allows the command)', async ({ expect, onTestFinished }) => {
    const world = await startWorld({ scenario: 'agent-not-running' });
    onTestFinished(() => world.close());
    const run = await world.run(['--json', '--yes']);
    expect(run.code, describeRun(run)).toBe(0);
    const json = parseJson(run);
    expect(json.findings[0]?.cause).toBe('agent-not-running');
    expect(json.findings[0]?.confirmedBy).toContain('agent');
    expect(json.ssm.status).toBe('ran');
    expect(json.checks.filter((check) => check.status === 'problem').map((check) => `${check.id} ${check.instance ?? ''}`)).toEqual(INSTANCES.map((id) => `agent ${id}`));
    const sent = world.aws.callsTo('ssm', 'SendCommand').map((call) => (call.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n'));
    expect(sent[0]).toContain('cdw-report:installed');
    expect(sent[1]).toContain('systemctl restart codedeploy-agent');
  });
});

describe('fix against AWS, as a person reads it', () => {
  let world: FixWorld;
  afterAll(() => world?.close());

  it('health-constraints: per-instance causes first, the roll-up last and pointing at them', async () => {
    world = await startWorld({ scenario: 'health-constraints' });
    const run = await world.run([]);
    expect(run.code, describeRun(run)).toBe(0);
    const out = run.stdout;
    const order = ['[script-timed-out]', '[script-failed]', '[health-constraints]'].map((id) => out.indexOf(id));
    expect(order.every((at) => at >= 0), out).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out.replace(/\s+/g, ' ')).toContain('the causes above (script-timed-out (1 instance), script-failed (1 instance)) are the ones to fix');
    expect(out).toContain(`    ${INSTANCES[0]} ApplicationStart (ScriptTimedOut, scripts/start_server.sh)\n      message │ Script at specified location: scripts/start_server.sh failed to complete in 300 seconds`);
    expect(out).toContain('cd-wizard guide --show script-timed-out');
    // The roll-up's commands name the deployment and the failed instances (as a shell reads the ` \` continuations).
    expect(out.replace(/ \\\n\s+/g, ' ')).toContain(`aws deploy batch-get-deployment-targets --deployment-id ${FAILED_DEPLOYMENT} --target-ids ${INSTANCES[0]} ${INSTANCES[1]}`);
    // Passing checks are summed up, listed only with --all.
    expect(out).toMatch(/✓ \d+ checks passed( \(all of them\))?; --all lists them\./);
    const all = await world.run(['--all']);
    expect(all.stdout).toMatch(/✓ CodeDeploy may assume the service role: CodeDeployServiceRole: its trust policy lets CodeDeploy assume it\./);
    expect(all.stdout).toMatch(/✓ Deployment group matches instances: tags Env=prod match 2 running instances/);
  });

  it('--deployment, --app/--group flags and a missing group say what to do', async () => {
    world ??= await startWorld({ scenario: 'health-constraints' });
    const byId = await world.run(['--deployment', FAILED_DEPLOYMENT, '--json'], { env: {} });
    expect(parseJson(byId).deployment?.id).toBe(FAILED_DEPLOYMENT);
    const missing = await world.run(['--app', 'shop', '--group', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('shop/nope does not exist in us-east-1');
    const bad = await world.run(['--deployment', 'x-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deployment x-1 is not a deployment id');
  });
});

describe('a failed event read with its context, and the lines that decided it shown', () => {
  it('runtime-not-on-path: exit 127 under AfterInstall with "npm: command not found" in a log tail whose header was cut off', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'runtime-not-on-path' });
    onTestFinished(() => world.close());
    const [text, asJson] = await Promise.all([world.run([]), world.run(['--json'])]);
    expect(text.code, describeRun(text)).toBe(0);
    const out = text.stdout;
    expect(out).toContain("✗ The hook's shell cannot find npm [runtime-not-on-path]");
    expect(out.replace(/\s+/g, ' ')).toContain('rather than script-failed: the script stopped because npm was not found on the PATH its shell had');
    // Where, what AWS said about the event, and the lines: once for both instances, which failed the same way.
    expect(out).toContain(
      [
        `    ${INSTANCES[0]} AfterInstall (ScriptFailed, exit code 127, scripts/install_dependencies.sh); also on ${INSTANCES[1]}`,
        '      message  │ Script at specified location: scripts/install_dependencies.sh run as user root failed with exit code 127',
        `      log tail │ [stderr]/opt/codedeploy-agent/deployment-root/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/${FAILED_DEPLOYMENT}/deployment-archive/scripts/install_dependencies.sh: line 5: npm: command not found`,
      ].join('\n'),
    );
    // The lines that decided nothing stay out; the fix names the command and the script.
    expect(out).not.toContain('Installing shop dependencies');
    expect(out).toContain("command -v npm; sudo bash -c 'command -v npm || echo not on root PATH'");
    expect(out.indexOf('[runtime-not-on-path]')).toBeLessThan(out.indexOf('[health-constraints]'));

    const json = parseJson(asJson);
    const [first] = json.findings;
    expect(first?.cause).toBe('runtime-not-on-path');
    expect(first).toMatchObject({
      instances: [...INSTANCES],
      chosenOver: [expect.objectContaining({ cause: 'script-failed' })],
      seen: [
        {
          instance: INSTANCES[0],
          event: 'AfterInstall',
          errorCode: 'ScriptFailed',
          exitCode: 127,
          script: 'scripts/install_dependencies.sh',
          alsoOn: [INSTANCES[1]],
          lines: [
            { part: 'message', text: expect.stringContaining('failed with exit code 127') },
            { part: 'log tail', text: expect.stringContaining('line 5: npm: command not found') },
          ],
        },
      ],
    });
    expect(world.aws.mutatingCalls()).toEqual([]);
  });
});

describe('permissions cd-wizard lacks', () => {
  it('SimulatePrincipalPolicy or SSM denied → "could not check", the rest still runs', async ({ onTestFinished }) => {
    const world = await startWorld({
      scenario: 'agent-not-running',
      faults: {
        errors: [
          { service: 'iam', action: 'SimulatePrincipalPolicy', code: 'AccessDenied', status: 403, message: 'User: arn:aws:iam::123456789012:user/cd-wizard-tester is not authorized to perform: iam:SimulatePrincipalPolicy on resource: role CodeDeployInstanceRole' },
          { service: 'ssm', action: 'DescribeInstanceInformation', code: 'AccessDeniedException', status: 400, message: 'User: arn:aws:iam::123456789012:user/cd-wizard-tester is not authorized to perform: ssm:DescribeInstanceInformation on resource: *' },
        ],
      },
    });
    onTestFinished(() => world.close());
    const run = await world.run(['--yes']);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('Instance role can read the revision: could not check: iam:SimulatePrincipalPolicy denied');
    expect(run.stdout).toContain('Could not ask Systems Manager about the instances: ssm:DescribeInstanceInformation denied.');
    // The other checks and the diagnosis still ran.
    expect(run.stdout).toContain('[agent-not-running]');
    expect(run.stdout).toMatch(/✓ \d+ checks passed/);
    expect(run.stdout).toContain('sudo service codedeploy-agent status');
  });
});

describe('--out writes a redacted markdown report', () => {
  it('with --redact-account, no account id is left in it', async ({ onTestFinished }) => {
    const world = await startWorld({ scenario: 'service-role-permissions' });
    onTestFinished(() => world.close());
    const run = await world.run(['--out', 'report.md', '--redact-account']);
    expect(run.code, describeRun(run)).toBe(0);
    const { readFileSync } = await import('node:fs');
    const report = readFileSync(`${world.dir}/report.md`, 'utf8');
    expect(report).toMatch(/^# CodeDeploy diagnosis: shop\/prod d-FAILED001/);
    expect(report).toContain('(`service-role-permissions`)');
    expect(report).toContain('| ❌ | Service role has AWSCodeDeployRole |');
    expect(report).not.toContain('123456789012');
    expect(run.stdout).not.toContain('123456789012');
    expect(run.stderr).toContain('Report written to report.md');
  });
});
