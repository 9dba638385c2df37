import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { accountOfArn, partitionOfArn } from '../../aws/arn.js';
import { preloadClients } from '../../aws/clients.js';
import { isAwsCode } from '../../aws/errors.js';
import type { Deployment } from '../../aws/ports/index.js';
import type { SsmOptions } from '../../codedeploy/agent.js';
import { collectRemedies } from '../../codedeploy/remedies.js';
import type { Context } from '../../context.js';
import { redact } from '../../diagnose/redact.js';
import { diagnoseDeployment } from '../../doctor/diagnose.js';
import { warmMatcher } from '../../doctor/rules.js';
import { onlineJson, redactJson, renderMarkdown, renderOnlineText, type OnlineReport } from '../../doctor/online-report.js';
import { ExitCode, UserError } from '../../errors.js';
import { PromptCancelledError, type Prompter } from '../../prompt/prompter.js';
import { createStyle } from '../../io/terminal.js';
import { VERSION } from '../../version.js';
import type { Snapshot } from '../../watch/deployment.js';
import { WATCH_POLL_MS, watchDeployment } from '../../watch/watch.js';
import { remedyRecord, runRemedies } from './apply-remedies.js';
import { resolveTarget, type FixQuestionId } from './target.js';

/**
 * `cd-wizard fix` against AWS: pick the deployment → (--wait: follow it) → read its evidence and check the setup,
 * concurrently → on-instance checks over SSM (asked first) → findings → report → remedies (each confirmed,
 * default No) → re-check. Everything it knows about the setup comes from the answers file (--answers, the same one
 * setup wrote) and the shared model in src/codedeploy. Results go to stdout, progress and questions to stderr.
 */

export interface OnlineFixOptions {
  app?: string;
  group?: string;
  deployment?: string;
  wait?: boolean;
  all?: boolean;
  out?: string;
  /** false with --no-ssm. */
  ssm?: boolean;
  yes?: boolean;
  redactAccount?: boolean;
}

