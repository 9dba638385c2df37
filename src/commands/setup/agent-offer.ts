import type { AwsPorts } from '../../aws/ports/index.js';
import { osOf } from '../../codedeploy/agent-install.js';
import { installAgent, installPhase, installResultText, targetLabel, type InstallResult } from '../../codedeploy/agent-run.js';
import type { SsmOptions } from '../../codedeploy/agent.js';
import type { SetupPlan } from '../../codedeploy/plan.js';
import { reasonOf } from '../../codedeploy/verdict.js';
import type { Host } from '../../io/host.js';
import type { AgentState } from './next-steps.js';
import { q } from './questions.js';

/**
 * Setup's last step: when Systems Manager manages the instances the group selects, offer to install the CodeDeploy
 * agent there (default No; --install-agent says yes; without a terminal and without it, the next steps name the
 * command). Only looked at with --ssm or --install-agent: without them setup makes no Systems Manager call.
 */

export interface AgentOffer {
  state: AgentState;
  /** What happened, for --json. */
  json: { status: 'not-looked' | 'no-managed-instances' | 'not-asked' | 'declined' | 'ran' | 'could-not-check'; instances?: string[]; results?: InstallResult[]; reason?: string; commandId?: string };
}

export interface AgentOfferOptions {
  installAgent: boolean;
  ssm: SsmOptions;
}

export async function offerAgentInstall(io: Host, ports: AwsPorts, plan: SetupPlan, options: AgentOfferOptions): Promise<AgentOffer> {
  const none: AgentState = { running: [], ssmReady: [] };
  const ids = plan.targets.instances;
  if (ids.length === 0 || !(plan.answers.ssm || options.installAgent)) return { state: none, json: { status: 'not-looked' } };
  let managed;
  try {
    managed = (await ports.ssm.managedInstances(ids)).filter((instance) => instance.pingStatus === 'Online');
  } catch (error) {
    io.emit({ code: 'setup.agent.unknown', level: 'warning', text: `Could not ask Systems Manager which instances it manages: ${reasonOf(error)}.` });
    return { state: none, json: { status: 'could-not-check', reason: reasonOf(error) } };
  }
  if (managed.length === 0) {
    io.emit({
      code: 'setup.agent.unmanaged',
      level: 'info',
      text: `Systems Manager does not manage ${ids.join(', ')} yet (the SSM Agent registers a few minutes after its role gets AmazonSSMManagedInstanceCore); cd-wizard agent install can install the agent then.`,
    });
    return { state: none, json: { status: 'no-managed-instances', instances: ids } };
  }
  const targets = managed.map((instance) => ({ id: instance.id, os: osOf(instance.platformType) }));
  const names = targets.map((target) => target.id);
  const allowed =
    options.installAgent ||
    (io.interactive &&
      (await io.prompter.confirm({ ...q('installAgent'), details: [`Systems Manager manages ${names.join(', ')}.`], default: false })));
  if (!allowed) return { state: { running: [], ssmReady: names }, json: { status: io.interactive ? 'declined' : 'not-asked', instances: names } };

  let commandId: string | undefined;
  const off = io.onInterrupt(() => ({
    done: 'setup is done',
    ...(commandId === undefined ? {} : { running: `the agent install (Systems Manager command ${commandId}) goes on on ${names.join(', ')}` }),
    resume: 'cd-wizard agent status',
  }));
  try {
    const { results, commandId: sent } = await installAgent(ports, targets, 'install', {
      ...options.ssm,
      onSent: (id) => {
        commandId = id;
      },
      onProgress: (id, status) => {
        if (!['Success', 'Failed', 'TimedOut', 'Cancelled', 'Cancelling'].includes(status)) {
          io.emit({ code: 'setup.agent.progress', level: 'info', text: `Agent on ${targetLabel({ id })}: ${installPhase(status)}`, data: { instance: id, status }, live: { key: `agent:${id}` } });
        }
      },
    });
    for (const result of results) {
      const ok = result.status === 'installed';
      io.emit({ code: ok ? 'setup.agent.installed' : 'setup.agent.failed', level: ok ? 'success' : 'error', text: `Agent on ${result.id}: ${installResultText(result, 'install')}`, data: { instance: result.id, status: result.status }, live: { key: `agent:${result.id}`, done: true } });
    }
    const running = results.filter((result) => result.status === 'installed').map((result) => result.id);
    return { state: { running, ssmReady: names.filter((id) => !running.includes(id)) }, json: { status: 'ran', results, commandId: sent } };
  } finally {
    off();
  }
}
