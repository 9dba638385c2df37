import type { AwsPorts } from '../aws/ports/index.js';
import { onlineInstances, runAgentChecks, type InstanceLog, type SsmOptions } from '../codedeploy/agent.js';
import { reasonOf, type CheckResult } from '../codedeploy/verdict.js';
import type { Prompter } from '../prompt/prompter.js';
import type { SsmState } from './online-report.js';

/** The one question the diagnosis asks. */
export type DoctorQuestionId = 'run-ssm';


/**
 * The agent check on the instances, through Systems Manager: asked first (default No; --yes allows it), because it
 * runs a command there. Read-only. Without SSM, the report prints the commands to run by hand.
 */

/** The most instances the on-instance report runs on in one go. */
const SSM_INSTANCE_LIMIT = 10;

export interface OnInstance {
  state: SsmState;
  checks: CheckResult[];
  logs: InstanceLog[];
}

export interface OnInstanceOptions {
  /** false with --no-ssm. */
  ssm?: boolean;
  yes?: boolean;
  /** A person can be asked (a terminal, not --json). */
  prompter: Prompter<DoctorQuestionId> | undefined;
  instances: readonly string[];
  ssmOptions: SsmOptions;
  /** Progress line ("Checking the agent on …"). */
  say: (text: string) => void;
}

export async function onInstanceChecks(ports: AwsPorts, options: OnInstanceOptions): Promise<OnInstance> {
  const none = (state: SsmState): OnInstance => ({ state, checks: [], logs: [] });
  if (options.ssm === false) return none({ status: 'disabled', note: 'On-instance checks are off (--no-ssm).' });
  const candidates = options.instances.slice(0, SSM_INSTANCE_LIMIT);
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
  if (!allowed && options.prompter) {
    allowed = await options.prompter.confirm({ id: 'run-ssm', message: question, help: 'It sends one AWS-RunShellScript command; nothing on the instances is changed.', flag: '--yes', default: false });
  }
  if (!allowed) {
    return none({
      status: options.prompter ? 'declined' : 'not-allowed',
      instances: online,
      note: `The on-instance check was not run on ${online.join(', ')}${options.prompter ? '' : ' (--yes allows it)'}.`,
    });
  }
  options.say(`Checking the agent on ${online.join(', ')} through Systems Manager…`);
  const outcome = await runAgentChecks(ports, online, options.ssmOptions);
  return { state: { status: 'ran', instances: online }, ...outcome };
}
