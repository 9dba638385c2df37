import type { Deployment, FixPorts, S3Revision } from '../../aws/ports/index.js';
import { nameOfArn } from '../../aws/arn.js';
import type { PolicyDocument } from '../../aws/types.js';
import { RESTART_AGENT_SCRIPT, runScript, type SsmOptions } from './agent-check.js';
import { trustVerdict, type CheckId, type CheckResult } from './checks.js';
import type { OnlineFinding } from './findings.js';

/**
 * Remedies: changes `fix` can make for a problem it found. Each is data (RemedyPlan) first, so it can be shown
 * exactly ("what it changes") before anything happens, then applied idempotently (what is already done is skipped),
 * then re-checked. Confirmation lives in the command, never here.
 */

export type RemedyPlan =
  | { kind: 'attach-profile'; instances: string[]; profile: string }
  | { kind: 'repair-trust'; role: string; document: PolicyDocument }
  | { kind: 'attach-policy'; role: string; policyArn: string }
  | { kind: 'tag-instances'; instances: string[]; tags: Record<string, string> }
  | {
      kind: 'redeploy';
      cause: 'application-stop-failing' | 'file-already-exists';
      application: string;
      group: string;
      failedDeploymentId: string;
      revision: S3Revision;
      ignoreApplicationStopFailures?: boolean;
      fileExistsBehavior?: 'OVERWRITE';
    }
  | { kind: 'restart-agent'; instances: string[] };

export type RemedyKind = RemedyPlan['kind'];

export interface RemedyDescription {
  title: string;
  /** Exactly what changes, one line each (shown before the confirmation). */
  changes: string[];
  /** Said after it is applied. */
  after?: string;
}

const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => `${key}=${value}`).join(', ');

export function describeRemedy(plan: RemedyPlan): RemedyDescription {
  switch (plan.kind) {
    case 'attach-profile':
      return {
        title: `Attach instance profile ${plan.profile} to ${plan.instances.length} instance${plan.instances.length === 1 ? '' : 's'}`,
        changes: plan.instances.map((id) => `ec2:AssociateIamInstanceProfile ${id} ← ${plan.profile}`),
        after: `Restart the agent on ${plan.instances.join(', ')} so it picks up the credentials: sudo systemctl restart codedeploy-agent`,
      };
    case 'repair-trust':
      return {
        title: `Let CodeDeploy assume ${plan.role} (trust policy)`,
        changes: [`iam:UpdateAssumeRolePolicy ${plan.role} → ${JSON.stringify(plan.document)}`],
      };
    case 'attach-policy':
      return { title: `Attach ${plan.policyArn.split('/').pop() ?? plan.policyArn} to ${plan.role}`, changes: [`iam:AttachRolePolicy ${plan.role} ← ${plan.policyArn}`] };
    case 'tag-instances':
      return {
        title: `Tag ${plan.instances.length} instance${plan.instances.length === 1 ? '' : 's'} so the deployment group matches ${plan.instances.length === 1 ? 'it' : 'them'}`,
        changes: plan.instances.map((id) => `ec2:CreateTags ${id} + ${tagText(plan.tags)}`),
        after: 'Start a new deployment: tagging does not restart the failed one.',
      };
    case 'redeploy': {
      const option = plan.ignoreApplicationStopFailures ? 'ignoreApplicationStopFailures=true' : `fileExistsBehavior=${plan.fileExistsBehavior ?? 'OVERWRITE'}`;
      return {
        title: `Deploy s3://${plan.revision.bucket}/${plan.revision.key} again with ${option}`,
        changes: [`codedeploy:CreateDeployment ${plan.application}/${plan.group} s3://${plan.revision.bucket}/${plan.revision.key} ${option}`],
      };
    }
    case 'restart-agent':
      return {
        title: `Restart the CodeDeploy agent on ${plan.instances.join(', ')} (SSM)`,
        changes: plan.instances.map((id) => `ssm:SendCommand AWS-RunShellScript on ${id}: ${RESTART_AGENT_SCRIPT[0] ?? ''}`),
      };
  }
}

/** The checks a remedy should turn green (re-run after it is applied). */
export function recheckOf(plan: RemedyPlan): CheckId[] {
  switch (plan.kind) {
    case 'attach-profile':
      return ['instance-profiles'];
    case 'repair-trust':
      return ['service-role-trust'];
    case 'attach-policy':
      return ['service-role-policy'];
    case 'tag-instances':
      return ['instances-match'];
    case 'redeploy':
      return [];
    case 'restart-agent':
      return ['agent'];
  }
}

/** Remedies for what the findings name but no check owns: a new deployment of the same revision with the right option. */
export function findingRemedies(findings: readonly OnlineFinding[], deployment: Deployment | undefined): RemedyPlan[] {
  if (!deployment || deployment.revision?.type !== 'S3' || !('s3' in deployment.revision)) return [];
  const base = { application: deployment.application, group: deployment.group, failedDeploymentId: deployment.id, revision: deployment.revision.s3 };
  const causes = new Set(findings.map((finding) => finding.cause));
  const plans: RemedyPlan[] = [];
  if (causes.has('application-stop-failing') && !deployment.ignoreApplicationStopFailures) {
    plans.push({ kind: 'redeploy', cause: 'application-stop-failing', ...base, ignoreApplicationStopFailures: true });
  }
  if (causes.has('file-already-exists') && deployment.fileExistsBehavior !== 'OVERWRITE') {
    plans.push({ kind: 'redeploy', cause: 'file-already-exists', ...base, fileExistsBehavior: 'OVERWRITE' });
  }
  return plans;
}

