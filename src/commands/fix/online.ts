import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAwsClients, resolveRegion } from '../../aws/clients.js';
import { isAwsCode } from '../../aws/errors.js';
import type { Deployment, DeploymentTarget } from '../../aws/ports/deployments.js';
import { createFixPorts, type FixPorts } from '../../aws/ports/index.js';
import type { Context } from '../../context.js';
import { redact } from '../../diagnose/redact.js';
import { ExitCode, UserError } from '../../errors.js';
import { loadBundledKb, type Kb } from '../../kb/kb.js';
import { createInquirerPrompter } from '../../prompt/inquirer-prompter.js';
import { EXIT_CANCELLED, PromptCancelledError, type Prompter } from '../../prompt/prompter.js';
import { VERSION } from '../../version.js';
import { ANSWERS_FILE, loadAnswersFile } from '../setup/answers.js';
import { onlineInstances, runAgentChecks, type SsmOptions } from './agent-check.js';
import { createFacts, reasonOf, runSetupChecks, targetInstances, type CheckInput, type CheckResult, type Facts } from './checks.js';
import { buildFindings, deploymentPieces, fillFindings, type EvidencePiece } from './findings.js';
import { rulesOf } from './fix.js';
import { checkLine, onlineJson, redactJson, remedyLines, renderMarkdown, renderOnlineText, type OnlineReport, type RemedyRecord, type SsmState } from './online-report.js';
import { accountOfArn, nameOfArn } from '../../aws/arn.js';
import type { PlaceholderValues } from './placeholders.js';
import { applyRemedy, collectRemedies, describeRemedy, recheckOf } from './remedies.js';
import { resolveTarget, type FixQuestionId } from './target.js';
import { follow, isFinal, progressBlock, progressLines, type Snapshot } from './wait.js';

/**
 * `cd-wizard fix` against AWS: pick the deployment → (--wait: follow it) → read its evidence and check the setup,
 * concurrently → on-instance checks over SSM (asked first) → findings → report → remedies (each confirmed,
 * default No) → re-check. Results go to stdout, progress and questions to stderr.
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
  aws?: FixPorts;
  prompter?: Prompter<FixQuestionId>;
  kb?: Kb;
  cwd?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** How often --wait and SSM results are polled (default 5 s and 1 s; CD_WIZARD_POLL_MS overrides both). */
  pollMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The most instances the on-instance report runs on in one go. */
const SSM_INSTANCE_LIMIT = 10;

async function failedTargetIds(ports: FixPorts, deploymentId: string | undefined): Promise<string[]> {
  if (!deploymentId) return [];
  try {
    return await ports.deployments.listTargetIds(deploymentId, 'Failed');
  } catch (error) {
    if (isAwsCode(error, 'DeploymentNotStartedException')) return [];
    throw error;
  }
}

/** The failed targets; when none failed but the deployment did (all Skipped, say), the ones that did not succeed. */
async function evidenceTargets(ports: FixPorts, deployment: Deployment | undefined, failedIds: readonly string[]): Promise<DeploymentTarget[]> {
  if (!deployment) return [];
  if (failedIds.length > 0) return ports.deployments.getTargets(deployment.id, failedIds);
  if (deployment.status !== 'Failed' && deployment.status !== 'Stopped') return [];
  let all: string[] = [];
  try {
    all = await ports.deployments.listTargetIds(deployment.id);
  } catch (error) {
    if (!isAwsCode(error, 'DeploymentNotStartedException')) throw error;
  }
  const targets = all.length > 0 ? await ports.deployments.getTargets(deployment.id, all.slice(0, 100)) : [];
  return targets.filter((target) => target.status !== 'Succeeded');
}

