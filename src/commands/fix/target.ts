import type { AwsPorts } from '../../aws/ports/index.js';
import { UsageError, UserError } from '../../errors.js';
import type { Choice, Prompter } from '../../prompt/prompter.js';

/**
 * Which deployment `fix` looks at: the application and group from --app/--group, ./cd-wizard.json or (on a
 * terminal) a pick list; the deployment from --deployment, else the group's latest (--wait) or its most recent
 * Failed/Stopped one.
 */

export type FixQuestionId = 'application' | 'group' | 'run-ssm' | 'remedy' | 'tag-instances';

export interface TargetChoice {
  application: string;
  group: string;
  /** Undefined: the group has no deployment to look at (checks still run). */
  deploymentId?: string;
  /** How the application and group were chosen, for the first line of output. */
  source: 'flags' | 'answers file' | 'picked' | 'deployment';
}

export interface TargetFlags {
  app?: string;
  group?: string;
  deployment?: string;
  wait?: boolean;
}

export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

function ago(date: Date | undefined, now: Date): string {
  if (!date) return '';
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** Each group with its latest deployment's status as the hint ("Failed d-ABC123456, 2 h ago"). */
export async function groupChoices(ports: AwsPorts, application: string, now: Date): Promise<Array<Choice<string>>> {
  const groups = await ports.codeDeploy.listDeploymentGroups(application);
  const hints = await Promise.all(
    groups.slice(0, 50).map(async (group) => {
      const [latest] = await ports.deployments.listDeployments(application, group, { limit: 1 });
      if (!latest) return 'no deployments yet';
      const deployment = await ports.deployments.getDeployment(latest);
      return `${deployment.status} ${deployment.id}${deployment.createdAt ? `, ${ago(deployment.createdAt, now)}` : ''}`;
    }),
  );
  return groups.map((group, index) => ({ label: group, value: group, ...(hints[index] ? { hint: hints[index] } : {}) }));
}

export async function pickApplicationAndGroup(ports: AwsPorts, prompter: Prompter<FixQuestionId>, known: { app?: string; group?: string }, now: Date): Promise<{ application: string; group: string }> {
  let application = known.app;
  if (application === undefined) {
    const apps = await ports.codeDeploy.listApplications();
    if (apps.length === 0) throw new UserError('There is no CodeDeploy application in this region.', { hint: 'Check --region, or create one with: cd-wizard setup' });
    application = await prompter.select({ id: 'application', message: 'Which application?', choices: apps.map((app) => ({ label: app, value: app })) });
  }
  let group = known.group;
  if (group === undefined) {
    const choices = await groupChoices(ports, application, now);
    if (choices.length === 0) throw new UserError(`Application ${application} has no deployment groups.`, { hint: 'Create one with: cd-wizard setup' });
    group = await prompter.select({ id: 'group', message: `Which deployment group of ${application}?`, help: 'The hint is the latest deployment.', choices });
  }
  return { application, group };
}

export interface ResolveOptions {
  flags: TargetFlags;
  answers: { app?: string; group?: string } | undefined;
  prompter: Prompter<FixQuestionId> | undefined;
  now: Date;
}

export async function resolveTarget(ports: AwsPorts, options: ResolveOptions): Promise<TargetChoice> {
  const { flags, answers, prompter } = options;
  if (flags.deployment !== undefined && !DEPLOYMENT_ID.test(flags.deployment)) {
    throw new UsageError(`--deployment ${flags.deployment} is not a deployment id.`, 'Deployment ids look like d-A1B2C3D4E (aws deploy list-deployments lists them).');
  }
  if (flags.deployment !== undefined && (flags.app === undefined || flags.group === undefined)) {
    const deployment = await ports.deployments.getDeployment(flags.deployment);
    return { application: deployment.application, group: deployment.group, deploymentId: deployment.id, source: 'deployment' };
  }
  let app = flags.app ?? (flags.group === undefined ? answers?.app : undefined);
  let group = flags.group ?? (flags.app === undefined || flags.app === answers?.app ? answers?.group : undefined);
  let source: TargetChoice['source'] = flags.app !== undefined || flags.group !== undefined ? 'flags' : 'answers file';
  if (app === undefined || group === undefined) {
    if (!prompter) {
      throw new UsageError(
        `Which deployment? Give ${app === undefined ? '--app and ' : ''}--group${app === undefined ? '' : ` (for application ${app})`}, or --deployment d-…, or run where cd-wizard.json (from setup) is.`,
        'Example: cd-wizard fix --app web --group prod',
      );
    }
    ({ application: app, group } = await pickApplicationAndGroup(ports, prompter, { ...(app === undefined ? {} : { app }), ...(group === undefined ? {} : { group }) }, options.now));
    source = 'picked';
  }
  if (flags.deployment !== undefined) return { application: app, group, deploymentId: flags.deployment, source };
  const [id] = await ports.deployments.listDeployments(app, group, { ...(flags.wait ? {} : { statuses: ['Failed', 'Stopped'] }), limit: 1 });
  return { application: app, group, ...(id === undefined ? {} : { deploymentId: id }), source };
}
