import { ErrorCode } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../../src/diagnose/engine.js';
import { rulesOf } from '../../../src/doctor/rules.js';
import { sourceKb } from '../../helpers/kb.js';

// Every deployment error code the API can return names a cause with an article, in the form CodeDeploy
// prints it ("… (Error code: X)"), as JSON (errorInformation.code) and as the CLI's text output shows it.
const kb = sourceKb();
const rules = rulesOf(kb);

describe('deployment error codes', () => {
  it.each(Object.values(ErrorCode))('%s maps to a cause with an article', (code) => {
    for (const text of [`The deployment failed. (Error code: ${code})`, `"errorInformation": {"code": "${code}", "message": "…"}`]) {
      const { findings } = diagnoseText(rules, text);
      expect(findings.length, text).toBeGreaterThan(0);
      const article = kb.articleForCause(findings[0]?.cause ?? '');
      expect(article?.id, `${code} -> ${findings[0]?.cause}`).toBe(findings[0]?.cause);
    }
  });
});
