import { describe, expect, it } from 'vitest';
import { compileRules, diagnoseText } from '../../../src/diagnose/engine.js';
import { EVIDENCE_WIDTH, escapeControls, quoteLine } from '../../../src/diagnose/evidence.js';
import type { CauseRule } from '../../../src/kb/types.js';

// Key material below is AWS's documented example format, not real credentials.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const rule: CauseRule = { cause: 's3-key-not-found', title: 't', severity: 'error', specificity: 90, match: ['The specified key does not exist'], explain: 'e', fix: [{ text: 'f' }] };
const rules = compileRules([{ rule, guide: 's3-key-not-found' }]);
const evidenceOf = (text: string) => diagnoseText(rules, text).findings[0]?.evidence[0]?.text ?? '';

describe('evidence', () => {
  it('masks a secret before cutting the window, so no part of it survives at the edge', () => {
    // The secret straddles where a 240-character window centred on the match would start.
    for (let shift = 0; shift < 60; shift += 7) {
      const text = `${'a '.repeat(30 + shift)}aws_secret_access_key=${SECRET} ${'b '.repeat(40)}The specified key does not exist ${'c '.repeat(200)}`;
      const evidence = evidenceOf(text);
      expect(evidence).toContain('The specified key does not exist');
      for (let i = 0; i + 8 <= SECRET.length; i += 1) expect(evidence).not.toContain(SECRET.slice(i, i + 8));
    }
  });

  it('masks a secret split over two lines, on the evidence line and from its neighbour', () => {
    const text = `aws_secret_access_key = ${SECRET.slice(0, 22)}\n${SECRET.slice(22)} The specified key does not exist`;
    const evidence = evidenceOf(text);
    expect(evidence).not.toContain(SECRET.slice(22));
    expect(evidence).toContain('The specified key does not exist');
  });

  it('does not cut through a code span or a quoted path when it can move the edge', () => {
    const quoted = '`/opt/codedeploy-agent/deployment-root/deployment-archive/scripts/start.sh`';
    const text = `${'word '.repeat(10)}${quoted} ${'filler '.repeat(13)}The specified key does not exist${' tail'.repeat(100)}`;
    const evidence = evidenceOf(text);
    expect(evidence.length).toBeLessThanOrEqual(EVIDENCE_WIDTH + 60);
    const ticks = evidence.split('`').length - 1;
    expect(ticks % 2).toBe(0);
  });

  it('does not cut in the middle of a word', () => {
    const text = `${'abcdefghijklm '.repeat(30)}The specified key does not exist ${'nopqrstuvwxyz '.repeat(40)}`;
    const evidence = evidenceOf(text).replace(/^…|…$/g, '');
    expect(evidence.length).toBeLessThan(text.length);
    expect(evidence.split(' ').every((word) => word === '' || /^(?:abcdefghijklm|nopqrstuvwxyz|The|specified|key|does|not|exist)$/.test(word))).toBe(true);
  });

  it('escapes terminal control characters so a log line cannot retitle or clear the terminal', () => {
    const evil = 'The specified key does not exist \u001b]0;owned\u0007\u001b[2J\u001bc\u0008\u009b31m';
    const evidence = evidenceOf(evil);
    expect(evidence).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(escapeControls('a\u001bb\tc')).toBe('a\\x1bb c');
  });

  it('quotes short lines whole, trimmed', () => {
    expect(quoteLine('   The specified key does not exist   ', 3, 10, '', '', {})).toBe('The specified key does not exist');
  });
});
