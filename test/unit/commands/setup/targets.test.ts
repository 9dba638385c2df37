import { describe, expect, it } from 'vitest';
import type { Ec2Instance } from '../../../../src/aws/ports/index.js';
import { explainDeploymentConfig, instanceKeywords, instanceTable, tagMatchNote } from '../../../../src/commands/setup/targets.js';
import { instancesMatching, parseTagList } from '../../../../src/codedeploy/tags.js';

const instance = (id: string, extra: Partial<Ec2Instance> = {}): Ec2Instance => ({ id, state: 'running', tags: {}, ...extra });

const FLEET = [
  instance('i-0aaaaaaaaaaaaaaa1', { name: 'web-1', tags: { Name: 'web-1', Env: 'prod', Role: 'web' } }),
  instance('i-0aaaaaaaaaaaaaaa2', { name: 'web-2', tags: { Name: 'web-2', Env: 'prod', Role: 'api' } }),
  instance('i-0aaaaaaaaaaaaaaa3', { state: 'stopped', tags: { Env: 'staging' }, profileArn: 'arn:aws:iam::123456789012:instance-profile/team/Legacy' }),
];

describe('instance table', () => {
  it('aligns id, Name, state, current profile and tags under their titles', () => {
    const table = instanceTable(FLEET, 100);
    expect([table.header, ...table.rows]).toEqual([
      'INSTANCE             NAME   STATE    INSTANCE PROFILE  TAGS',
      'i-0aaaaaaaaaaaaaaa1  web-1  running  —                 Env=prod, Role=web',
      'i-0aaaaaaaaaaaaaaa2  web-2  running  —                 Env=prod, Role=api',
      'i-0aaaaaaaaaaaaaaa3         stopped  Legacy            Env=staging',
    ]);
  });

  it('caps long names and cuts the tags to the width with …', () => {
    const wide = instance('i-0aaaaaaaaaaaaaaa1', {
      name: 'a-very-long-instance-name-indeed',
      tags: { Name: 'x', Owner: 'platform-team', Service: 'checkout-service', Team: 'payments' },
      profileArn: 'arn:aws:iam::123456789012:instance-profile/AVeryLongInstanceProfileNameForCheckout',
    });
    const row = instanceTable([wide], 100).rows[0] ?? '';
    expect(row).toBe('i-0aaaaaaaaaaaaaaa1  a-very-long-instanc…  running  AVeryLongInstanceProfileNam…  Owner=platform-te…');
    expect(row.length).toBe(100);
    expect(row.endsWith('…')).toBe(true);
    // Narrower: the tags give way first (the picker still finds them by typing), then Name and profile.
    const narrow = instanceTable([wide], 72).rows[0] ?? '';
    expect(narrow.length).toBeLessThanOrEqual(72);
    expect(narrow).toBe('i-0aaaaaaaaaaaaaaa1  a-very-long-instanc…  running  AVeryLongInstancePr…');
    expect(instanceKeywords(wide)).toContain('Owner=platform-team, Service=checkout-service, Team=payments');
  });

  it('fits an 80-column picker: id, name, state and profile; ids are never cut, names are', () => {
    const fleet = [...FLEET, instance('i-0aaaaaaaaaaaaaaa4', { name: 'checkout-api-production-blue-42', tags: { Env: 'prod' } })];
    // The picker's labels start 3 columns in and keep a margin of 2.
    const table = instanceTable(fleet, 75);
    expect(table.header).toBe('INSTANCE             NAME                  STATE    INSTANCE PROFILE');
    expect(table.rows[3]).toBe('i-0aaaaaaaaaaaaaaa4  checkout-api-produc…  running  —');
    expect([table.header, ...table.rows].every((row) => row.length <= 75)).toBe(true);
    for (const [i, one] of fleet.entries()) expect(table.rows[i]?.startsWith(`${one.id}  `)).toBe(true);
    // Down to 40 columns, the id is still whole.
    expect(instanceTable(fleet, 40).rows.every((row, i) => row.startsWith(fleet[i]?.id ?? '?'))).toBe(true);
  });
});

describe('tags', () => {
  it('one group is OR, several are AND', () => {
    expect(instancesMatching(FLEET, [parseTagList('Env=prod Env=staging')])).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3']);
    expect(instancesMatching(FLEET, [parseTagList('Env=prod'), parseTagList('Role=api')])).toEqual(['i-0aaaaaaaaaaaaaaa2']);
    expect(instancesMatching(FLEET, [parseTagList('Role')])).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2']);
    expect(instancesMatching(FLEET, [])).toEqual([]);
  });

  it('the live note counts matches and the picked instances setup will tag', () => {
    expect(tagMatchNote(FLEET, [parseTagList('Env=prod')], [])).toBe('2 instances match Env=prod');
    expect(tagMatchNote(FLEET, [parseTagList('Env=staging')], [])).toBe('1 instance matches Env=staging');
    expect(tagMatchNote(FLEET, [parseTagList('Env=prod')], ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa3'])).toBe('2 instances match Env=prod (+1 picked, tagged by setup)');
    expect(tagMatchNote(FLEET, [parseTagList('Env=prod'), parseTagList('Role=web Role=api')], [])).toBe('2 instances match Env=prod, and Role=web or Role=api');
    expect(tagMatchNote(FLEET, [parseTagList('Team')], [])).toBe('0 instances match Team (any value)');
  });
});

describe('deployment configurations explained with the instance count', () => {
  it.each([
    ['CodeDeployDefault.OneAtATime', 3, '3 instances: one at a time; the deployment fails if any instance but the last fails.'],
    ['CodeDeployDefault.OneAtATime', 1, '1 instance: the deployment fails if it fails.'],
    ['CodeDeployDefault.HalfAtATime', 9, '9 instances: 4 at a time; at least 5 must succeed, or the deployment fails.'],
    ['CodeDeployDefault.HalfAtATime', 2, '2 instances: 1 at a time; at least 1 must succeed, or the deployment fails.'],
    ['CodeDeployDefault.AllAtOnce', 3, '3 instances: all at once (the application is down while they restart); succeeds if at least 1 does.'],
    ['CodeDeployDefault.AllAtOnce', 0, 'Every instance at once (the application is down while they restart); succeeds if one instance does.'],
  ] as const)('%s with %i', (config, count, text) => {
    expect(explainDeploymentConfig(config, count)).toBe(text);
  });
});
