import { describe, expect, it } from 'vitest';
import { completeAnswers, mergeAnswers, settingsFor, withDefaults } from '../../../src/codedeploy/answers.js';
import { UserError } from '../../../src/errors.js';

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}


describe('defaults and completeness', () => {
  it('fill names and tag chosen instances with a default tag; the group settings stay open (adopted or defaulted later)', () => {
    const full = withDefaults({ app: 'web', group: 'prod', instances: ['i-0123456789abcdef0'] });
    expect(full).toMatchObject({
      instanceRole: 'CodeDeployInstanceRole',
      instanceProfile: 'CodeDeployInstanceProfile',
      ssm: false,
      tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]],
    });
    expect(full.serviceRole).toBeUndefined();
    expect(full.deploymentConfig).toBeUndefined();
    expect(full.rollback).toBeUndefined();
  });

  it('win over the answers file, field by field', () => {
    expect(mergeAnswers({ app: 'old', group: 'g', ssm: true }, { app: 'new' })).toEqual({ app: 'new', group: 'g', ssm: true });
  });

  it('settle the group settings: the answer, else the existing group’s (adopted), else the default', () => {
    const existing = { serviceRoleName: 'Theirs', deploymentConfig: 'Custom.Two', rollback: false, targetGroups: ['tg'] };
    expect(settingsFor({}, undefined)).toEqual({ serviceRole: 'CodeDeployServiceRole', deploymentConfig: 'CodeDeployDefault.OneAtATime', rollback: true, adopted: [] });
    expect(settingsFor({}, existing)).toEqual({ serviceRole: 'Theirs', deploymentConfig: 'Custom.Two', rollback: false, targetGroup: 'tg', adopted: ['serviceRole', 'deploymentConfig', 'rollback', 'targetGroup'] });
    expect(settingsFor({ rollback: true }, existing)).toMatchObject({ rollback: true, adopted: ['serviceRole', 'deploymentConfig', 'targetGroup'] });
  });

  it('name every missing flag instead of waiting for input', () => {
    const error = thrown(() => completeAnswers({ region: 'eu-west-1', app: 'web' }, 'cd-wizard.json'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('--group');
    expect(error.message).toContain('--bucket');
    expect(error.message).toContain('--instances, --tag or --asg');
    expect(error.message).not.toContain('--app');
  });

  it('say "it" for one bad answer and "them" for several', () => {
    const complete = { region: 'eu-west-1', app: 'web', group: 'prod', bucket: 'my-revisions', instances: ['i-0123456789abcdef0'] };
    const one = thrown(() => completeAnswers({ ...complete, app: 'bad app' }, 'cd-wizard.json'));
    expect(one.message).toMatch(/^The answers have a problem:\n {2}• --app: /);
    expect(one.hint).toBe('Fix it and run again; nothing was changed in AWS.');
    const two = thrown(() => completeAnswers({ ...complete, app: 'bad app', bucket: 'UPPER' }, 'cd-wizard.json'));
    expect(two.message).toMatch(/^The answers have 2 problems:/);
    expect(two.hint).toBe('Fix them and run again; nothing was changed in AWS.');
  });
});

