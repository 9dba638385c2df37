import { describe, expect, it } from 'vitest';
import { Diagnoser, compileRules, diagnoseText } from '../../../src/diagnose/engine.js';
import { LineReader } from '../../../src/diagnose/lines.js';
import type { CauseRule } from '../../../src/kb/types.js';

function rule(overrides: Partial<CauseRule> & Pick<CauseRule, 'cause'>): CauseRule {
  return { title: overrides.cause, severity: 'error', specificity: 50, match: [], explain: 'why', fix: [{ text: 'do it' }], ...overrides };
}

const rules = compileRules(
  [
    rule({ cause: 'script-failed', specificity: 55, match: ['Script at specified location: .{1,200}? failed with exit code \\d+', 'ScriptFailed\\b'] }),
    rule({ cause: 'script-missing', specificity: 86, match: ['Script does not exist at specified location'] }),
    rule({
      cause: 'application-stop-failing',
      specificity: 83,
      refines: ['script-failed'],
      when: { event: ['ApplicationStop'] },
      because: '{{event}} runs the previous revision',
    }),
    rule({
      cause: 'stop-script-missing-previous',
      specificity: 88,
      refines: ['script-missing'],
      absorbs: ['application-stop-failing'],
      when: { event: ['ApplicationStop'] },
      because: 'the old revision lacks it',
    }),
    rule({
      cause: 'runtime-not-on-path',
      title: 'cannot find {{command}}',
      specificity: 87,
      match: [':\\s(?<command>npm|node|pm2): command not found'],
      refines: ['script-failed'],
      because: '{{command}} was not found',
      fix: [{ text: 'find {{command}}', command: 'command -v {{command}}' }],
    }),
    rule({ cause: 'runtime-exit-127', specificity: 72, refines: ['script-failed'], when: { exitCode: [127] }, whenNot: { stderr: ['not found'] }, because: 'exit 127' }),
    rule({ cause: 'agent-restarted', specificity: 70, refines: ['script-failed'], when: { errorCode: ['FailedAfterRestart'] }, because: 'restart' }),
    rule({ cause: 'health-constraints', specificity: 15, rollup: true, match: ['\\bHEALTH_CONSTRAINTS\\b'] }),
    rule({ cause: 'disk-full', specificity: 90, match: ['No space left on device', 'ENOSPC: No space'] }),
  ].map((r) => ({ rule: r, guide: r.cause })),
);
const causes = (text: string, options = {}) => diagnoseText(rules, text, options).findings.map((finding) => finding.cause);

