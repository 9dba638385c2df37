import { describe, expect, it } from 'vitest';
import { step } from '../../../src/codedeploy/steps.js';
import { removalMessage } from '../../../src/commands/teardown/render.js';
import { stepMessage } from '../../../src/commands/setup/render.js';

const role = step({
  id: 'service-role',
  kind: 'create',
  resource: 'serviceRole',
  summary: 'Create service role R',
  title: 'Creating service role R',
  doneTitle: 'Created service role R',
  calls: ['iam:CreateRole'],
  op: { type: 'create-role', role: 'serviceRole', name: 'R', trust: { Version: '2012-10-17', Statement: [] }, description: 'd', tags: {} },
});

describe("setup's and teardown's progress lines", () => {
  it('say the same things in the same words, under each command’s own message codes', () => {
    const waiting = { type: 'waiting-for-iam', step: role, attempt: 1, delayMs: 4000, reason: 'propagation' } as const;
    expect(stepMessage(waiting)).toMatchObject({ code: 'setup.step.waiting', text: 'Creating service role R\nIAM changes are still spreading; retrying in 4 s (attempt 2)', live: { key: 'service-role' } });
    expect(removalMessage(waiting)).toMatchObject({ code: 'teardown.step.waiting', text: 'Creating service role R\nIAM changes are still spreading; retrying in 4 s (attempt 2)' });
    const done = { type: 'step-done', step: role, note: 'it already existed' } as const;
    expect(removalMessage(done)).toMatchObject({ code: 'teardown.step.done', level: 'success', text: 'Created service role R (it already existed)', live: { key: 'service-role', done: true } });
  });

  it('a skipped step: setup names a reuse by what it does, teardown by its summary', () => {
    const reuse = { ...role, kind: 'reuse' as const, doneTitle: 'Reusing service role R' };
    expect(stepMessage({ type: 'step-skip', step: reuse, reason: 'exists' }).text).toBe('- Reusing service role R (exists)');
    expect(removalMessage({ type: 'step-skip', step: reuse, reason: 'gone already' }).text).toBe('- Create service role R (gone already)');
  });
});
