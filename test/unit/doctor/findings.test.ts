import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentTarget } from '../../../src/aws/ports/deployments.js';
import { rulesOf } from '../../../src/commands/fix/fix.js';
import { buildFindings, deploymentPieces, fillFindings, type CheckEvidence } from '../../../src/doctor/findings.js';
import { isCauseId } from '../../../src/kb/types.js';
import { eventPiece } from '../../../src/doctor/seen.js';
import { warmMatcher } from '../../../src/doctor/rules.js';
import { accountOfArn, nameOfArn } from '../../../src/aws/arn.js';
import { fillPlaceholders } from '../../../src/doctor/placeholders.js';
import { sourceKb } from '../../helpers/kb.js';

const kb = sourceKb();
const rules = rulesOf(kb);

const deployment = (extra: Partial<Deployment> = {}): Deployment => ({
  id: 'd-ABCDEFGHI',
  application: 'shop',
  group: 'prod',
  status: 'Failed',
  config: 'CodeDeployDefault.OneAtATime',
  errorCode: 'HEALTH_CONSTRAINTS',
  errorMessage: 'The overall deployment failed because too many individual instances failed deployment.',
  overview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 2, Skipped: 0, Ready: 0 },
  revision: { type: 'S3', s3: { bucket: 'revs', key: 'shop.zip' } },
  statusMessages: [],
  ignoreApplicationStopFailures: false,
  ...extra,
});
const failedAt = (id: string, event: string, errorCode: string, message: string, logTail?: string): DeploymentTarget => ({
  id,
  status: 'Failed',
  lifecycleEvents: [
    { name: 'ApplicationStop', status: 'Succeeded' },
    { name: event, status: 'Failed', diagnostics: { errorCode, message, ...(logTail ? { logTail } : {}) } },
  ],
});

describe('the matcher made ready ahead of the findings', () => {
  it('compiles the rules once per knowledge base, so the warm-up online fix runs while the evidence is read is the set the findings use', () => {
    const warmed = sourceKb();
    warmMatcher(warmed);
    expect(rulesOf(warmed)).toBe(rulesOf(warmed));
    expect(rulesOf(warmed).length).toBeGreaterThan(50);
  });
});

describe('placeholders', () => {
  it('fills what is known and leaves the rest as written', () => {
    expect(fillPlaceholders('aws deploy get-deployment --deployment-id <deployment-id> --region <region> <asg>', { '<deployment-id>': 'd-X', '<region>': 'eu-west-1' })).toBe(
      'aws deploy get-deployment --deployment-id d-X --region eu-west-1 <asg>',
    );
    expect(nameOfArn('arn:aws:iam::123456789012:role/path/Name')).toBe('Name');
    expect(accountOfArn('arn:aws:iam::123456789012:role/Name')).toBe('123456789012');
  });
});

