import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../../../src/commands/init/render.js';
import { kindDefaults, type ScaffoldAnswers } from '../../../../src/scaffold/types.js';

const STATIC: ScaffoldAnswers = { kind: 'static', name: 'shop', healthPath: '/', version: '1.2.3', source: 'public', ...kindDefaults('static', 'shop') };

describe("init's next steps", () => {
  it('deploy with cd-wizard deploy, naming the flags the answers file does not fill', () => {
    const deployStep = (target: Parameters<typeof nextSteps>[2]) => nextSteps(STATIC, tmpdir(), target).find((step) => step.startsWith('Deploy:'));
    expect(deployStep({ app: 'shop', group: 'prod', bucket: 'shop-revisions' })).toBe('Deploy: cd-wizard deploy (lints this folder, uploads it to s3://shop-revisions/shop/, deploys it to shop/prod and watches it).');
    expect(deployStep({})).toBe('Deploy: cd-wizard deploy --app <application> --group <deployment-group> --bucket <bucket> (cd-wizard setup writes them to cd-wizard.json).');
    expect(deployStep({ app: 'shop', group: 'prod' })).toBe('Deploy: cd-wizard deploy --bucket <bucket> (cd-wizard setup writes them to cd-wizard.json).');
  });
});
