import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../../src/diagnose/engine.js';
import { rulesOf } from '../../../src/doctor/rules.js';
import { causeFixtures, sourceKb } from '../../helpers/kb.js';

const rules = rulesOf(sourceKb());

describe.each(causeFixtures())('diagnosis of $cause ($file)', ({ cause, positive, negative }) => {
  it.each(positive)('recognises: $name', ({ text, first }) => {
    const { findings } = diagnoseText(rules, text);
    const causes = findings.map((finding) => finding.cause);
    expect(causes).toContain(cause);
    if (first !== false) expect(causes[0]).toBe(cause);
    const finding = findings.find((f) => f.cause === cause);
    // The evidence quotes the input, so the user sees why the cause was named.
    expect(finding?.evidence.length).toBeGreaterThan(0);
  });

  it.each(negative)('does not claim it for: $name', ({ text }) => {
    const { findings } = diagnoseText(rules, text);
    expect(findings.map((finding) => finding.cause)).not.toContain(cause);
  });
});
