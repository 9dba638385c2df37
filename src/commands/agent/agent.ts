import type { AwsPorts } from '../../aws/ports/index.js';
import { AGENT_PACKAGE, packageParameters, type AgentAction } from '../../codedeploy/agent-install.js';
import { observeReach, type AgentTarget } from '../../codedeploy/agent-reach.js';
import { agentReports, installAgent, installPhase, installResultText, type InstallResult } from '../../codedeploy/agent-run.js';
import type { SsmOptions } from '../../codedeploy/agent.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, UserError } from '../../errors.js';
import type { IoMessage } from '../../io/host.js';
import { agentToJson, describeInstance, label, renderAgent, type AgentCommand, type AgentOutcome } from './render.js';
import { instancesFromFlag, selectInstances } from './targets.js';

/**
 * `cd-wizard agent [status|install|update]`: which instances (--instances, or the answers file's group) → which of
 * them Systems Manager can reach, and why not → ask (default No; --yes) → the read-only report, or
 * AWS-ConfigureAWSPackage with per-instance progress and a check that the agent runs → one result. Instances SSM
 * cannot reach get the reason and the commands for their OS and region.
 */

export interface AgentFlags {
  instances?: string[];
  yes?: boolean;
}

export interface AgentDeps {
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

export const AGENT_COMMANDS: readonly AgentCommand[] = ['status', 'install', 'update'];

const defaultSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The exact SSM call an install makes, shown before asking. */
function installDetails(action: AgentAction): string[] {
  const parameters = Object.entries(packageParameters(action)).map(([key, values]) => `${key}=${values.join(',')}`);
  return [`ssm:SendCommand ${AGENT_PACKAGE.document} ${parameters.join(' ')}`, 'then a read-only AWS-RunShellScript (AWS-RunPowerShellScript on Windows) that checks the agent runs'];
}

export async function runAgent(ctx: Context, command: string | undefined, flags: AgentFlags, deps: AgentDeps = {}): Promise<number> {
  const io = ctx.io;
  const action = (command ?? 'status') as AgentCommand;
  if (!AGENT_COMMANDS.includes(action)) throw new UsageError(`Unknown agent command "${command}".`, 'Use cd-wizard agent status, cd-wizard agent install or cd-wizard agent update.');
  const flagIds = instancesFromFlag(flags.instances);
  const file = ctx.answers.load();
  if (!file && ctx.answers.named) throw new UserError(`Cannot read ${ctx.answers.shown}: no such file.`, { hint: 'Give the answers file setup wrote, or --instances.', exitCode: 2 });

  const session = await ctx.aws();
  if (session.region.note) io.emit({ code: 'agent.region', level: 'warning', text: session.region.note });
  const region = session.region.region;
  const ports = session.ports;
  const pollOverride = Number(ctx.env.CD_WIZARD_POLL_MS);
  const pollMs = deps.pollMs ?? (pollOverride > 0 ? pollOverride : 2000);
  const ssm: SsmOptions = { pollMs, timeoutMs: action === 'status' ? 90_000 : 600_000, sleep: deps.sleep ?? defaultSleep };

  const selection = await selectInstances(ports, flagIds, file?.answers, ctx.answers.shown);
  io.emit({ code: 'agent.looking', level: 'info', text: `Looking at ${selection.ids.join(', ')} in ${region} (${selection.source})…` });
  const targets = await observeReach(ports, selection.ids, region);
  const reachable = targets.filter((target) => target.reach.via === 'ssm');
  const outcome: AgentOutcome = { command: action, region, source: selection.source, instances: targets.map((target) => ({ target })) };

  if (reachable.length > 0) {
    const allowed = await askToRun(ctx, action, reachable, flags.yes ?? false);
    if (allowed) {
      if (action === 'status') await status(ctx, ports, reachable, outcome, ssm);
      else await install(ctx, ports, reachable, action, outcome, ssm);
    } else {
      outcome.notRun = `Nothing was run on ${reachable.map(label).join(', ')}${io.interactive ? '' : ' (--yes runs it)'}.`;
    }
  }

  io.result({ text: renderAgent(outcome, io.style), json: agentToJson(outcome) });
  if (action === 'status' || outcome.notRun !== undefined) return ExitCode.Ok;
  // An install is done only when the agent runs everywhere it was asked for.
  return outcome.instances.every((one) => describeInstance(one, action).mark === 'ok') ? ExitCode.Ok : ExitCode.Failure;
}

/** The question before anything runs on an instance (default No). Without a terminal, an install needs --yes. */
async function askToRun(ctx: Context, action: AgentCommand, reachable: readonly AgentTarget[], yes: boolean): Promise<boolean> {
  if (yes) return true;
  const names = reachable.map(label).join(', ');
  if (!ctx.io.interactive) {
    if (action === 'status') return false;
    throw new UsageError(`${action === 'install' ? 'Installing' : 'Updating'} the agent runs a command on ${names}, and there is no terminal to confirm it; nothing was run.`, `Run again with --yes: cd-wizard agent ${action} --yes`);
  }
  const message = action === 'status' ? `Run a read-only check of the agent on ${names} through Systems Manager?` : `${action === 'install' ? 'Install' : 'Update'} the CodeDeploy agent on ${names} through Systems Manager?`;
  return ctx.io.prompter.confirm({
    id: `agent-${action}`,
    message,
    help:
      action === 'status'
        ? 'One AWS-RunShellScript (or PowerShell) command that reads; nothing on the instances changes.'
        : `The agent is ${action === 'install' ? 'reinstalled' : 'updated in place'} from AWS's package; a deployment running there now may fail.`,
    ...(action === 'status' ? {} : { details: installDetails(action) }),
    flag: '--yes',
    default: false,
  });
}

async function status(ctx: Context, ports: AwsPorts, reachable: readonly AgentTarget[], outcome: AgentOutcome, ssm: SsmOptions): Promise<void> {
  ctx.io.emit({ code: 'agent.checking', level: 'info', text: `Checking the agent on ${reachable.map((target) => target.id).join(', ')} through Systems Manager…`, live: { key: 'agent.check' } });
  const reports = await agentReports(ports, reachable, ssm);
  ctx.io.emit({ code: 'agent.checked', level: 'info', text: `Checked the agent on ${reachable.length} instance${reachable.length === 1 ? '' : 's'}`, live: { key: 'agent.check', done: true } });
  for (const one of outcome.instances) {
    const report = reports.get(one.target.id);
    if (report) one.report = report;
  }
}

/** A live line per instance while the package installs, and its last word when it is done. */
function progressMessage(target: AgentTarget, status: string): IoMessage {
  return { code: 'agent.progress', level: 'info', text: `${label(target)}: ${installPhase(status)}`, data: { instance: target.id, status }, live: { key: `agent:${target.id}` } };
}

function resultMessage(target: AgentTarget, result: InstallResult, action: AgentAction): IoMessage {
  const ok = result.status === 'installed';
  return {
    code: ok ? 'agent.installed' : 'agent.failed',
    level: ok ? 'success' : 'error',
    text: `${label(target)}: ${installResultText(result, action)}`,
    data: { instance: target.id, status: result.status, ...(result.version ? { version: result.version } : {}) },
    live: { key: `agent:${target.id}`, done: true },
  };
}

async function install(ctx: Context, ports: AwsPorts, reachable: readonly AgentTarget[], action: AgentAction, outcome: AgentOutcome, ssm: SsmOptions): Promise<void> {
  const io = ctx.io;
  const byId = new Map(reachable.map((target) => [target.id, target]));
  let commandId: string | undefined;
  const off = io.onInterrupt(() => ({
    ...(commandId === undefined
      ? { done: 'nothing was sent to the instances' }
      : { done: `the ${action} was sent to ${reachable.map((target) => target.id).join(', ')}`, running: `Systems Manager command ${commandId} goes on on the instances` }),
    resume: 'cd-wizard agent status',
  }));
  try {
    for (const target of reachable) io.emit(progressMessage(target, 'Pending'));
    const { results, commandId: sent } = await installAgent(ports, reachable, action, {
      ...ssm,
      onSent: (id) => {
        commandId = id;
      },
      onProgress: (id, state) => {
        const target = byId.get(id);
        if (target && !['Success', 'Failed', 'TimedOut', 'Cancelled', 'Cancelling'].includes(state)) io.emit(progressMessage(target, state));
      },
    });
    outcome.commandId = sent;
    for (const result of results) {
      const target = byId.get(result.id);
      if (target) io.emit(resultMessage(target, result, action));
      const one = outcome.instances.find((candidate) => candidate.target.id === result.id);
      if (one) one.install = result;
    }
  } finally {
    off();
  }
}