export interface OnlineFixDeps {
  prompter?: Prompter<FixQuestionId>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** How often --wait and SSM results are polled (default WATCH_POLL_MS and 1 s; CD_WIZARD_POLL_MS overrides both). */
  pollMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export async function runOnlineFix(ctx: Context, options: OnlineFixOptions, deps: OnlineFixDeps = {}): Promise<number> {
  const io = ctx.io;
  const say = (text: string) => io.emit({ code: 'fix.note', level: 'info', text });
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? defaultSleep;
  const pollOverride = Number(ctx.env.CD_WIZARD_POLL_MS);
  const pollMs = deps.pollMs ?? (pollOverride > 0 ? pollOverride : undefined);
  const ssmOptions: SsmOptions = { pollMs: pollMs ?? 1000, timeoutMs: 90_000, sleep };
  const accountIds = options.redactAccount ?? false;

  // 1. Where: the answers file setup wrote, the region, the ports. No AWS call yet.
  const store = ctx.answers;
  const file = store.load();
  if (!file && store.named) throw new UserError(`Cannot read ${store.shown}: no such file.`, { hint: 'Give the answers file setup wrote, or leave out --answers.', exitCode: 2 });
  const session = await ctx.aws();
  if (session.region.note) io.emit({ code: 'fix.region', level: 'warning', text: session.region.note, data: { region: session.region.region, source: session.region.source } });
  const region = session.region.region;
  const ports = session.ports;
  // Every check needs these SDK clients: load them while the first CodeDeploy calls are out, not one by one later.
  preloadClients(session.clients, ['codeDeploy', 'iam', 's3', 'ec2', 'autoScaling', ...(options.ssm === false ? [] : ['ssm' as const])]);
  const prompter: Prompter<FixQuestionId> | undefined = deps.prompter ?? (io.interactive ? io.prompter : undefined);
  const knownProfile = file?.state?.instanceProfile?.name ?? file?.answers.instanceProfile;

  // The group's names, when known before the deployment is chosen: its read goes out with the first call (not
  // with --wait: the diagnosis comes minutes later and reads the group then).
  const knownApp = options.app ?? (options.deployment === undefined ? file?.answers.app : undefined);
  const knownGroup = options.group ?? (options.deployment === undefined ? file?.answers.group : undefined);
  const earlyGroup = knownApp !== undefined && knownGroup !== undefined && !options.wait ? { app: knownApp, group: knownGroup, read: ports.codeDeploy.getDeploymentGroup(knownApp, knownGroup) } : undefined;
  earlyGroup?.read.catch(() => undefined);

  try {
    // 2. Which deployment.
    let target;
    try {
      target = await resolveTarget(ports, {
        flags: {
          ...(options.app === undefined ? {} : { app: options.app }),
          ...(options.group === undefined ? {} : { group: options.group }),
          ...(options.deployment === undefined ? {} : { deployment: options.deployment }),
          ...(options.wait ? { wait: true } : {}),
        },
        answers: file?.answers,
        prompter,
        now: now(),
      });
    } catch (error) {
      if (isAwsCode(error, 'DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException', 'DeploymentDoesNotExistException')) {
        const what = options.deployment ?? `${options.app ?? file?.answers.app ?? '?'}/${options.group ?? file?.answers.group ?? '?'}`;
        throw new UserError(`${what} does not exist in ${region}.`, { hint: `Check the names and --region. List them: aws deploy list-applications --region ${region}` });
      }
      throw error;
    }
    const { application, group: groupName } = target;
    // The knowledge base (half a megabyte of JSON, parsed on the one thread) and the matcher's compiled rules are
    // made ready while the evidence calls are out, not before the first call nor after the last answer.
    const kbLoad = ctx.kb().then((kb) => {
      warmMatcher(kb);
      return kb;
    });
    kbLoad.catch(() => undefined);
    say(`Looking at ${application}/${groupName} in ${region}${target.source === 'answers file' ? ` (from ${store.shown})` : ''}…`);
    // The answers file describes this group only when it is the group setup made.
    const answers = file && file.answers.app === application && file.answers.group === groupName ? file : undefined;

    // 3. --wait: follow the deployment until it ends.
    let waited: Snapshot | undefined;
    if (options.wait) {
      if (!target.deploymentId) throw new UserError(`${application}/${groupName} has no deployment to wait for.`, { hint: 'Start one (aws deploy create-deployment …), then run fix --wait again.' });
      const id = target.deploymentId;
      waited = await watchDeployment(io, ports, id, {
        codePrefix: 'fix.wait',
        intro: `Waiting for ${id} to finish (Ctrl-C stops waiting; the deployment goes on).`,
        resume: `cd-wizard fix --wait --deployment ${id}`,
        pollMs: pollMs ?? WATCH_POLL_MS,
        sleep,
      });
      if (waited.deployment.status === 'Succeeded') {
        const count = waited.deployment.overview.Succeeded;
        io.result({
          text: `${io.style.green(io.style.symbols.ok)} ${waited.deployment.id} Succeeded on ${count} instance${count === 1 ? '' : 's'}.`,
          json: redactJson(onlineJson(emptyReport(region, application, groupName, waited.deployment)), accountIds),
        });
        return ExitCode.Ok;
      }
    }

    // 4–6. Evidence, setup checks, on-instance checks and findings (src/doctor, shared with deploy).
    say(target.deploymentId ? `Reading ${target.deploymentId} and checking the setup…` : `No failed deployment in ${application}/${groupName}; checking the setup…`);
    const { report, input, group } = await diagnoseDeployment(ports, {
      region,
      application,
      group: groupName,
      ...(target.deploymentId ? { deploymentId: target.deploymentId } : {}),
      ...(waited ? { deployment: waited.deployment } : {}),
      ...(earlyGroup && earlyGroup.app === application && earlyGroup.group === groupName ? { groupRead: earlyGroup.read } : {}),
      ...(answers ? { answers } : {}),
      ...(knownProfile ? { knownProfile } : {}),
      ...(options.ssm === undefined ? {} : { ssm: options.ssm }),
      ...(options.yes === undefined ? {} : { yes: options.yes }),
      prompter,
      ssmOptions,
      kb: kbLoad,
      accountIds,
      say,
    });
    const { deployment, findings, checks } = report;
    const reportText = () => redact(renderOnlineText(report, io.style, { all: options.all ?? false, width: io.columns }), { accountIds });

    // 7. Remedies: shown exactly, confirmed one by one (default No), applied by setup's executor, re-checked. A person
    // who is asked reads the diagnosis first.
    report.remedies = collectRemedies(checks, new Set(findings.map((finding) => finding.cause)), deployment).map(remedyRecord);
    const asking = report.remedies.length > 0 && prompter !== undefined && !(options.yes ?? false);
    if (asking) io.emit({ code: 'fix.report', level: 'info', text: redact(renderOnlineText(report, createStyle(false), { all: options.all ?? false, width: io.columns }), { accountIds }) });
    const remedyText =
      report.remedies.length > 0
        ? await runRemedies(ports, report.remedies, {
            io,
            yes: options.yes ?? false,
            prompter,
            input,
            where: { account: accountOfArn(group.serviceRoleArn) ?? answers?.state?.account ?? '', partition: partitionOfArn(group.serviceRoleArn || undefined), region },
            ssmOptions,
            sleep,
          })
        : '';

    if (options.out) {
      const path = resolve(ctx.cwd, options.out);
      writeFileSync(path, `${renderMarkdown(report, { version: VERSION, generatedAt: now(), accountIds })}\n`);
      say(`Report written to ${options.out} (secrets masked${accountIds ? ', account ids too' : ''}).`);
    }
    io.result({ text: [asking ? '' : reportText(), redact(remedyText, { accountIds })].filter((part) => part !== '').join('\n'), json: redactJson(onlineJson(report), accountIds) });
    return waited && waited.deployment.status !== 'Succeeded' ? ExitCode.Failure : ExitCode.Ok;
  } catch (error) {
    if (error instanceof PromptCancelledError) return io.interrupted();
    throw error;
  }
}

function emptyReport(region: string, application: string, group: string, deployment: Deployment): OnlineReport {
  return { region, application, group, deployment, targetsRead: 0, findings: [], checks: [], ssm: { status: 'disabled', note: 'The deployment succeeded.' }, remedies: [] };
}
