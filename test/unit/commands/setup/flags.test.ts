import { describe, expect, it } from 'vitest';
import { draftFromFlags } from '../../../../src/commands/setup/flags.js';

describe('flags', () => {
  it('split comma lists, drop duplicates and build one OR group from --tag', () => {
    const { draft, problems } = draftFromFlags({
      app: 'web',
      instances: ['i-0123456789abcdef0,i-0123456789abcdef1', 'i-0123456789abcdef0'],
      asg: ['a,b'],
      tag: ['Env=prod', 'Role'],
      deploymentConfig: 'halfatatime',
      rollback: false,
    });
    expect(problems).toEqual([]);
    expect(draft).toEqual({
      app: 'web',
      instances: ['i-0123456789abcdef0', 'i-0123456789abcdef1'],
      asg: ['a', 'b'],
      tagGroups: [[{ key: 'Env', value: 'prod' }, { key: 'Role' }]],
      deploymentConfig: 'CodeDeployDefault.HalfAtATime',
      rollback: false,
    });
  });

  it('build one AND group per --tag-group', () => {
    const { draft } = draftFromFlags({ tagGroup: ['Env=prod', 'Role=web,Role=api'] });
    expect(draft.tagGroups).toEqual([[{ key: 'Env', value: 'prod' }], [{ key: 'Role', value: 'web' }, { key: 'Role', value: 'api' }]]);
  });

  it('refuse --tag with --tag-group', () => {
    const { problems } = draftFromFlags({ tag: ['a=b'], tagGroup: ['c=d'] });
    expect(problems.map((p) => p.flag)).toEqual(['--tag']);
  });

});

