import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../../src/codedeploy/observe.js';
import { computePlan } from '../../../../src/codedeploy/plan.js';
import { wantedTrust } from '../../../../src/codedeploy/trust.js';
import { groupSteps, planToJson, renderPlan } from '../../../../src/commands/setup/render.js';
import { createStyle } from '../../../../src/io/terminal.js';
import { ACCOUNT, emptyObservation, setupAnswers } from '../../../helpers/fixtures.js';

/** The plan as a user reads it: grouped by resource, wrapped at the terminal's width, policy documents folded. */

const PLAIN = createStyle(false);
const answers = setupAnswers({ tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]], ssm: true });
const fresh = () => computePlan(answers, emptyObservation(), { recorded: {} });

/** A service role someone else made, trusting EC2 instead of CodeDeploy: its repair needs its own yes. */
function foreignRole(): Observation {
  const trust = wantedTrust('ec2', { partition: 'aws', account: ACCOUNT }).document;
  return {
    ...emptyObservation(),
    serviceRole: { role: { name: 'CodeDeployServiceRole', arn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`, path: '/', trust, tags: {} }, attached: [], inline: {} },
  };
}

describe('renderPlan', () => {
  it('groups the steps by resource: one line per resource, the other steps on it indented under it', () => {
    const plan = fresh();
    expect(groupSteps(plan.steps).map((group) => group.map((step) => step.id))[0]).toEqual(['service-role', 'service-role-policy']);
    const lines = renderPlan(plan, PLAIN, { width: 80 }).split('\n');
    const at = lines.indexOf('  + Create service role CodeDeployServiceRole');
    expect(lines[at + 1]).toBe('      + Attach AWSCodeDeployRole to CodeDeployServiceRole');
    expect(lines).toContain('  + Create instance role CodeDeployInstanceRole');
    expect(lines).toContain('      + Attach AmazonSSMManagedInstanceCore to CodeDeployInstanceRole');
  });

  it('fits 80 columns and a 24-row terminal for a fresh setup, breaking lines between words only', () => {
    const text = renderPlan(fresh(), PLAIN, { width: 80 });
    const lines = text.split('\n');
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(20);
    // Every word of the long deployment-group line is still there, whole.
    expect(text.replace(/\n\s+/g, ' ')).toContain('+ Create deployment group prod for instances tagged cd-wizard:group=web/prod (OneAtATime, rollback on failure on)');
  });

  it('folds the policy documents to one line that says how to read them', () => {
    const text = renderPlan(fresh(), PLAIN, { width: 80 });
    expect(text).not.toContain('Allow sts:AssumeRole');
    expect(text).not.toContain('iam:CreateRole');
    expect(text).toContain('3 policy documents folded: --verbose shows them statement by statement.');
  });

  it('--verbose shows every statement and each step’s AWS calls; the JSON always has the documents', () => {
    const plan = fresh();
    const text = renderPlan(plan, PLAIN, { verbose: true });
    expect(text).toContain('  + Create service role CodeDeployServiceRole   iam:CreateRole');
    expect(text).toContain('Allow sts:AssumeRole by service codedeploy.amazonaws.com');
    expect(text).toContain('Allow s3:GetObject, s3:GetObjectVersion on arn:aws:s3:::my-revisions/*, arn:aws:s3:::aws-codedeploy-eu-west-1/*');
    expect(text).not.toContain('folded');
    expect(planToJson(plan).steps.find((step) => step.id === 'service-role')?.documents[0]?.document.Statement.length).toBe(1);
  });

  it('keeps a change to what cd-wizard did not create whole when folded: the current value and what is added', () => {
    const plan = computePlan(answers, foreignRole(), { recorded: {} });
    const text = renderPlan(plan, PLAIN, { width: 80 });
    expect(text.replace(/\n\s+/g, ' ')).toContain('now: Allow sts:AssumeRole by service ec2.amazonaws.com');
    expect(text.replace(/\n\s+/g, ' ')).toContain('Allow sts:AssumeRole by service codedeploy.amazonaws.com');
    expect(text).toContain('(--change-foreign)');
  });

  it('keeps every line whole when there is no width (a pipe or a file)', () => {
    const text = renderPlan(fresh(), PLAIN);
    expect(text).toContain('  + Create deployment group prod for instances tagged cd-wizard:group=web/prod (OneAtATime, rollback on failure on)');
    expect(text).toContain('Plan for account 123456789012 in eu-west-1\n  as arn:aws:sts::123456789012:assumed-role/Admin/alice\n');
  });
});
