// `npm run bench -- fuzz`: the fuzz tests' generators at a larger scale, with figures instead of assertions:
// how many hostile inputs ran and the worst time per MiB, how many planted secrets were tried and how many leaked.
import fc from 'fast-check';
import { renderText, toJson } from '../src/doctor/report.js';
import { buildFindings } from '../src/doctor/findings.js';
import { onlineJson, renderMarkdown, renderOnlineText, type OnlineReport } from '../src/doctor/online-report.js';
import { rulesOf } from '../src/doctor/rules.js';
import { Diagnoser, diagnoseText } from '../src/diagnose/engine.js';
import { createStyle } from '../src/io/terminal.js';
import { Kb } from '../src/kb/kb.js';
import { loadSource } from '../src/kb/source.js';
import { hostileText, leaked, plantedSecret } from '../test/helpers/fuzz.js';

export function run(contentDir: string, hostileRuns = 300, secretRuns = 3000): string[] {
  const kb = new Kb(loadSource(contentDir).articles);
  const rules = rulesOf(kb);
  const inputs = [
    ...fc.sample(hostileText, { seed: 7, numRuns: hostileRuns }),
    '\\'.repeat(1 << 20),
    '\\"'.repeat(1 << 19),
    'Script at specified location: '.repeat(35_000),
    `${'x'.repeat(79)}\n`.repeat(13_000),
    'A'.repeat(1 << 20),
    `${'.'.repeat(65_000)} failed to close STDOUT\n`.repeat(16),
  ];
  // Warm up (regex compilation, JIT) so the first input does not carry it.
  diagnoseText(rules, inputs[0] ?? '');
  let worst = 0;
  let worstInput = '';
  let bytesTotal = 0;
  for (const text of inputs) {
    const bytes = Buffer.byteLength(text);
    bytesTotal += bytes;
    for (const asBytes of [false, true]) {
      const started = performance.now();
      const diagnoser = new Diagnoser(rules);
      if (asBytes) diagnoser.pushBytes(Buffer.from(text));
      else diagnoser.push(text);
      diagnoser.end();
      // Per MiB only where it means something: inputs of 64 KiB and more (smaller ones are fixed overhead).
      const msPerMiB = bytes >= 65_536 ? (performance.now() - started) / (bytes / 1048576) : 0;
      if (msPerMiB > worst) {
        worst = msPerMiB;
        worstInput = `${JSON.stringify(text.slice(0, 40))}… (${(bytes / 1024).toFixed(0)} KiB, ${asBytes ? 'bytes' : 'string'})`;
      }
    }
  }
  const style = createStyle(false);
  let leaks = 0;
  const byKind = new Map<string, number>();
  for (const { text, secret, kind } of fc.sample(plantedSecret, { seed: 11, numRuns: secretRuns })) {
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const diagnosis = diagnoseText(rules, text);
    const report = { ...diagnosis, suggestions: [] };
    // The same text as online evidence (a deployment's error message): the online text, JSON and markdown report.
    const findings = buildFindings([{ source: { kind: 'deployment', deploymentId: 'd-AB12CD34E' }, text }], [], rules, kb);
    const online: OnlineReport = { region: 'us-east-1', application: 'web', group: 'prod', targetsRead: 0, findings, checks: [], ssm: { status: 'disabled', note: 'off' }, remedies: [] };
    const outputs = [
      renderText(report, style, 100),
      JSON.stringify(toJson(report)),
      renderOnlineText(online, style, { width: 100, all: false }),
      JSON.stringify(onlineJson(online)),
      renderMarkdown(online, { version: '0', generatedAt: new Date(0), accountIds: false }),
    ];
    if (outputs.some((output) => leaked(secret, output))) leaks += 1;
  }
  return [
    `fuzz: ${inputs.length} hostile inputs (${(bytesTotal / 1048576).toFixed(1)} MiB, each as a string and as bytes): worst ${worst.toFixed(0)} ms per MiB on ${worstInput}`,
    `  ${secretRuns} planted secrets (${[...byKind].map(([kind, count]) => `${count} ${kind}`).join(', ')}): ${leaks} leaked into any output (offline text and JSON; online text, JSON and markdown report)`,
  ];
}