function placeholders(region: string, report: { application: string; group: string; deployment?: Deployment }, groupRoleArn: string, extra: PlaceholderValues): PlaceholderValues {
  const revision = report.deployment?.revision;
  const s3 = revision && 's3' in revision ? revision.s3 : undefined;
  const account = accountOfArn(groupRoleArn);
  return {
    '<region>': region,
    '<application>': report.application,
    '<deployment-group>': report.group,
    ...(report.deployment ? { '<deployment-id>': report.deployment.id } : {}),
    ...(s3 ? { '<bucket>': s3.bucket, '<key>': s3.key } : {}),
    ...(groupRoleArn ? { '<service-role>': nameOfArn(groupRoleArn) } : {}),
    ...(account ? { '<account-id>': account } : {}),
    ...extra,
  };
}

/** Instance profile and role names for the fix steps, from what the checks read (nothing if those reads failed). */
async function instanceNames(facts: Facts, knownProfile: string | undefined): Promise<PlaceholderValues> {
  try {
    const set = await facts.instances();
    const profiles = await facts.profiles();
    const profileName = targetInstances(set).map((instance) => (instance.profileArn ? nameOfArn(instance.profileArn) : '')).find((name) => name !== '') ?? knownProfile;
    const role = profileName ? profiles.get(profileName)?.roles[0]?.name : undefined;
    return { ...(profileName ? { '<instance-profile>': profileName } : {}), ...(role ? { '<instance-role>': role } : {}) };
  } catch {
    return knownProfile ? { '<instance-profile>': knownProfile } : {};
  }
}

