import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TargetTag } from '../../../src/aws/types.js';
import { describeTagGroups, ec2FilterFor, matchesTagGroups, sameTagGroups, tagMatches, tagsToAdd } from '../../../src/codedeploy/tags.js';

describe('tag filters, as CodeDeploy reads them', () => {
  const tags = { Env: 'prod', Role: 'web' };

  it('KEY_ONLY, VALUE_ONLY and KEY_AND_VALUE', () => {
    expect(tagMatches({ key: 'Env' }, tags)).toBe(true);
    expect(tagMatches({ key: 'Team' }, tags)).toBe(false);
    // VALUE_ONLY ({ key: '' , value }): the value under any key — setup and fix both read it so now.
    expect(tagMatches({ key: '', value: 'prod' }, tags)).toBe(true);
    expect(tagMatches({ key: '', value: 'staging' }, tags)).toBe(false);
    expect(tagMatches({ key: 'Env', value: 'prod' }, tags)).toBe(true);
    expect(tagMatches({ key: 'Env', value: 'web' }, tags)).toBe(false);
  });

  it('one group is OR, several groups are AND, none selects nothing', () => {
    expect(matchesTagGroups([[{ key: 'Env', value: 'staging' }, { key: 'Role', value: 'web' }]], tags)).toBe(true);
    expect(matchesTagGroups([[{ key: 'Env', value: 'prod' }], [{ key: 'Role', value: 'api' }]], tags)).toBe(false);
    expect(matchesTagGroups([], tags)).toBe(false);
    expect(matchesTagGroups([[]], tags)).toBe(false);
  });

  it('describes a selection in one wording', () => {
    expect(describeTagGroups([[{ key: 'Env', value: 'prod' }, { key: 'Env', value: 'staging' }], [{ key: 'Role' }], [{ key: '', value: 'blue' }]])).toBe(
      'Env=prod or Env=staging, and Role (any value), and any key = blue',
    );
    expect(describeTagGroups([])).toBe('no tags');
  });

  it('asks EC2 for the right candidates per filter type', () => {
    expect(ec2FilterFor({ key: 'Env' })).toEqual({ Name: 'tag-key', Values: ['Env'] });
    expect(ec2FilterFor({ key: '', value: 'prod' })).toEqual({ Name: 'tag-value', Values: ['prod'] });
    expect(ec2FilterFor({ key: 'Env', value: 'prod' })).toEqual({ Name: 'tag:Env', Values: ['prod'] });
  });

  it('compares selections whatever their order', () => {
    expect(sameTagGroups([[{ key: 'A', value: '1' }, { key: 'B' }]], [[{ key: 'B' }, { key: 'A', value: '1' }]])).toBe(true);
    expect(sameTagGroups([[{ key: 'A', value: '1' }]], [[{ key: 'A' }]])).toBe(false);
  });

  it('names the conflicts tagging cannot solve', () => {
    expect(tagsToAdd([[{ key: '', value: 'prod' }]], {})).toMatchObject({ conflict: expect.stringContaining('names no tag key') });
    expect(tagsToAdd([[{ key: 'Env', value: 'a' }], [{ key: 'Env', value: 'b' }]], {})).toMatchObject({ conflict: expect.stringContaining('one value per key') });
  });
});

const key = fc.constantFrom('Env', 'Role', 'Team', 'Name');
const value = fc.constantFrom('prod', 'staging', 'web', 'api', '');
const tag: fc.Arbitrary<TargetTag> = fc.oneof(
  key.map((k) => ({ key: k })),
  fc.record({ key, value }),
  value.map((v) => ({ key: '', value: v })),
);
const groups = fc.array(fc.array(tag, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
const instanceTags = fc.dictionary(key, value, { maxKeys: 4 });

describe('properties (fast-check, fixed seed)', () => {
  it('the tags setup (or fix’s remedy) adds make the instance match, or the conflict is named', () => {
    fc.assert(
      fc.property(groups, instanceTags, (selection, current) => {
        const wanted = tagsToAdd(selection, current);
        if ('conflict' in wanted) return;
        expect(matchesTagGroups(selection, { ...current, ...wanted.tags })).toBe(true);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });
});
