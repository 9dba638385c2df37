import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Diagnoser, diagnoseText } from '../../../src/diagnose/engine.js';
import { rulesOf } from '../../../src/doctor/rules.js';
import { renderText, toJson } from '../../../src/doctor/report.js';
import { buildFindings } from '../../../src/doctor/findings.js';
import { onlineJson, renderMarkdown, renderOnlineText, type OnlineReport } from '../../../src/doctor/online-report.js';
import { createStyle } from '../../../src/io/terminal.js';
import { hostileText, leaked, plantedSecret } from '../../helpers/fuzz.js';
import { sourceKb } from '../../helpers/kb.js';

// Fixed seeds: a failure names its input and reproduces.
const SEED = 20_261_203;
const rules = rulesOf(sourceKb());
const patterns = rules.reduce((sum, rule) => sum + rule.match.length + rule.requires.length + rule.unless.length, 0);

function checkLinear(diagnoser: Diagnoser): void {
  const work = diagnoser.work;
  // A line that ends in a later chunk is looked at again then: every character at most twice.
  expect(work.gateChars).toBeLessThanOrEqual(2 * work.chars + 1);
  expect(work.cleanedChars).toBeLessThanOrEqual(work.chars);
  expect(work.slowLines).toBeLessThanOrEqual(work.lines);
  // Per logical line: at most every pattern plus the two per-line gates, each over that line once.
  expect(work.regexRuns).toBeLessThanOrEqual((patterns + 2) * work.slowLines);
  expect(work.regexChars).toBeLessThanOrEqual((patterns + 2) * (work.cleanedChars + work.lines));
}

describe('the diagnosis engine on hostile input', () => {
  it('never throws and does work linear in the input (text pushed as a string and as bytes)', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 70_000 }), (text, chunk) => {
        const fromString = new Diagnoser(rules);
        for (let at = 0; at < text.length; at += chunk) fromString.push(text.slice(at, at + chunk));
        fromString.end();
        expect(fromString.work.chars).toBe(text.length);
        checkLinear(fromString);
        const fromBytes = new Diagnoser(rules);
        const bytes = Buffer.from(text, 'utf8');
        for (let at = 0; at < bytes.length; at += chunk) fromBytes.pushBytes(bytes.subarray(at, at + chunk));
        fromBytes.end();
        checkLinear(fromBytes);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('handles the inputs that used to be slow or crash: 65 KB of backslashes, a 65,535-character word', () => {
    for (const text of ['\\'.repeat(65 * 1024), 'w'.repeat(65_535), `${'\\"'.repeat(40_000)}\n`]) {
      const diagnoser = new Diagnoser(rules);
      diagnoser.push(text);
      expect(diagnoser.end().recognised).toBe(false);
      checkLinear(diagnoser);
      expect(diagnoser.work.cleanedChars).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('secrets planted in random text', () => {
  it('never appear in the text or JSON output', () => {
    const style = createStyle(false);
    fc.assert(
      fc.property(plantedSecret, ({ text, secret, kind }) => {
        const diagnosis = diagnoseText(rules, text);
        expect(diagnosis.recognised, `${kind}: the message next to the secret is recognised`).toBe(true);
        const report = { ...diagnosis, suggestions: [] };
        const outputs = [renderText(report, style, 100), JSON.stringify(toJson(report))];
        for (const output of outputs) expect(leaked(secret, output), `${kind} leaked from:\n${text}\ninto:\n${output}`).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('secrets planted in online evidence', () => {
  it('never appear in the online text, JSON or markdown report', () => {
    const kb = sourceKb();
    const style = createStyle(false);
    fc.assert(
      fc.property(plantedSecret, ({ text, secret, kind }) => {
        const findings = buildFindings([{ source: { kind: 'deployment', deploymentId: 'd-AB12CD34E' }, text }], [], rules, kb);
        const report: OnlineReport = { region: 'us-east-1', application: 'web', group: 'prod', targetsRead: 0, findings, checks: [], ssm: { status: 'disabled', note: 'off' }, remedies: [] };
        const outputs = [renderOnlineText(report, style, { width: 100, all: false }), JSON.stringify(onlineJson(report)), renderMarkdown(report, { version: '0.0.0', generatedAt: new Date(0), accountIds: false })];
        for (const output of outputs) expect(leaked(secret, output), `${kind} leaked from:\n${text}\ninto:\n${output}`).toBe(false);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