export async function runOnlineFix(ctx: Context, options: OnlineFixOptions, deps: OnlineFixDeps = {}): Promise<number> {
  const json = ctx.globals.json;
  const interactive = ctx.term.canPrompt && !json;
  const say = (text: string) => {
    if (!json) ctx.err(text);
  };
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? defaultSleep;
  const pollOverride = Number(ctx.env.CD_WIZARD_POLL_MS);
  const pollMs = deps.pollMs ?? (pollOverride > 0 ? pollOverride : undefined);
  const ssmOptions: SsmOptions = { pollMs: pollMs ?? 1000, timeoutMs: 90_000, sleep };
  const accountIds = options.redactAccount ?? false;

  // 1. Where: the answers file (setup's), the region, the ports. No AWS call yet.
  const cwd = deps.cwd ?? process.cwd();
  const file = loadAnswersFile(resolve(cwd, ANSWERS_FILE), false);
  const profile = ctx.globals.profile;
  const endpointUrl = ctx.globals.endpointUrl;
  const fileRegion = file?.answers.region;
  const { region } = await resolveRegion(
    {
      ...(ctx.globals.region !== undefined ? { region: ctx.globals.region } : fileRegion !== undefined ? { region: fileRegion, regionSource: 'answers file' as const } : {}),
      ...(profile === undefined ? {} : { profile }),
    },
    ctx.env,
  );
  let ports = deps.aws;
  if (!ports) {
    const clients = createAwsClients({ region, env: ctx.env, ...(profile === undefined ? {} : { profile }), ...(endpointUrl === undefined ? {} : { endpointUrl }) });
    ports = createFixPorts(clients);
    // Every check needs these SDK clients: load them while the first CodeDeploy calls are out, not one by one later.
    void Promise.all([clients.codeDeploy(), clients.iam(), clients.ec2(), clients.s3(), clients.autoScaling(), ...(options.ssm === false ? [] : [clients.ssm()])]).catch(() => undefined);
  }
  const prompter =
    deps.prompter ?? (interactive ? createInquirerPrompter<FixQuestionId>({ input: ctx.term.stdin, output: ctx.term.stderr, rows: ctx.term.rows, color: ctx.style.enabled }) : undefined);
  const knownProfile = file?.state?.instanceProfile?.name ?? file?.answers.instanceProfile;
  const candidateInstances = file?.answers.instances ?? [];

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
    say(`Looking at ${application}/${groupName} in ${region}${target.source === 'answers file' ? ` (from ${ANSWERS_FILE})` : ''}…`);

    // 3. --wait: follow the deployment until it ends.
    let waited: Snapshot | undefined;
    if (options.wait) {
      if (!target.deploymentId) throw new UserError(`${application}/${groupName} has no deployment to wait for.`, { hint: 'Start one (aws deploy create-deployment …), then run fix --wait again.' });
      waited = await followWithProgress(ctx, ports, target.deploymentId, { pollMs: pollMs ?? 5000, sleep });
      if (waited.deployment.status === 'Succeeded') {
        if (json) ctx.out(JSON.stringify(redactJson(onlineJson(emptyReport(region, application, groupName, waited.deployment)), accountIds), null, 2));
        else ctx.out(`${ctx.style.green(ctx.style.symbols.ok)} ${waited.deployment.id} Succeeded on ${waited.deployment.overview.Succeeded} instance${waited.deployment.overview.Succeeded === 1 ? '' : 's'}.`);
        return ExitCode.Ok;
      }
    }

    // 4. Evidence and setup checks, concurrently. The deployment's targets are listed while it is read.
    say(target.deploymentId ? `Reading ${target.deploymentId} and checking the setup…` : `No failed deployment in ${application}/${groupName}; checking the setup…`);
    const failedIds = failedTargetIds(ports, target.deploymentId);
    const [group, deployment] = await Promise.all([
      ports.codeDeploy.getDeploymentGroup(application, groupName),
      waited ? Promise.resolve(waited.deployment) : target.deploymentId ? ports.deployments.getDeployment(target.deploymentId) : Promise.resolve(undefined),
    ]);
    if (!group) {
      throw new UserError(`Deployment group ${groupName} of application ${application} does not exist in ${region}.`, {
        hint: `List them: aws deploy list-deployment-groups --application-name ${application} --region ${region}`,
      });
    }
    const revision = deployment?.revision && 's3' in deployment.revision ? deployment.revision.s3 : undefined;
    const input: CheckInput = {
      region,
      group,
      ...(revision ? { revision } : {}),
      targetIds: failedIds,
      ...(knownProfile ? { knownProfile } : {}),
      candidateInstances,
    };
    const facts = createFacts(ports, input);
    const [targets, checks] = await Promise.all([failedIds.then((ids) => evidenceTargets(ports, deployment, ids)), runSetupChecks(ports, input, facts)]);
    const pieces: EvidencePiece[] = deployment ? deploymentPieces(deployment, targets) : [];

    // 5. On the instances, through SSM (asked first: it runs a command there).
    const ssm = await onInstanceChecks(ctx, ports, options, prompter, {
      instances: targets.length > 0 ? targets.map((t) => t.id) : await facts.instances().then((set) => set.matched.filter((i) => i.state === 'running').map((i) => i.id), () => []),
      ssmOptions,
    });
    checks.push(...ssm.checks);
    pieces.push(...ssm.pieces);

    // 6. Findings, with the user's names in the fix steps.
    const kb = deps.kb ?? loadBundledKb();
    const checkEvidence = checks.flatMap((check) => (check.status === 'problem' && check.cause ? [{ check: check.id, cause: check.cause, detail: check.detail, instances: check.instances }] : []));
    const base = { application, group: groupName, ...(deployment ? { deployment } : {}) };
    const values = placeholders(region, base, group.serviceRoleArn, { ...(await instanceNames(facts, knownProfile)), ...(group.autoScalingGroups[0] ? { '<asg>': group.autoScalingGroups[0] } : {}) });
    const findings = fillFindings(buildFindings(pieces, checkEvidence, rulesOf(kb), kb, { accountIds }), values);
    const report: OnlineReport = { region, ...base, targetsRead: targets.length, findings, checks, ssm: ssm.state, remedies: [] };
    const out = (text: string) => ctx.out(redact(text, { accountIds }));
    if (!json) out(renderOnlineText(report, ctx.style, { all: options.all ?? false, width: ctx.term.columns }));

    // 7. Remedies: shown exactly, confirmed one by one (default No), applied, re-checked.
    const plans = collectRemedies(checks, findings, deployment);
    report.remedies = plans.map((plan) => ({ plan, description: describeRemedy(plan), status: 'offered', recheck: [] }));
    if (report.remedies.length > 0) await runRemedies(ctx, ports, report, { options, prompter, interactive, input, ssmOptions, out });

    if (json) ctx.out(JSON.stringify(redactJson(onlineJson(report), accountIds), null, 2));
    if (options.out) {
      const path = resolve(cwd, options.out);
      writeFileSync(path, `${renderMarkdown(report, { version: VERSION, generatedAt: now(), accountIds })}\n`);
      say(`Report written to ${options.out} (secrets masked${accountIds ? ', account ids too' : ''}).`);
    }
    return waited && !isFinalSuccess(waited) ? ExitCode.Failure : ExitCode.Ok;
  } catch (error) {
    if (error instanceof PromptCancelledError) {
      ctx.err('Cancelled; nothing was changed.');
      return EXIT_CANCELLED;
    }
    throw error;
  }
}

