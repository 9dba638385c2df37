import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentTarget } from '../../../src/aws/ports/deployments.js';
import { rulesOf } from '../../../src/commands/fix/fix.js';
import { buildFindings, deploymentPieces, eventText, fillFindings } from '../../../src/doctor/findings.js';
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
  it('names the hook on the first line, with the status only for script errors', () => {
    expect(eventText({ name: 'ApplicationStop', status: 'Failed', diagnostics: { errorCode: 'ScriptFailed', message: 'm' } }).split('\n')[0]).toBe('LifecycleEvent ApplicationStop ScriptFailed Failed');
    expect(eventText({ name: 'ApplicationStop', status: 'Failed', diagnostics: { errorCode: 'UnknownError', message: 'm' } }).split('\n')[0]).toBe('LifecycleEvent ApplicationStop UnknownError');
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
    expect(findings[0]?.evidence).toContain('i-1 ApplicationStart: Message: Script at specified location: scripts/start.sh failed to complete in 300 seconds');
    expect(findings[2]).toMatchObject({ rollup: true, causes: ['script-timed-out', 'script-failed'] });
  });

  it('a cause a check proved comes first, with the check as its first evidence', () => {
    const targets = [failedAt('i-1', 'BeforeInstall', 'UnknownError', 'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.')];
    const findings = buildFindings(deploymentPieces(deployment(), targets), [{ check: 'instance-profiles', cause: 'agent-missing-credentials', detail: 'no instance profile: i-1.', instances: ['i-1'] }], rules, kb);
    expect(findings.map((f) => f.cause)).toEqual(['agent-missing-credentials', 'agent-not-running', 'health-constraints']);
    expect(findings[0]).toMatchObject({ confirmedBy: ['instance-profiles'], evidence: ['check instance-profiles: no instance profile: i-1.'], instances: ['i-1'] });
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
