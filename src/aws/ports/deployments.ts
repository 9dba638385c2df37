import type { CodeDeployHandle, CodeDeploySdk } from '../clients.js';
import { call, chunk, paginate } from './call.js';

/**
 * CodeDeploy deployments as `cd-wizard fix` reads them: the deployment, its targets with lifecycle events and
 * diagnostics, and a redeploy of the same revision. Target reads fold pagination and batch 25 ids per call,
 * the batches running in parallel (50 failed instances cost one list call and one parallel round of batch calls).
 */

export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';
export const FINAL_STATUSES: readonly string[] = ['Succeeded', 'Failed', 'Stopped'];

export interface S3Revision {
  bucket: string;
  key: string;
  bundleType?: string;
  version?: string;
  eTag?: string;
}

/** The revision a deployment installs; only S3 revisions can be checked and redeployed by cd-wizard. */
export type Revision = { type: 'S3'; s3: S3Revision } | { type: string; description: string };

export interface DeploymentOverview {
  Pending: number;
  InProgress: number;
  Succeeded: number;
  Failed: number;
  Skipped: number;
  Ready: number;
}

export interface Deployment {
  id: string;
  application: string;
  group: string;
  status: string;
  config: string;
  errorCode?: string;
  errorMessage?: string;
  overview: DeploymentOverview;
  revision?: Revision;
  rollback?: { deploymentId?: string; triggeringDeploymentId?: string; message?: string };
  statusMessages: string[];
  creator?: string;
  createdAt?: Date;
  completedAt?: Date;
  ignoreApplicationStopFailures: boolean;
  fileExistsBehavior?: string;
}