describe('evidence → findings', () => {
  it('a failed event is read as AWS wrote it (message, then log tail) under its own context', () => {
    const piece = eventPiece('i-1', {
      name: 'ApplicationStop',
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/stop.sh', message: 'Script at specified location: scripts/stop.sh run as user root failed with exit code 127', logTail: '[stderr]pm2: command not found\n' },
    });
    expect(piece.text).toBe('Script at specified location: scripts/stop.sh run as user root failed with exit code 127\n\n[stderr]pm2: command not found');
    expect(piece.context).toEqual({ event: 'ApplicationStop', exitCode: 127, errorCode: 'ScriptFailed', script: 'scripts/stop.sh' });
    // Nothing but an error code: that is still something to read.
    expect(eventPiece('i-1', { name: 'BeforeInstall', status: 'Failed', diagnostics: { errorCode: 'ScriptMissing' } }).text).toBe('Error code: ScriptMissing');
  });

  it('one finding per cause, with the instances and events it came from; the roll-up last, pointing at them', () => {
    const targets = [
      failedAt('i-1', 'ApplicationStart', 'ScriptTimedOut', 'Script at specified location: scripts/start.sh failed to complete in 300 seconds'),
      failedAt('i-2', 'ApplicationStart', 'ScriptTimedOut', 'Script at specified location: scripts/start.sh failed to complete in 300 seconds'),
      failedAt('i-3', 'AfterInstall', 'ScriptFailed', 'Script at specified location: scripts/a.sh run as user root failed with exit code 2', '[stderr]boom'),
    ];
    const findings = buildFindings(deploymentPieces(deployment(), targets), [], rules, kb);
    expect(findings.map((f) => f.cause)).toEqual(['script-timed-out', 'script-failed', 'health-constraints']);
    expect(findings[0]).toMatchObject({ instances: ['i-1', 'i-2'], events: ['i-1 ApplicationStart', 'i-2 ApplicationStart'], guide: 'script-timed-out' });
    // The same failure on two instances is one block of evidence naming both.
    expect(findings[0]?.evidence).toEqual([
      {
        source: { kind: 'event', instance: 'i-1', event: 'ApplicationStart' },
        context: { event: 'ApplicationStart', errorCode: 'ScriptTimedOut' },
        lines: [{ part: 'message', text: 'Script at specified location: scripts/start.sh failed to complete in 300 seconds' }],
        alsoOn: ['i-2'],
      },
    ]);
    expect(findings[2]).toMatchObject({ rollup: true, causes: ['script-timed-out', 'script-failed'] });
  });

  it('a cause a check proved comes first, with the check as its first evidence', () => {
    const targets = [failedAt('i-1', 'BeforeInstall', 'UnknownError', 'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.')];
    const findings = buildFindings(deploymentPieces(deployment(), targets), [{ check: 'instance-profiles', cause: 'agent-missing-credentials', detail: 'no instance profile: i-1.', instances: ['i-1'] }], rules, kb);
    expect(findings.map((f) => f.cause)).toEqual(['agent-missing-credentials', 'agent-not-running', 'health-constraints']);
    expect(findings[0]).toMatchObject({ confirmedBy: ['instance-profiles'], instances: ['i-1'] });
    expect(findings[0]?.evidence).toEqual([{ source: { kind: 'check', check: 'instance-profiles', instances: ['i-1'] }, lines: [{ part: 'detail', text: 'no instance profile: i-1.' }], alsoOn: [] }]);
  });

  it('cause ids are the catalogue\'s own type: a typo in a check\'s cause does not compile', () => {
    // @ts-expect-error 'agent-not-runing' is not a cause id (typecheck fails if this ever compiles)
    const typo: CheckEvidence = { check: 'agent', cause: 'agent-not-runing', detail: 'stopped', instances: ['i-1'] };
    expect(isCauseId(typo.cause)).toBe(false);
    // And a finding is never made for an id the guide does not know.
    expect(buildFindings([], [typo], rules, kb)).toEqual([]);
  });

  it('fills each finding with its first instance; the roll-up with every failed instance', () => {
    const targets = [failedAt('i-1', 'AfterInstall', 'ScriptFailed', 'Script at specified location: a.sh failed with exit code 1'), failedAt('i-2', 'AfterInstall', 'ScriptFailed', 'Script at specified location: a.sh failed with exit code 1')];
    const findings = fillFindings(buildFindings(deploymentPieces(deployment(), targets), [], rules, kb), { '<deployment-id>': 'd-ABCDEFGHI', '<application>': 'shop', '<deployment-group>': 'prod' });
    const commands = (cause: string) => findings.find((f) => f.cause === cause)?.fix.map((step) => step.command ?? '').join('\n') ?? '';
    expect(commands('script-failed')).toContain('--deployment-id d-ABCDEFGHI --target-id i-1 ');
    expect(commands('health-constraints')).toContain('--target-ids i-1 i-2 ');
  });

  it('masks secrets in evidence, and account ids when asked', () => {
    const targets = [failedAt('i-1', 'AfterInstall', 'ScriptFailed', 'Script at specified location: a.sh failed with exit code 1', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY account 123456789012')];
    const [finding] = buildFindings(deploymentPieces(deployment({ errorCode: undefined as never, errorMessage: undefined as never }), targets), [], rules, kb, { accountIds: true });
    expect(finding?.cause).toBe('script-failed');
    expect(JSON.stringify(finding)).not.toContain('wJalrXUtnFEMI');
  });
});

describe('a failed event is judged under its own context', () => {
  const target = (event: string, diagnostics: DeploymentTarget['lifecycleEvents'][number]['diagnostics'], id = 'i-1'): DeploymentTarget => ({
    id,
    status: 'Failed',
    lifecycleEvents: [{ name: event, status: 'Failed', ...(diagnostics ? { diagnostics } : {}) }],
  });
  const stopFailed = target('ApplicationStop', {
    errorCode: 'ScriptFailed',
    scriptName: 'scripts/stop_server.sh',
    message: 'Script at specified location: scripts/stop_server.sh run as user root failed with exit code 1',
    logTail: '[stdout]Stopping shop\n[stderr]Error response from daemon: No such container: shop',
  });

  it('ScriptFailed under ApplicationStop is the stop-script cause, chosen over a generic script failure', () => {
    const findings = fillFindings(buildFindings(deploymentPieces(deployment(), [stopFailed]), [], rules, kb), { '<application>': 'shop', '<deployment-group>': 'prod', '<bucket>': 'revs', '<key>': 'shop.zip' });
    // One failed event, one problem (and the roll-up pointing at it).
    expect(findings.map((f) => f.cause)).toEqual(['application-stop-failing', 'health-constraints']);
    const [stop] = findings;
    expect(stop?.title).toBe("ApplicationStop failed: it runs the previous revision's script");
    expect(stop?.over.map((over) => over.cause)).toEqual(['script-failed']);
    expect(stop?.fix.map((step) => step.command ?? '').join('\n')).toContain('--application-name shop --deployment-group-name prod --s3-location bucket=revs,key=shop.zip,bundleType=zip --ignore-application-stop-failures');
    expect(stop?.fix[0]?.text).toContain('later deployments use the fixed scripts/stop_server.sh');
    expect(stop?.evidence[0]?.context).toEqual({ event: 'ApplicationStop', exitCode: 1, errorCode: 'ScriptFailed', script: 'scripts/stop_server.sh' });
    expect(stop?.evidence[0]?.lines).toContainEqual({ part: 'log tail', text: '[stderr]Error response from daemon: No such container: shop' });
  });

  it('the same text without the event context is only a generic script failure (the context is what decides)', () => {
    const [piece] = deploymentPieces(deployment({ errorCode: undefined as never, errorMessage: undefined as never }), [stopFailed]);
    expect(piece?.context?.event).toBe('ApplicationStop');
    const withoutContext = buildFindings([{ source: piece!.source, text: piece!.text }], [], rules, kb);
    expect(withoutContext.map((f) => f.cause)).toEqual(['script-failed']);
  });

  it('exit 127 and "command not found" in the log tail name the runtime missing from the PATH, quoting the tail line', () => {
    const targets = [
      target('AfterInstall', {
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/install_dependencies.sh',
        message: 'Script at specified location: scripts/install_dependencies.sh run as user root failed with exit code 127',
        logTail: '[stdout]Installing dependencies\n[stderr]/opt/codedeploy-agent/deployment-root/0b1c/d-ABCDEFGHI/deployment-archive/scripts/install_dependencies.sh: line 4: npm: command not found',
      }),
    ];
    const [first] = buildFindings(deploymentPieces(deployment(), targets), [], rules, kb);
    expect(first?.cause).toBe('runtime-not-on-path');
    expect(first?.title).toBe("The hook's shell cannot find npm");
    expect(first?.over.map((over) => over.cause)).toContain('script-failed');
    expect(first?.evidence[0]?.lines).toEqual([
      { part: 'message', text: 'Script at specified location: scripts/install_dependencies.sh run as user root failed with exit code 127' },
      { part: 'log tail', text: '[stderr]/opt/codedeploy-agent/deployment-root/0b1c/d-ABCDEFGHI/deployment-archive/scripts/install_dependencies.sh: line 4: npm: command not found' },
    ]);
  });

  it('exit 127 alone (the tail cut before the shell said more) still points at the PATH', () => {
    const targets = [target('ApplicationStart', { errorCode: 'ScriptFailed', scriptName: 'scripts/start.sh', message: 'Script at specified location: scripts/start.sh run as user root failed with exit code 127', logTail: '[stdout]starting shop on :3000' })];
    expect(buildFindings(deploymentPieces(deployment(), targets), [], rules, kb)[0]?.cause).toBe('runtime-not-on-path');
  });

  it("when no tail line matched, the tail's last [stderr] lines are shown: secrets masked, control characters escaped", () => {
    const targets = [
      target('ValidateService', {
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 22',
        logTail: '[stderr]first\n[stderr]aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n[stderr]\u001b]0;owned\u0007HTTP 503 from /health',
      }),
    ];
    const [first] = buildFindings(deploymentPieces(deployment(), targets), [], rules, kb);
    expect(first?.cause).toBe('script-failed');
    const tail = first?.evidence[0]?.lines.filter((line) => line.part === 'log tail').map((line) => line.text);
    expect(tail).toEqual(['[stderr]aws_secret_access_key=****', '[stderr]\\u001b]0;owned\\u0007HTTP 503 from /health']);
    expect(JSON.stringify(first)).not.toContain('wJalrXUtnFEMI');
  });
});
