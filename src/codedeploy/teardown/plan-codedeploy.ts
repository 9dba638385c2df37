import { madeByUs } from '../state.js';
import { list, deletion, removal, type Builder, type Context } from './builder.js';

/**
 * The deployment group (and launch hooks CodeDeploy left behind when it went) and the application: the group goes
 * first, and the application only when no other group remains in it.
 */

function leftoverHookSteps(b: Builder, c: Context, group: string): void {
  for (const left of c.observed.hooks) {
    b.steps.push(
      removal({
        id: `launch-hooks:${left.asg}`,
        resource: 'deploymentGroup',
        summary: `Delete the launch hook${left.hooks.length === 1 ? '' : 's'} CodeDeploy left on Auto Scaling group ${left.asg} for ${group}`,
        title: `Deleting launch hooks on ${left.asg}`,
        doneTitle: `Deleted the launch hooks on ${left.asg}`,
        reason: 'the deployment group is gone; its hooks would hold every new instance until they time out',
        calls: ['autoscaling:DeleteLifecycleHook'],
        op: { type: 'delete-launch-hooks', asg: left.asg, hooks: left.hooks },
      }),
    );
  }
}

export function planGroup(b: Builder, c: Context): void {
  const record = c.input.state.deploymentGroup;
  if (!record || c.app === undefined) return;
  const observed = c.observed.group;
  // Only a group of ours already gone can have left hooks behind (observe looks for them only then).
  if (!observed && madeByUs(record)) leftoverHookSteps(b, c, record.name);
  if (b.triage('deploymentGroup', `deployment group ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const asgs = observed.info.autoScalingGroups;
  b.steps.push(
    removal({
      id: 'deployment-group',
      resource: 'deploymentGroup',
      summary: `Delete deployment group ${record.name} of application ${c.app}`,
      title: `Deleting deployment group ${record.name}`,
      doneTitle: `Deleted deployment group ${record.name}`,
      ...(asgs.length > 0 ? { reason: `CodeDeploy removes the launch hook it installed on ${list(asgs)} with it (teardown removes any it reports it could not)` } : {}),
      calls: ['codedeploy:DeleteDeploymentGroup'],
      op: { type: 'delete-deployment-group', application: c.app, group: record.name },
    }),
  );
  c.groupRemoved = true;
}

export function planApplication(b: Builder, c: Context): void {
  const record = c.input.state.application;
  if (!record) return;
  const observed = c.observed.application;
  if (b.triage('application', `application ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const others = observed.groups.filter((name) => !(c.groupRemoved && name === c.group));
  if (others.length > 0) {
    b.keep(`application ${record.name}`, `still has deployment group${others.length === 1 ? '' : 's'} ${list(others)}`);
    return;
  }
  b.steps.push(
    deletion({
      id: 'application',
      resource: 'application',
      what: `application ${record.name}`,
      calls: ['codedeploy:DeleteApplication'],
      op: { type: 'delete-application', name: record.name },
    }),
  );
}