export interface Diagnostics {
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface LifecycleEvent {
  name: string;
  status: string;
  diagnostics?: Diagnostics;
  startTime?: Date;
  endTime?: Date;
}

export interface DeploymentTarget {
  /** The instance id for EC2 targets. */
  id: string;
  status: string;
  lifecycleEvents: LifecycleEvent[];
  lastUpdatedAt?: Date;
}

export interface CreateDeploymentInput {
  application: string;
  group: string;
  revision: S3Revision;
  description?: string;
  ignoreApplicationStopFailures?: boolean;
  fileExistsBehavior?: 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
}

export interface DeploymentsPort {
  /** Ids, newest first; `statuses` narrows them; stops after `limit` ids. */
  listDeployments(application: string, group: string, options?: { statuses?: readonly DeploymentStatus[]; limit?: number }): Promise<string[]>;
  getDeployment(id: string): Promise<Deployment>;
  /** Ids of the deployment's targets, all pages; `status` filters (TargetStatus). */
  listTargetIds(deploymentId: string, status?: string): Promise<string[]>;
  /** The targets, 25 per BatchGetDeploymentTargets call, calls in parallel; order follows `ids`. */
  getTargets(deploymentId: string, ids: readonly string[]): Promise<DeploymentTarget[]>;
  createDeployment(input: CreateDeploymentInput): Promise<string>;
}

/** BatchGetDeploymentTargets takes at most 25 ids. */
export const TARGET_BATCH = 25;

function toRevision(revision: CodeDeploySdk.RevisionLocation | undefined): Revision | undefined {
  if (!revision?.revisionType) return undefined;
  const s3 = revision.s3Location;
  if (revision.revisionType === 'S3' && s3?.bucket && s3.key) {
    return {
      type: 'S3',
      s3: {
        bucket: s3.bucket,
        key: s3.key,
        ...(s3.bundleType ? { bundleType: s3.bundleType } : {}),
        ...(s3.version ? { version: s3.version } : {}),
        ...(s3.eTag ? { eTag: s3.eTag } : {}),
      },
    };
  }
  const github = revision.gitHubLocation;
  return { type: revision.revisionType, description: github ? `${github.repository ?? ''}@${github.commitId ?? ''}` : revision.revisionType };
}

export function toDeployment(info: CodeDeploySdk.DeploymentInfo, id: string): Deployment {
  const overview = info.deploymentOverview ?? {};
  const rollback = info.rollbackInfo;
  const revision = toRevision(info.revision);
  return {
    id: info.deploymentId ?? id,
    application: info.applicationName ?? '',
    group: info.deploymentGroupName ?? '',
    status: info.status ?? 'Unknown',
    config: info.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
    ...(info.errorInformation?.code ? { errorCode: info.errorInformation.code } : {}),
    ...(info.errorInformation?.message ? { errorMessage: info.errorInformation.message } : {}),
    overview: {
      Pending: overview.Pending ?? 0,
      InProgress: overview.InProgress ?? 0,
      Succeeded: overview.Succeeded ?? 0,
      Failed: overview.Failed ?? 0,
      Skipped: overview.Skipped ?? 0,
      Ready: overview.Ready ?? 0,
    },
    ...(revision ? { revision } : {}),
    ...(rollback && (rollback.rollbackDeploymentId || rollback.rollbackTriggeringDeploymentId || rollback.rollbackMessage)
      ? {
          rollback: {
            ...(rollback.rollbackDeploymentId ? { deploymentId: rollback.rollbackDeploymentId } : {}),
            ...(rollback.rollbackTriggeringDeploymentId ? { triggeringDeploymentId: rollback.rollbackTriggeringDeploymentId } : {}),
            ...(rollback.rollbackMessage ? { message: rollback.rollbackMessage } : {}),
          },
        }
      : {}),
    statusMessages: info.deploymentStatusMessages ?? [],
    ...(info.creator ? { creator: info.creator } : {}),
    ...(info.createTime ? { createdAt: info.createTime } : {}),
    ...(info.completeTime ? { completedAt: info.completeTime } : {}),
    ignoreApplicationStopFailures: info.ignoreApplicationStopFailures ?? false,
    ...(info.fileExistsBehavior ? { fileExistsBehavior: info.fileExistsBehavior } : {}),
  };
}

export function toTarget(target: CodeDeploySdk.DeploymentTarget): DeploymentTarget | undefined {
  const instance = target.instanceTarget;
  if (!instance?.targetId) return undefined;
  return {
    id: instance.targetId,
    status: instance.status ?? 'Unknown',
    ...(instance.lastUpdatedAt ? { lastUpdatedAt: instance.lastUpdatedAt } : {}),
    lifecycleEvents: (instance.lifecycleEvents ?? []).map((event) => {
      const d = event.diagnostics;
      const diagnostics: Diagnostics | undefined = d
        ? {
            ...(d.errorCode ? { errorCode: d.errorCode } : {}),
            ...(d.scriptName ? { scriptName: d.scriptName } : {}),
            ...(d.message ? { message: d.message } : {}),
            ...(d.logTail ? { logTail: d.logTail } : {}),
          }
        : undefined;
      return {
        name: event.lifecycleEventName ?? '',
        status: event.status ?? 'Unknown',
        ...(diagnostics ? { diagnostics } : {}),
        ...(event.startTime ? { startTime: event.startTime } : {}),
        ...(event.endTime ? { endTime: event.endTime } : {}),
      };
    }),
  };
}

export function createDeploymentsPort(load: () => Promise<CodeDeployHandle>): DeploymentsPort {
  const run = async <T>(operation: string, send: (h: CodeDeployHandle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'CodeDeploy', operation }, () => send(h));
  };
  return {
    listDeployments: (application, group, options = {}) =>
      paginate(
        (token) =>
          run('ListDeployments', (h) =>
            h.client.send(
              new h.sdk.ListDeploymentsCommand({
                applicationName: application,
                deploymentGroupName: group,
                ...(options.statuses === undefined ? {} : { includeOnlyStatuses: [...options.statuses] }),
                ...(token === undefined ? {} : { nextToken: token }),
              }),
            ),
          ),
        (page) => page.deployments ?? [],
        (page) => page.nextToken,
        options.limit,
      ).then((ids) => (options.limit === undefined ? ids : ids.slice(0, options.limit))),

    async getDeployment(id) {
      const out = await run('GetDeployment', (h) => h.client.send(new h.sdk.GetDeploymentCommand({ deploymentId: id })));
      return toDeployment(out.deploymentInfo ?? {}, id);
    },

    listTargetIds: (deploymentId, status) =>
      paginate(
        (token) =>
          run('ListDeploymentTargets', (h) =>
            h.client.send(
              new h.sdk.ListDeploymentTargetsCommand({
                deploymentId,
                ...(status === undefined ? {} : { targetFilters: { TargetStatus: [status] } }),
                ...(token === undefined ? {} : { nextToken: token }),
              }),
            ),
          ),
        (page) => page.targetIds ?? [],
        (page) => page.nextToken,
      ),

    async getTargets(deploymentId, ids) {
      const pages = await Promise.all(
        chunk(ids, TARGET_BATCH).map((part) =>
          run('BatchGetDeploymentTargets', (h) => h.client.send(new h.sdk.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: part }))),
        ),
      );
      const byId = new Map<string, DeploymentTarget>();
      for (const page of pages) {
        for (const raw of page.deploymentTargets ?? []) {
          const target = toTarget(raw);
          if (target) byId.set(target.id, target);
        }
      }
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    async createDeployment(input) {
      const out = await run('CreateDeployment', (h) =>
        h.client.send(
          new h.sdk.CreateDeploymentCommand({
            applicationName: input.application,
            deploymentGroupName: input.group,
            revision: {
              revisionType: 'S3',
              s3Location: {
                bucket: input.revision.bucket,
                key: input.revision.key,
                ...(input.revision.bundleType ? { bundleType: input.revision.bundleType as CodeDeploySdk.BundleType } : {}),
                ...(input.revision.version ? { version: input.revision.version } : {}),
                ...(input.revision.eTag ? { eTag: input.revision.eTag } : {}),
              },
            },
            ...(input.description === undefined ? {} : { description: input.description }),
            ...(input.ignoreApplicationStopFailures === undefined ? {} : { ignoreApplicationStopFailures: input.ignoreApplicationStopFailures }),
            ...(input.fileExistsBehavior === undefined ? {} : { fileExistsBehavior: input.fileExistsBehavior }),
          }),
        ),
      );
      return out.deploymentId ?? '';
    },
  };
}