describe('event frames', () => {
  it('folds a script failure under ApplicationStop into application-stop-failing, once, saying why', () => {
    const text = ['LifecycleEvent - ApplicationStop', 'Script - scripts/stop.sh', 'Script at specified location: scripts/stop.sh failed with exit code 1'].join('\n');
    const { findings } = diagnoseText(rules, text);
    expect(findings.map((f) => f.cause)).toEqual(['application-stop-failing']);
    expect(findings[0]?.over).toEqual([{ cause: 'script-failed', because: 'ApplicationStop runs the previous revision' }]);
    expect(findings[0]?.event).toBe('ApplicationStop');
    expect(findings[0]?.evidence[0]?.text).toContain('failed with exit code 1');
  });

  it('keeps the same failure under AfterInstall a script failure', () => {
    expect(causes('LifecycleEvent - AfterInstall\nScript at specified location: scripts/a.sh failed with exit code 1')).toEqual(['script-failed']);
  });

  it('reads the event from a console table row and from JSON', () => {
    expect(causes('ApplicationStop\tless than one second\tFailed\tScriptFailed\nDownloadBundle\t-\tSkipped\t-')).toEqual(['application-stop-failing']);
    const json = ['{', '  "lifecycleEventName": "ApplicationStop",', '  "diagnostics": {', '    "errorCode": "ScriptFailed",', '    "message": "Script at specified location: s.sh failed with exit code 2"', '  },', '  "status": "Failed"', '}'].join('\n');
    expect(causes(json)).toEqual(['application-stop-failing']);
  });

  it('looks back: the event named after the message (console details) still owns it', () => {
    const details = ['Error code: ScriptFailed', 'Script name: scripts/stop.sh', 'Message: Script at specified location: scripts/stop.sh failed with exit code 1', 'Log tail: LifecycleEvent - ApplicationStop'].join('\n');
    expect(causes(details)).toEqual(['application-stop-failing']);
  });

  it('does not look back across unrelated lines', () => {
    const text = ['Message: Script at specified location: scripts/a.sh failed with exit code 1', 'x', 'y', 'z', 'a', 'b', 'c', 'd', 'e', 'f', 'LifecycleEvent - ApplicationStop'].join('\n');
    expect(causes(text)).toEqual(['script-failed']);
  });

  it('lets a more specific cause absorb another without firing because of it', () => {
    expect(causes('LifecycleEvent - ApplicationStop\nScript does not exist at specified location: /x/stop.sh')).toEqual(['stop-script-missing-previous']);
    // application-stop-failing alone must not wake the rule that only absorbs it
    expect(causes('LifecycleEvent - ApplicationStop\nScript at specified location: s.sh failed with exit code 1')).toEqual(['application-stop-failing']);
  });

  it('applies exit-code and stderr conditions to the event', () => {
    expect(causes('Script at specified location: scripts/a.sh failed with exit code 127')).toEqual(['runtime-exit-127']);
    expect(causes('Script at specified location: scripts/a.sh failed with exit code 127\n[stderr]a.sh: line 3: error_exit: command not found')).toEqual(['script-failed']);
    expect(causes('Script at specified location: scripts/a.sh failed with exit code 2')).toEqual(['script-failed']);
  });

  it('applies error-code conditions, including the agent payload numbers', () => {
    const payload = 'put_host_command_complete(command_status:"Failed",diagnostics:{format:"JSON",payload:"{\\"error_code\\":7,\\"script_name\\":\\"\\",\\"message\\":\\"ScriptFailed: agent restarted\\",\\"log\\":\\"\\"}"})';
    expect(causes(payload)).toEqual(['agent-restarted']);
  });

  it('fills fix steps and titles from named groups; commands only with shell-safe values', () => {
    const { findings } = diagnoseText(rules, 'LifecycleEvent - AfterInstall\n[stderr]s.sh: line 3: npm: command not found\nScript at specified location: s.sh failed with exit code 127');
    expect(findings[0]?.cause).toBe('runtime-not-on-path');
    expect(findings[0]?.title).toBe('cannot find npm');
    expect(findings[0]?.fix).toEqual([{ text: 'find npm', command: 'command -v npm' }]);
    expect(findings[0]?.over.map((o) => o.cause)).toEqual(['script-failed']);
  });

  it('never folds a roll-up, and orders it last', () => {
    expect(causes('LifecycleEvent - AfterInstall\n(Error code: HEALTH_CONSTRAINTS) No space left on device')).toEqual(['disk-full', 'health-constraints']);
  });

  it('takes the event from the caller for a piece of online evidence', () => {
    const tail = 'Script - scripts/stop.sh\n[stderr]Error: No such container: web\nScript at specified location: scripts/stop.sh failed with exit code 1';
    expect(causes(tail)).toEqual(['script-failed']);
    expect(causes(tail, { context: { event: 'ApplicationStop' } })).toEqual(['application-stop-failing']);
    expect(causes('Script at specified location: s.sh failed', { context: { exitCode: 127 } })).toEqual([]);
    expect(causes('ScriptFailed', { context: { exitCode: 127 } })).toEqual(['runtime-exit-127']);
  });

  it('counts input lines, not pattern hits: two patterns on one line are one line', () => {
    const { findings } = diagnoseText(rules, 'ScriptFailed: Script at specified location: a.sh failed with exit code 1\nScriptFailed');
    expect(findings[0]?.occurrences).toBe(2);
  });
});

describe('bytes and strings give the same diagnosis', () => {
  it.each([
    ['plain', 'LifecycleEvent - ApplicationStop\nScript at specified location: a.sh failed with exit code 1\n'],
    ['CRLF and non-ASCII', 'ApplicationStop 단계에서 실패\r\nScript at specified location: 스크립트.sh failed with exit code 1\r\n'],
    ['hard-wrapped at 80', `${'x'.repeat(41)} Script at specified location: a.sh fai\nled with exit code 1\nnext`],
    ['no final newline', 'No space left on device'],
  ])('%s', (_name, text) => {
    const fromString = diagnoseText(rules, text);
    for (const size of [1, 3, 7, 4096]) {
      const diagnoser = new Diagnoser(rules);
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; at += size) diagnoser.pushBytes(bytes.subarray(at, at + size));
      expect(diagnoser.end(), `chunks of ${size}`).toEqual(fromString);
    }
  });
});

describe('hard wraps', () => {
  it('joins a line cut at 80 columns before matching', () => {
    const line = `${'x'.repeat(41)} Script at specified location: a.sh fai`;
    expect(line).toHaveLength(80);
    expect(causes(`${line}\nled with exit code 1\nnext`)).toEqual(['script-failed']);
  });

  it("never joins a log tail's [stderr] line to an output line that happens to be as long as a terminal row", () => {
    const stdout = `[stdout]${'building assets '.repeat(7)}`.slice(0, 100);
    expect(stdout).toHaveLength(100);
    const lines: string[] = [];
    const reader = new LineReader((line) => lines.push(line.text));
    reader.pushText(`${stdout}\n[stderr]scripts/build.sh: line 3: npm: command not found\n`);
    reader.end();
    expect(lines).toEqual([stdout, '[stderr]scripts/build.sh: line 3: npm: command not found']);
  });
});
