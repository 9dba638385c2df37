import { describe, expect, it } from 'vitest';
import { agentOutcome, agentVerdict, clockVerdict, credentialsFileVerdict, parseAgentReport } from '../../../src/codedeploy/agent.js';
import { agentReport } from '../../fake-aws/scenarios.js';

describe('the on-instance agent report', () => {
  it('parses the fields and the log sections the script prints', () => {
    const report = parseAgentReport(agentReport({ running: false, rootAws: '/root/.aws/credentials', ntp: 'no', log: 'line one\nline two' }));
    expect(report).toMatchObject({ installed: true, version: 'OFFICIAL_1.7.1-110_rpm', running: 'no', rootAwsFiles: ['/root/.aws/credentials'], clockSynced: false, agentLog: 'line one\nline two' });
    expect(parseAgentReport('command not found')).toBeUndefined();
  });

  it('turns it into checks: agent, stray root credentials, clock', () => {
    const stopped = parseAgentReport(agentReport({ running: false, rootAws: '/root/.aws/config', ntp: 'no' }));
    if (!stopped) throw new Error('no report');
    const verdict = agentVerdict('i-1', stopped);
    expect(verdict).toMatchObject({ status: 'problem', cause: 'agent-not-running' });
    expect(verdict.status === 'problem' && verdict.remedies?.[0]?.steps[0]?.op).toEqual({ type: 'restart-agent', instanceIds: ['i-1'] });
    expect(credentialsFileVerdict('i-1', stopped)).toMatchObject({ status: 'problem', cause: 'agent-access-denied', severity: 'warning' });
    expect(clockVerdict('i-1', stopped)).toMatchObject({ status: 'problem', cause: 'agent-clock-skew' });
    const running = parseAgentReport(agentReport({ running: true }));
    if (!running) throw new Error('no report');
    expect(agentVerdict('i-1', running)).toEqual({ status: 'ok', detail: 'The CodeDeploy agent OFFICIAL_1.7.1-110_rpm is running on i-1.' });
    expect(parseAgentReport(agentReport({ running: true }).replace('installed=yes', 'installed=no'))?.installed).toBe(false);
  });

  it('the agent log becomes evidence for the matcher; no report means could-not-check', () => {
    const outcome = agentOutcome('i-1', parseAgentReport(agentReport({ running: true, log: 'ERROR Missing credentials' })));
    expect(outcome.logs).toEqual([{ instance: 'i-1', log: 'codedeploy-agent.log', text: 'ERROR Missing credentials' }]);
    expect(agentOutcome('i-1', undefined, 'SSM did not answer in time').checks.map((check) => check.status)).toEqual(['could-not-check', 'could-not-check', 'could-not-check']);
  });
});