/** Every remedy on offer: from the checks' problems, then from the findings; duplicates dropped. */
export function collectRemedies(checks: readonly CheckResult[], findings: readonly OnlineFinding[], deployment: Deployment | undefined): RemedyPlan[] {
  const plans: RemedyPlan[] = [];
  for (const plan of [...checks.flatMap((check) => (check.status === 'problem' ? check.remedies : [])), ...findingRemedies(findings, deployment)]) {
    // Per-instance checks each offer the restart: one remedy restarts the agent everywhere it is down.
    const same = plan.kind === 'restart-agent' ? plans.find((other) => other.kind === 'restart-agent') : undefined;
    if (same && same.kind === 'restart-agent' && plan.kind === 'restart-agent') same.instances = [...new Set([...same.instances, ...plan.instances])];
    else if (!plans.some((other) => JSON.stringify(other) === JSON.stringify(plan))) plans.push(plan.kind === 'restart-agent' ? { ...plan, instances: [...plan.instances] } : plan);
  }
  return plans;
}

export interface RemedyOutcome {
  /** What was done, or why nothing needed doing. */
  summary: string;
  changed: boolean;
  /** A deployment the remedy started. */
  deploymentId?: string;
}

/** Applies a plan. Idempotent: whatever is already in place is left alone and said so. */
export async function applyRemedy(plan: RemedyPlan, ports: FixPorts, options: { region: string; ssm: SsmOptions }): Promise<RemedyOutcome> {
  const { region, ssm } = options;
  switch (plan.kind) {
    case 'attach-profile': {
      const existing = await ports.ec2.getProfileAssociations(plan.instances);
      const todo = plan.instances.filter((id) => !existing.some((association) => association.instanceId === id));
      for (const id of todo) await ports.ec2.associateProfile(id, plan.profile);
      const kept = existing.map((association) => `${association.instanceId} already has ${nameOfArn(association.profileArn)}`);
      return { changed: todo.length > 0, summary: [todo.length > 0 ? `Attached ${plan.profile} to ${todo.join(', ')}.` : '', ...kept].filter((s) => s !== '').join(' ') };
    }
    case 'repair-trust': {
      const role = await ports.iam.getRole(plan.role);
      if (role && trustVerdict(role, region).status === 'ok') return { changed: false, summary: `${plan.role} already trusts codedeploy.amazonaws.com.` };
      await ports.iam.updateTrust(plan.role, plan.document);
      return { changed: true, summary: `Updated the trust policy of ${plan.role}.` };
    }
    case 'attach-policy': {
      const attached = await ports.iam.listAttachedPolicies(plan.role);
      if (attached.includes(plan.policyArn)) return { changed: false, summary: `${plan.role} already has ${plan.policyArn}.` };
      await ports.iam.attachPolicy(plan.role, plan.policyArn);
      return { changed: true, summary: `Attached ${plan.policyArn} to ${plan.role}.` };
    }
    case 'tag-instances': {
      const { found } = await ports.ec2.describeInstances(plan.instances);
      const todo = plan.instances.filter((id) => {
        const tags = found.find((instance) => instance.id === id)?.tags ?? {};
        return Object.entries(plan.tags).some(([key, value]) => tags[key] !== value);
      });
      if (todo.length > 0) await ports.ec2.createTags(todo, plan.tags);
      return { changed: todo.length > 0, summary: todo.length > 0 ? `Tagged ${todo.join(', ')} with ${tagText(plan.tags)}.` : `${plan.instances.join(', ')} already carry ${tagText(plan.tags)}.` };
    }
    case 'redeploy': {
      const recent = await ports.deployments.listDeployments(plan.application, plan.group, { limit: 5 });
      // Deployments newer than the failed one: the list is newest first.
      const at = recent.indexOf(plan.failedDeploymentId);
      const newer = at === -1 ? recent : recent.slice(0, at);
      for (const id of newer) {
        const other = await ports.deployments.getDeployment(id);
        const sameRevision = other.revision?.type === 'S3' && 's3' in other.revision && other.revision.s3.bucket === plan.revision.bucket && other.revision.s3.key === plan.revision.key;
        const sameOption = plan.ignoreApplicationStopFailures ? other.ignoreApplicationStopFailures : other.fileExistsBehavior === plan.fileExistsBehavior;
        if (sameRevision && sameOption) return { changed: false, summary: `${id} already redeploys this revision (${other.status}).`, deploymentId: id };
        if (!['Succeeded', 'Failed', 'Stopped'].includes(other.status)) return { changed: false, summary: `${id} is still ${other.status} in ${plan.group}; wait for it, then run fix again.` };
      }
      const id = await ports.deployments.createDeployment({
        application: plan.application,
        group: plan.group,
        revision: plan.revision,
        description: `cd-wizard fix: redeploy of ${plan.failedDeploymentId} (${plan.cause})`,
        ...(plan.ignoreApplicationStopFailures ? { ignoreApplicationStopFailures: true } : {}),
        ...(plan.fileExistsBehavior ? { fileExistsBehavior: plan.fileExistsBehavior } : {}),
      });
      return { changed: true, summary: `Started ${id}. Follow it: cd-wizard fix --wait --deployment ${id}`, deploymentId: id };
    }
    case 'restart-agent': {
      const results = await runScript(ports, plan.instances, RESTART_AGENT_SCRIPT, 'cd-wizard fix: restart the CodeDeploy agent', ssm);
      const failed = plan.instances.filter((id) => results.get(id)?.status !== 'Success');
      return {
        changed: true,
        summary: failed.length === 0 ? `Restarted the agent on ${plan.instances.join(', ')}.` : `The restart did not finish on ${failed.join(', ')}: ${failed.map((id) => results.get(id)?.status ?? 'no answer').join(', ')}.`,
      };
    }
  }
}
