import { isAwsCode } from '../../aws/errors.js';
import type { AwsPorts, Deployment, UploadedObject } from '../../aws/ports/index.js';
import { collectRemedies, remedyChanges } from '../../codedeploy/remedies.js';
import type { Context } from '../../context.js';
import { redact } from '../../diagnose/redact.js';
import { diagnoseDeployment } from '../../doctor/diagnose.js';
import { onlineJson, remedyLines, renderOnlineText } from '../../doctor/online-report.js';
import { ExitCode, UserError } from '../../errors.js';
import { watchDeployment } from '../../watch/watch.js';
import { duration, size } from './format.js';
import { lintBundle, listFiles, register, revisionKey, upload, type Pushed } from './push.js';
import { resolvePlan, type DeployFlags, type DeployPlan } from './target.js';

/**
 * `cd-wizard deploy [dir]`: lint → bundle → upload → register → CreateDeployment → watch. A failed deployment gets
 * fix's diagnosis (src/doctor) and exit 1; a green one exit 0 with the time it took. Checks that the group and the
 * bucket exist before uploading anything. Ctrl-C while uploading aborts the upload; while watching it stops
 * watching only (the deployment goes on in AWS).
 */

export interface DeployDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

export async function runDeploy(ctx: Context, dir: string | undefined, flags: DeployFlags, deps: DeployDeps = {}): Promise<number> {
  const io = ctx.io;
  const now = deps.now ?? Date.now;
  const started = now();
  const plan = resolvePlan(ctx, dir, flags);

  // 1. Offline first: lint and list. A lint error stops here, before any AWS call.
  const lint = lintBundle(io, plan, ctx.cwd);
  const list = listFiles(io, plan, ctx.answers.path);

  // 2. Where: the group and the bucket must exist (and the bucket be in the group's region) before the upload.
  const session = await ctx.aws();
  if (session.region.note) io.emit({ code: 'deploy.region', level: 'warning', text: session.region.note, data: { region: session.region.region } });
  const region = session.region.region;
  const ports = session.ports;
  void Promise.all([session.clients.codeDeploy(), session.clients.s3(), session.clients.storage()]).catch(() => undefined);
  await preflight(ports, plan, region);
  io.emit({ code: 'deploy.target', level: 'info', text: `Deploying ${plan.root === ctx.cwd ? 'this folder' : plan.root} to ${plan.app}/${plan.group} in ${region}${plan.from === 'flags' ? '' : ` (from ${plan.from})`}.` });

  // 3. Upload (Ctrl-C aborts it: nothing half-uploaded stays behind) and register.
  const key = revisionKey(plan.app, list, new Date(now()));
  const abort = new AbortController();
  const offUpload = io.onInterrupt(() => ({ done: 'The upload was stopped; nothing was deployed.', softStop: () => abort.abort() }));
  let pushed: Pushed;
  try {
    const sent = await upload(io, ports, plan, list, key, abort.signal);
    pushed = { lint, list, ...sent };
  } catch (error) {
    if (abort.signal.aborted) return io.interrupted();
    throw error;
  } finally {
    offUpload();
  }
  await register(io, ports, plan, pushed.object);

  // 4. Create the deployment.
  const deploymentId = await createDeployment(ports, plan, pushed.object, region);
  const follow = `cd-wizard fix --wait --deployment ${deploymentId}`;
  if (!plan.wait) {
    io.result({
      text: `Deployment ${deploymentId} started (${plan.app}/${plan.group}).\nFollow it: ${follow}`,
      json: resultJson(plan, pushed, { id: deploymentId, status: 'Created' }, now() - started),
    });
    return ExitCode.Ok;
  }

  // 5. Watch it (the one watcher fix --wait uses).
  const last = await watchDeployment(io, ports, deploymentId, {
    codePrefix: 'deploy.watch',
    intro: `Watching ${deploymentId} (Ctrl-C stops watching; the deployment goes on in AWS).`,
    resume: follow,
    ...(deps.pollMs === undefined ? pollOverride(ctx) : { pollMs: deps.pollMs }),
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  const deployment = last.deployment;
  const took = now() - started;
  if (deployment.status === 'Succeeded') {
    const count = deployment.overview.Succeeded;
    io.result({
      text: `${io.style.green(io.style.symbols.ok)} ${deploymentId} Succeeded on ${count} instance${count === 1 ? '' : 's'} in ${duration(took)} (s3://${plan.bucket}/${pushed.object.key}).`,
      json: resultJson(plan, pushed, deployment, took),
    });
    return ExitCode.Ok;
  }

  // 6. It failed: fix's diagnosis of this deployment.
  io.emit({ code: 'deploy.diagnose', level: 'info', text: `${deploymentId} ${deployment.status}; reading why and checking the setup…` });
  const file = ctx.answers.load();
  const answers = file && file.answers.app === plan.app && file.answers.group === plan.group ? file : undefined;
  const knownProfile = answers?.state?.instanceProfile?.name ?? answers?.answers.instanceProfile;
  const pollMs = pollOverride(ctx).pollMs;
  const { report, checks } = await diagnoseDeployment(ports, {
    region,
    application: plan.app,
    group: plan.group,
    deploymentId,
    deployment,
    ...(answers ? { answers } : {}),
    ...(knownProfile ? { knownProfile } : {}),
    prompter: io.interactive ? io.prompter : undefined,
    ssmOptions: { pollMs: pollMs ?? 1000, timeoutMs: 90_000, sleep: deps.sleep ?? ((ms) => new Promise<void>((done) => setTimeout(done, ms))) },
    kb: await ctx.kb(),
    accountIds: false,
    say: (text) => io.emit({ code: 'deploy.note', level: 'info', text }),
  }).then((diagnosis) => ({ report: diagnosis.report, checks: diagnosis.report.checks }));
  const remedies = collectRemedies(checks, new Set(report.findings.map((finding) => finding.cause)), deployment);
  const remedyText =
    remedies.length === 0
      ? ''
      : [
          '',
          io.style.bold(`cd-wizard fix can fix ${remedies.length === 1 ? 'this' : `these ${remedies.length}`} for you:`),
          ...remedies.flatMap((remedy) => remedyLines({ remedy, changes: remedyChanges(remedy) }, io.style)),
          io.style.dim(`Nothing was changed. Apply ${remedies.length === 1 ? 'it' : 'them'} with: cd-wizard fix --deployment ${deploymentId}`),
        ].join('\n');
  io.result({
    text: `${redact(renderOnlineText(report, io.style, { all: false, width: io.columns }))}${remedyText}\n\n${io.style.red(io.style.symbols.fail)} ${deploymentId} ${deployment.status} after ${duration(took)}.`,
    json: { ...resultJson(plan, pushed, deployment, took), diagnosis: onlineJson(report) },
  });
  return ExitCode.Failure;
}

/** The group and the bucket, read before the upload: a wrong name or region fails here, with nothing sent. */
async function preflight(ports: AwsPorts, plan: DeployPlan, region: string): Promise<void> {
  const [group, bucket] = await Promise.all([
    ports.codeDeploy.getDeploymentGroup(plan.app, plan.group).catch((error: unknown) => {
      if (isAwsCode(error, 'ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException')) return undefined;
      throw error;
    }),
    ports.s3.bucketLocation(plan.bucket),
  ]);
  if (group === undefined) {
    throw new UserError(`${plan.app}/${plan.group} does not exist in ${region}; nothing was uploaded.`, {
      hint: `Check --app/--group and --region, or create it with cd-wizard setup. List them: aws deploy list-deployment-groups --application-name ${plan.app} --region ${region}`,
    });
  }
  if (bucket.status === 'missing') {
    throw new UserError(`The revision bucket ${plan.bucket} does not exist; nothing was uploaded.`, { hint: 'Check --bucket, or let cd-wizard setup create it.' });
  }
  if (bucket.status === 'found' && bucket.region !== region) {
    throw new UserError(`The revision bucket ${plan.bucket} is in ${bucket.region}, but the deployment group is in ${region}; nothing was uploaded.`, {
      hint: 'The instances download the bundle from the bucket, which must be in their region. Use a bucket in the same region (--bucket).',
      guide: 's3-access-denied',
    });
  }
}

async function createDeployment(ports: AwsPorts, plan: DeployPlan, object: UploadedObject, region: string): Promise<string> {
  try {
    return await ports.deployments.createDeployment({
      application: plan.app,
      group: plan.group,
      revision: { bucket: object.bucket, key: object.key, bundleType: 'zip', eTag: object.eTag, ...(object.versionId ? { version: object.versionId } : {}) },
      ...(plan.description === undefined ? {} : { description: plan.description }),
      ...(plan.ignoreApplicationStopFailures ? { ignoreApplicationStopFailures: true } : {}),
      ...(plan.fileExistsBehavior === undefined ? {} : { fileExistsBehavior: plan.fileExistsBehavior }),
    });
  } catch (error) {
    if (isAwsCode(error, 'DeploymentLimitExceededException')) {
      const running = /\((d-[A-Z0-9]+)\)/.exec(error instanceof Error ? error.message : '')?.[1];
      throw new UserError(`${plan.app}/${plan.group} already has a deployment in progress${running ? ` (${running})` : ''}; the revision is uploaded and registered, not deployed.`, {
        hint: `Wait for it (cd-wizard fix --wait${running ? ` --deployment ${running}` : ` --app ${plan.app} --group ${plan.group}`}), then deploy it: aws deploy create-deployment --application-name ${plan.app} --deployment-group-name ${plan.group} --s3-location bucket=${object.bucket},key=${object.key},bundleType=zip,eTag=${object.eTag} --region ${region}`,
      });
    }
    throw error;
  }
}

/** CD_WIZARD_POLL_MS (tests, benchmarks) overrides the watcher's interval. */
function pollOverride(ctx: Context): { pollMs?: number } {
  const value = Number(ctx.env.CD_WIZARD_POLL_MS);
  return value > 0 ? { pollMs: value } : {};
}

function resultJson(plan: DeployPlan, pushed: Pushed, deployment: Pick<Deployment, 'id' | 'status'> & Partial<Deployment>, ms: number) {
  return {
    application: plan.app,
    deploymentGroup: plan.group,
    deployment: { id: deployment.id, status: deployment.status, ...(deployment.overview ? { overview: deployment.overview } : {}), ...(deployment.errorCode ? { errorCode: deployment.errorCode } : {}) },
    revision: { bucket: pushed.object.bucket, key: pushed.object.key, bundleType: 'zip', eTag: pushed.object.eTag, ...(pushed.object.versionId ? { version: pushed.object.versionId } : {}) },
    bundle: { files: pushed.list.files.length, bytes: pushed.list.totalBytes, zipBytes: pushed.zipBytes, ignored: pushed.list.ignored, lintWarnings: pushed.lint.warningCount },
    options: { fileExistsBehavior: plan.fileExistsBehavior ?? 'DISALLOW', ignoreApplicationStopFailures: plan.ignoreApplicationStopFailures, ...(plan.description === undefined ? {} : { description: plan.description }) },
    durationMs: ms,
    size: size(pushed.zipBytes),
  };
}
