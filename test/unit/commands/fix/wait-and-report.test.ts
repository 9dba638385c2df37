import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentTarget } from '../../../../src/aws/ports/deployments.js';
import { onlineJson, renderMarkdown, renderOnlineText, verdictLine, type OnlineReport } from '../../../../src/doctor/online-report.js';
import { collectRemedies, findingRemedies } from '../../../../src/codedeploy/remedies.js';
import type { CheckResult } from '../../../../src/codedeploy/verdict.js';
import { remedyRecord } from '../../../../src/commands/fix/apply-remedies.js';
import { waitMessages, type Snapshot } from '../../../../src/watch/deployment.js';
import { createStyle } from '../../../../src/io/terminal.js';

const style = createStyle(false);
const deployment = (status: string, extra: Partial<Deployment> = {}): Deployment => ({
  id: 'd-ABCDEFGHI',
  application: 'shop',
  group: 'prod',
  status,
  config: 'CodeDeployDefault.OneAtATime',
  overview: { Pending: 0, InProgress: 1, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 },
  revision: { type: 'S3', s3: { bucket: 'revs', key: 'shop.zip', bundleType: 'zip' } },
  statusMessages: [],
  ignoreApplicationStopFailures: false,
  ...extra,
});
const target = (events: Array<[string, string]>, status = 'InProgress'): DeploymentTarget => ({
  id: 'i-1',
  status,
  lifecycleEvents: events.map(([name, s]) => ({ name, status: s, ...(s === 'Failed' ? { diagnostics: { errorCode: 'ScriptFailed' } } : {}) })),
});

describe('--wait progress', () => {
  it('one live line per instance with a mark per event, finished when the instance is', () => {
    const first: Snapshot = { deployment: deployment('InProgress'), targets: [target([['ApplicationStop', 'Succeeded'], ['DownloadBundle', 'InProgress'], ['AfterInstall', 'Pending']])] };
    const second: Snapshot = {
      deployment: deployment('Failed', { overview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 1, Skipped: 0, Ready: 0 } }),
      targets: [target([['ApplicationStop', 'Succeeded'], ['DownloadBundle', 'Succeeded'], ['AfterInstall', 'Failed']], 'Failed')],
    };
    const lines = (snapshot: Snapshot) => waitMessages(snapshot).map((message) => `${message.text}${message.live?.done ? ' [done]' : ''}`);
    expect(lines(first)).toEqual(['d-ABCDEFGHI InProgress (1 in progress)', 'i-1 ✓…· InProgress DownloadBundle']);
    expect(lines(second)).toEqual(['d-ABCDEFGHI Failed (1 failed) [done]', 'i-1 ✓✓✗ Failed AfterInstall ScriptFailed [done]']);
  });
});

