import { describe, expect, it } from 'vitest';
import { Diagnoser, compilePattern, compileRules, diagnoseText } from '../../../src/diagnose/engine.js';
import { LineReader, cleanLine, type LogicalLine } from '../../../src/diagnose/lines.js';
import type { CauseRule } from '../../../src/kb/types.js';

function rule(overrides: Partial<CauseRule> & Pick<CauseRule, 'cause' | 'match'>): CauseRule {
  return { title: overrides.cause, severity: 'error', specificity: 50, explain: 'why', fix: [{ text: 'do it' }], ...overrides };
}

const rules = compileRules([
  { rule: rule({ cause: 'appspec-not-found', specificity: 90, match: ['did not find an AppSpec file within the unpacked revision directory'] }), guide: 'appspec-not-found' },
  { rule: rule({ cause: 's3-key-not-found', specificity: 90, match: ['The specified key does not exist'] }), guide: 's3-key-not-found' },
  { rule: rule({ cause: 'health-constraints', specificity: 15, rollup: true, match: ['too many individual instances failed deployment'] }), guide: 'health-constraints' },
  { rule: rule({ cause: 'disk-full', specificity: 80, match: ['No space left on device'], requires: ['codedeploy'] }), guide: 'disk-full' },
  { rule: rule({ cause: 'script-failed', specificity: 55, match: ['Script at specified location: .{1,200}? failed with exit code \\d+'], unless: ['HOOK_SUCCEEDED_MARKER'] }), guide: 'script-failed' },
]);

function logical(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const reader = new LineReader((line) => lines.push(line));
  reader.pushText(text);
  reader.end();
  return lines;
}

describe('LineReader', () => {
  it('joins lines hard-wrapped at 80 columns mid-word, as in the field notes', () => {
    const first = '2019-09-04 13:27:00 INFO  [codedeploy-agent(685)]: [Aws::CodeDeployCommand::Clie';
    expect(first).toHaveLength(80);
    const lines = logical(`${first}\nnt 200 0.015194 0 retries] put_host_command_complete\nnext record`);
    expect(lines.map((line) => line.text)).toEqual([
      '2019-09-04 13:27:00 INFO  [codedeploy-agent(685)]: [Aws::CodeDeployCommand::Client 200 0.015194 0 retries] put_host_command_complete',
      'next record',
    ]);
    expect(lines[1]?.lineNumber).toBe(3);
  });

  it('does not join an 80-column line to a line that starts a new record', () => {
    const first = `2019-09-04 13:27:00 INFO  ${'x'.repeat(54)}`;
    expect(logical(`${first}\n2019-09-04 13:27:01 INFO next`)).toHaveLength(2);
  });

  it('gives the same diagnosis whatever the chunk boundaries', () => {
    const text = `a line\r\n${'b'.repeat(68)} The specifi\ned key does not exist\nScript at specified location: x.sh failed with exit code 2\nlast`;
    const whole = diagnoseText(rules, text);
    const diagnoser = new Diagnoser(rules);
    for (const char of text) diagnoser.push(char);
    expect(diagnoser.end()).toEqual(whole);
    expect(whole.findings.map((f) => f.cause)).toEqual(['s3-key-not-found', 'script-failed']);
  });

  it('undoes escaped JSON quotes of any depth and escaped newlines in payloads', () => {
    expect(cleanLine('payload:"{\\"message\\":\\"at path \\\\\\"appspec.yml\\\\\\".\\nmore\\"}"')).toBe('payload:"{"message":"at path "appspec.yml". more"}"');
  });

  it('keeps Windows paths intact', () => {
    expect(cleanLine('C:\\ProgramData\\Amazon\\CodeDeploy\\log\\codedeploy-agent-log.txt')).toBe('C:\\ProgramData\\Amazon\\CodeDeploy\\log\\codedeploy-agent-log.txt');
  });

  it('strips ANSI colours', () => {
    expect(cleanLine('\u001b[31mERROR\u001b[0m boom')).toBe('ERROR boom');
  });
});

