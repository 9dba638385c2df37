// How the fix report lays out a fix step's command at 80 columns: never cut inside a word (a terminal's own wrap
// would), broken at spaces with ` \` continuations that paste back into a shell as the same command.
import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../../src/diagnose/engine.js';
import { renderText } from '../../../src/doctor/report.js';
import { shellWords, wrapCommand } from '../../../src/wrap.js';
import { rulesOf } from '../../../src/doctor/rules.js';
import { createStyle } from '../../../src/io/terminal.js';
import { sourceKb } from '../../helpers/kb.js';

const CREATE_DEPLOYMENT =
  'aws deploy create-deployment --application-name <application> --deployment-group-name <deployment-group> --s3-location bucket=<bucket>,key=<key>,bundleType=zip --ignore-application-stop-failures';

/** The command a shell reads from the printed lines: continuations joined, indentation dropped. */
const pasted = (lines: readonly string[]) => lines.map((line) => line.trim()).join('\n').replace(/ \\\n/g, ' ');

describe('a command in the fix report', () => {
  it('longer than 80 columns: broken at spaces only, each line within 80, an option kept with its value', () => {
    const lines = wrapCommand(CREATE_DEPLOYMENT, 80, '       ');
    expect(lines).toEqual([
      '       aws deploy create-deployment --application-name <application> \\',
      '         --deployment-group-name <deployment-group> \\',
      '         --s3-location bucket=<bucket>,key=<key>,bundleType=zip \\',
      '         --ignore-application-stop-failures',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(pasted(lines)).toBe(CREATE_DEPLOYMENT);
  });

  it('that fits stays one line; a Windows command and a word longer than the line stay whole', () => {
    expect(wrapCommand('sudo service codedeploy-agent status', 80, '    ')).toEqual(['    sudo service codedeploy-agent status']);
    const powershell = 'powershell.exe -Command "Start-Service -Name codedeployagent; Get-Service -Name codedeployagent; Get-Service -Name codedeployagent"';
    expect(wrapCommand(powershell, 80, '    ')).toEqual([`    ${powershell}`]);
    const path = `/opt/codedeploy-agent/deployment-root/deployment-instructions/${'x'.repeat(40)}_last_successful_install`;
    const lines = wrapCommand(`sudo cat ${path}`, 80, '    ');
    expect(lines.map((line) => line.trim())).toContain(path);
    expect(pasted(lines)).toBe(`sudo cat ${path}`);
  });

  it('never splits a quoted argument, whatever spaces it holds', () => {
    const command = "curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' -o /dev/null -w '%{http_code}\\n'";
    expect(shellWords(command)).toContain("'X-aws-ec2-metadata-token-ttl-seconds: 60'");
    const lines = wrapCommand(command, 60, '  ');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.includes("-H 'X-aws-ec2-metadata-token-ttl-seconds: 60'"))).toBe(true);
    expect(pasted(lines)).toBe(command);
  });

  it('in the report of an ApplicationStop failure at 80 columns, no line passes 80 and the command pastes back whole', () => {
    const report = diagnoseText(rulesOf(sourceKb()), 'LifecycleEvent - ApplicationStop\nScript at specified location: scripts/stop_server run as user root failed with exit code 1');
    const text = renderText({ ...report, suggestions: [] }, createStyle(false), 80);
    const start = text.split('\n').findIndex((line) => line.trim().startsWith('aws deploy create-deployment'));
    expect(start).toBeGreaterThan(0);
    const commandLines = text.split('\n').slice(start, start + 4);
    expect(pasted(commandLines)).toBe(CREATE_DEPLOYMENT);
    for (const line of commandLines) expect(line.length).toBeLessThanOrEqual(80);
    // The words a terminal would have cut at column 80 are whole on their lines.
    expect(commandLines.join('\n')).toContain('--ignore-application-stop-failures');
  });
});