describe('report rendering', () => {
  const report: OnlineReport = {
    region: 'us-east-1',
    application: 'shop',
    group: 'prod',
    deployment: deployment('Failed', { errorCode: 'HEALTH_CONSTRAINTS', overview: { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 1, Skipped: 0, Ready: 0 } }),
    targetsRead: 1,
    findings: [
      {
        cause: 'application-stop-failing',
        title: 'ApplicationStop failed',
        severity: 'error',
        specificity: 82,
        rollup: false,
        explain: 'Why.',
        fix: [{ text: 'Redeploy.', command: 'aws deploy create-deployment --application-name shop' }],
        guide: 'application-stop-failing',
        evidence: [
          {
            source: { kind: 'event', instance: 'i-1', event: 'ApplicationStop' },
            context: { event: 'ApplicationStop', errorCode: 'ScriptFailed', exitCode: 1, script: 'scripts/stop.sh' },
            lines: [
              { part: 'message', text: 'Script failed with exit code 1 for account 123456789012' },
              { part: 'log tail', text: '[stderr]kill: (4242) - No such process' },
            ],
            alsoOn: ['i-2'],
          },
        ],
        instances: ['i-1', 'i-2'],
        events: ['i-1 ApplicationStop', 'i-2 ApplicationStop'],
        confirmedBy: [],
        over: [{ cause: 'script-failed', because: 'it failed in ApplicationStop' }],
      },
    ],
    checks: [
      { id: 'service-role', title: 'Service role exists', looked: 'role R', status: 'ok', detail: 'R exists.' },
      { id: 'revision-readable', title: 'Instance role can read the revision', looked: 'sim', status: 'could-not-check', reason: 'iam:SimulatePrincipalPolicy denied' },
    ],
    ssm: { status: 'unmanaged', note: 'Systems Manager does not manage i-1.' },
    remedies: [],
  };

  it('text: deployment, findings with where they were seen, failing checks only (unless --all), manual commands without SSM', () => {
    const text = renderOnlineText(report, style, { all: false, width: 100 });
    expect(text).toContain('Deployment d-ABCDEFGHI (shop/prod) Failed: HEALTH_CONSTRAINTS');
    expect(text).toContain('✗ ApplicationStop failed [application-stop-failing]');
    expect(text).toContain('    on 2 instances: i-1, i-2');
    expect(text).toContain('    rather than script-failed: it failed in ApplicationStop');
    // One group per failed event: where and what AWS said about it, then the lines that decided it.
    expect(text).toContain(
      [
        '    i-1 ApplicationStop (ScriptFailed, exit code 1, scripts/stop.sh); also on i-2',
        '      message  │ Script failed with exit code 1 for account 123456789012',
        '      log tail │ [stderr]kill: (4242) - No such process',
      ].join('\n'),
    );
    expect(text).toContain('  ! Instance role can read the revision: could not check: iam:SimulatePrincipalPolicy denied (sim)');
    expect(text).not.toContain('Service role exists: R exists.');
    expect(text).toContain('✓ 1 check passed; --all lists them.');
    expect(text).toContain('    sudo service codedeploy-agent status');
    expect(renderOnlineText(report, style, { all: true, width: 100 })).toContain('  ✓ Service role exists: R exists. (role R)');
  });

  it('json: the offline shape plus deployment, checks and remedies', () => {
    const causes = new Set(report.findings.map((finding) => finding.cause));
    const plans = collectRemedies(report.checks, causes, report.deployment);
    expect(plans).toEqual(findingRemedies(causes, report.deployment));
    const json = onlineJson({ ...report, remedies: plans.map(remedyRecord) }) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['findings', 'recognised', 'deployment', 'checks', 'remedies']));
    expect(json).toMatchObject({
      recognised: true,
      findings: [
        {
          cause: 'application-stop-failing',
          guide: 'application-stop-failing',
          instances: ['i-1', 'i-2'],
          evidence: ['i-1 ApplicationStop: Script failed with exit code 1 for account 123456789012', 'i-1 ApplicationStop: [stderr]kill: (4242) - No such process'],
          seen: [
            {
              instance: 'i-1',
              event: 'ApplicationStop',
              errorCode: 'ScriptFailed',
              exitCode: 1,
              script: 'scripts/stop.sh',
              alsoOn: ['i-2'],
              lines: [
                { part: 'message', text: 'Script failed with exit code 1 for account 123456789012' },
                { part: 'log tail', text: '[stderr]kill: (4242) - No such process' },
              ],
            },
          ],
          chosenOver: [{ cause: 'script-failed', because: 'it failed in ApplicationStop' }],
        },
      ],
      deployment: { id: 'd-ABCDEFGHI', status: 'Failed', errorCode: 'HEALTH_CONSTRAINTS', targetsRead: 1 },
      checks: [{ id: 'service-role', status: 'ok' }, { id: 'revision-readable', status: 'could-not-check', reason: 'iam:SimulatePrincipalPolicy denied' }],
      remedies: [{ kind: 'redeploy', status: 'offered', changes: ['codedeploy:CreateDeployment shop/prod s3://revs/shop.zip ignoreApplicationStopFailures=true'] }],
    });
  });

  it('markdown: a report to paste, account ids masked on request', () => {
    const md = renderMarkdown(report, { version: '0.1.0', generatedAt: new Date('2026-01-01T00:00:00Z'), accountIds: true });
    expect(md).toMatch(/^# CodeDeploy diagnosis: shop\/prod d-ABCDEFGHI\n/);
    expect(md).toContain('### ❌ ApplicationStop failed (`application-stop-failing`)');
    expect(md).toContain('```\ni-1 ApplicationStop (ScriptFailed, exit code 1, scripts/stop.sh); also on i-2\n  message: Script failed with exit code 1 for account ************\n  log tail: [stderr]kill: (4242) - No such process\n```');
    expect(md).toContain('| ⚠️ | Instance role can read the revision | could not check: iam:SimulatePrincipalPolicy denied | sim |');
    expect(md).not.toContain('123456789012');
  });
});

describe('the verdict line when no finding names a cause', () => {
  const check = (status: 'ok' | 'problem' | 'could-not-check'): CheckResult =>
    status === 'ok'
      ? { id: 'service-role', title: 'T', looked: 'L', status, detail: 'fine' }
      : status === 'problem'
        ? { id: 'asg-hook', title: 'T', looked: 'L', status, detail: 'no hook', severity: 'error', guide: 'auto-scaling-lifecycle-hook', instances: [], remedies: [] }
        : { id: 'revision-bucket', title: 'T', looked: 'L', status, reason: 'denied' };
  it('says "no problems" only when every check passed', () => {
    expect(verdictLine([check('ok')], style)).toBe('✓ No problems found.');
    expect(verdictLine([check('ok'), check('could-not-check')], style)).toBe('! No problem found in what could be checked, but 1 check could not run (below).');
    expect(verdictLine([check('problem'), check('could-not-check')], style)).toBe('✗ 1 check of the setup failed (below).');
  });
});