const isFinalSuccess = (snapshot: Snapshot) => snapshot.deployment.status === 'Succeeded';

function emptyReport(region: string, application: string, group: string, deployment: Deployment): OnlineReport {
  return { region, application, group, deployment, targetsRead: 0, findings: [], checks: [], ssm: { status: 'disabled', note: 'The deployment succeeded.' }, remedies: [] };
}

/** Follows the deployment; a redrawn block on a terminal, one line per change otherwise (stderr). */
async function followWithProgress(ctx: Context, ports: FixPorts, deploymentId: string, options: { pollMs: number; sleep: (ms: number) => Promise<void> }): Promise<Snapshot> {
  const live = ctx.term.isTty && !ctx.globals.json;
  let drawn = 0;
  ctx.err(`Waiting for ${deploymentId} to finish (Ctrl-C stops waiting; the deployment goes on)…`);
  return follow(ports, deploymentId, {
    ...options,
    onSnapshot: (previous, next) => {
      if (live) {
        const block = progressBlock(next, ctx.style, ctx.term.columns);
        ctx.term.stderr.write(`${drawn > 0 ? `\u001b[${drawn}A\u001b[0J` : ''}${block.join('\n')}\n`);
        drawn = block.length;
      } else {
        for (const line of progressLines(previous, next)) ctx.err(line);
      }
      if (isFinal(next.deployment.status) && live) ctx.err('');
    },
  });
}

interface OnInstance {
  state: SsmState;
  checks: CheckResult[];
  pieces: EvidencePiece[];
}

async function onInstanceChecks(
  ctx: Context,
  ports: FixPorts,
  options: OnlineFixOptions,
  prompter: Prompter<FixQuestionId> | undefined,
  what: { instances: readonly string[]; ssmOptions: SsmOptions },
): Promise<OnInstance> {
  const none = (state: SsmState): OnInstance => ({ state, checks: [], pieces: [] });
  if (options.ssm === false) return none({ status: 'disabled', note: 'On-instance checks are off (--no-ssm).' });
  const candidates = what.instances.slice(0, SSM_INSTANCE_LIMIT);
  if (candidates.length === 0) return none({ status: 'no-instances', note: 'There is no instance to check on.' });
  let online: string[];
  try {
    online = onlineInstances(await ports.ssm.managedInstances(candidates));
  } catch (error) {
    return none({ status: 'could-not-check', note: `Could not ask Systems Manager about the instances: ${reasonOf(error)}.` });
  }
  if (online.length === 0) {
    return none({ status: 'unmanaged', note: `Systems Manager does not manage ${candidates.join(', ')} (or they are offline), so cd-wizard cannot look inside.` });
  }
  const question = `Run a read-only check on ${online.join(', ')} through Systems Manager (agent status, last log lines, /root/.aws, clock)?`;
  let allowed = options.yes ?? false;
  if (!allowed && prompter && !ctx.globals.json) {
    allowed = await prompter.confirm({ id: 'run-ssm', message: question, help: 'It sends one AWS-RunShellScript command; nothing on the instances is changed.', default: false });
  }
  if (!allowed) {
    return none({
      status: ctx.globals.json || !prompter ? 'not-allowed' : 'declined',
      instances: online,
      note: `The on-instance check was not run on ${online.join(', ')}${!prompter || ctx.globals.json ? ' (--yes allows it)' : ''}.`,
    });
  }
  if (!ctx.globals.json) ctx.err(`Checking the agent on ${online.join(', ')} through Systems Manager…`);
  const outcome = await runAgentChecks(ports, online, what.ssmOptions);
  return { state: { status: 'ran', instances: online }, ...outcome };
}

async function runRemedies(
  ctx: Context,
  ports: FixPorts,
  report: OnlineReport,
  env: { options: OnlineFixOptions; prompter: Prompter<FixQuestionId> | undefined; interactive: boolean; input: CheckInput; ssmOptions: SsmOptions; out: (text: string) => void },
): Promise<void> {
  const { options, prompter, interactive, out } = env;
  const json = ctx.globals.json;
  const style = ctx.style;
  if (!json) out(`\n${style.bold(`cd-wizard can fix ${report.remedies.length === 1 ? 'this' : `these ${report.remedies.length}`} for you:`)}`);
  let offeredOnly = false;
  for (const record of report.remedies) {
    if (!json) out(remedyLines(record, style).join('\n'));
    let go = options.yes ?? false;
    if (!go && interactive && prompter) {
      go = await prompter.confirm({ id: 'remedy', message: `${record.description.title}?`, details: record.description.changes, default: false });
      if (!go) record.status = 'declined';
    } else if (!go) {
      offeredOnly = true;
    }
    if (!go) continue;
    await applyOne(ctx, ports, record, env);
  }
  if (offeredOnly && !json) out(style.dim(`Nothing was changed. Run again with --yes to apply ${report.remedies.length === 1 ? 'it' : 'them'} (or on a terminal, to be asked one by one).`));
}

async function applyOne(
  ctx: Context,
  ports: FixPorts,
  record: RemedyRecord,
  env: { input: CheckInput; ssmOptions: SsmOptions; out: (text: string) => void },
): Promise<void> {
  const json = ctx.globals.json;
  const style = ctx.style;
  try {
    record.outcome = await applyRemedy(record.plan, ports, { region: env.input.region, ssm: env.ssmOptions });
    record.status = record.outcome.changed ? 'applied' : 'unchanged';
    if (!json) env.out(`  ${style.green(style.symbols.ok)} ${record.outcome.summary}`);
    // Re-check: the same check, read afresh, should now pass.
    const ids = recheckOf(record.plan);
    if (ids.includes('agent') && record.plan.kind === 'restart-agent') {
      const again = await runAgentChecks(ports, record.plan.instances, env.ssmOptions);
      record.recheck = again.checks.filter((check) => check.id === 'agent');
    } else if (ids.length > 0) {
      const fresh = await runSetupChecks(ports, env.input);
      record.recheck = fresh.filter((check) => ids.includes(check.id));
    }
    if (!json) for (const check of record.recheck) env.out(`  re-check:${checkLine(check, style).slice(1)}`);
    const after = record.description.after;
    if (after && !json) env.out(`  ${style.dim(after)}`);
  } catch (error) {
    if (error instanceof PromptCancelledError) throw error;
    record.status = 'failed';
    record.error = error instanceof Error ? error.message : String(error);
    if (!json) env.out(`  ${style.red(style.symbols.fail)} ${record.error}${error instanceof UserError && error.hint ? `\n    ${error.hint}` : ''}`);
  }
}