describe('compilePattern', () => {
  it('lets a space match a lost space at a wrap, or several spaces', () => {
    const pattern = compilePattern('file was expected');
    expect(pattern.test('file wasexpected')).toBe(true);
    expect(pattern.test('file   was\texpected')).toBe(true);
    expect(pattern.test('file is expected')).toBe(false);
  });

  it('leaves spaces inside character classes alone', () => {
    expect(compilePattern('a[ ]b').source).toBe('a[ ]b');
  });
});

describe('Diagnoser', () => {
  it('puts the specific cause before the roll-up that summarises it', () => {
    const text = 'The overall deployment failed because too many individual instances failed deployment. DownloadBundle: The specified key does not exist.';
    const { findings, recognised } = diagnoseText(rules, text);
    expect(recognised).toBe(true);
    expect(findings.map((f) => f.cause)).toEqual(['s3-key-not-found', 'health-constraints']);
    expect(findings[1]?.rollup).toBe(true);
  });

  it('finds a cause in the wrapped, triple-escaped agent log from the field notes', () => {
    const log = [
      '2019-09-04 13:27:00 INFO  [codedeploy-agent(685)]: [Aws::CodeDeployCommand::Clie',
      'nt 200 0.015194 0 retries] put_host_command_complete(command_status:"Failed",dia',
      'gnostics:{format:"JSON",payload:"{\\"error_code\\":5,\\"script_name\\":\\"\\",\\"messag',
      'e\\":\\"The CodeDeploy agent did not find an AppSpec file within the unpacked revi',
      'sion directory at revision-relative path \\\\\\"appspec.yml\\\\\\". The revision was u',
    ].join('\n');
    const { findings } = diagnoseText(rules, log);
    expect(findings.map((f) => f.cause)).toEqual(['appspec-not-found']);
    expect(findings[0]?.evidence[0]?.line).toBe(1);
    expect(findings[0]?.evidence[0]?.text).toContain('did not find an AppSpec file');
  });

  it('applies requires: a generic phrase counts only with CodeDeploy context', () => {
    expect(diagnoseText(rules, 'npm ERR! nospc ENOSPC: No space left on device, write').recognised).toBe(false);
    const withContext = diagnoseText(rules, 'tar: /opt/codedeploy-agent/deployment-root/x: No space left on device');
    expect(withContext.findings.map((f) => f.cause)).toEqual(['disk-full']);
  });

  it('applies unless: a look-alike marker vetoes the rule anywhere in the text', () => {
    const text = 'Script at specified location: scripts/start.sh failed with exit code 1';
    expect(diagnoseText(rules, text).findings).toHaveLength(1);
    expect(diagnoseText(rules, `${text}\nHOOK_SUCCEEDED_MARKER`).findings).toHaveLength(0);
  });

  it('keeps three evidence lines, counts the rest, and numbers them', () => {
    const line = (n: number) => `2024-01-01T00:00:0${n} ERROR Script at specified location: scripts/s${n}.sh failed with exit code ${n}`;
    const { findings } = diagnoseText(rules, [1, 2, 3, 4, 5].map(line).join('\n'));
    expect(findings[0]?.occurrences).toBe(5);
    expect(findings[0]?.evidence.map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('cuts a very long line to a window that still shows the match', () => {
    const text = `${'x'.repeat(5000)} The specified key does not exist ${'y'.repeat(5000)}`;
    const evidence = diagnoseText(rules, text).findings[0]?.evidence[0]?.text ?? '';
    expect(evidence.length).toBeLessThan(260);
    expect(evidence).toContain('The specified key does not exist');
  });

  it('redacts evidence before it is shown', () => {
    const { findings } = diagnoseText(rules, 'AKIAIOSFODNN7EXAMPLE The specified key does not exist', {});
    expect(findings[0]?.evidence[0]?.text).toBe('AKIA************MPLE The specified key does not exist');
  });

  it('recognises nothing in text that is not a CodeDeploy failure', () => {
    const diagnoser = new Diagnoser(rules);
    diagnoser.push('2024-09-10T18:05:12 INFO  [codedeploy-agent(1)]: poll_host_command(host_identifier:"arn")\n');
    const result = diagnoser.end();
    expect(result).toEqual({ findings: [], recognised: false, linesRead: 1 });
  });
});
