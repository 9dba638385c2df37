import type { SsmHandle } from '../clients.js';
import { isAwsCode } from '../errors.js';
import { call, chunk, paginate } from './call.js';

/** Systems Manager, as far as fix and agent use it: which instances it manages, and Run Command. */

export interface ManagedInstance {
  id: string;
  /** Online | ConnectionLost | Inactive */
  pingStatus: string;
  platformType?: string;
  agentVersion?: string;
}

export interface CommandInvocation {
  /** Pending | InProgress | Delayed | Success | Cancelled | TimedOut | Failed | … */
  status: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** One Run Command: an SSM document (AWS-RunShellScript, AWS-ConfigureAWSPackage …) with its parameters. */
export interface SendCommandInput {
  document: string;
  instanceIds: readonly string[];
  parameters: Record<string, string[]>;
  /** Shown in the Systems Manager console (cut to 100 characters). */
  comment: string;
  /** How long SSM waits for the instances to pick the command up (default 60 s). */
  deliveryTimeoutSeconds?: number;
}

export interface SsmPort {
  /** The given instances that SSM manages (others are left out). */
  managedInstances(ids: readonly string[]): Promise<ManagedInstance[]>;
  /** AWS-RunShellScript on the instances; returns the command id. */
  runShellScript(instanceIds: readonly string[], commands: readonly string[], comment: string): Promise<string>;
  /** Any document on the instances; returns the command id. */
  sendCommand(input: SendCommandInput): Promise<string>;
  /** One instance's result; `undefined` while SSM does not know the invocation yet (right after sending). */
  invocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
}

export const TERMINAL_INVOCATION_STATUSES: readonly string[] = ['Success', 'Cancelled', 'TimedOut', 'Failed', 'Cancelling'];

export function createSsmPort(load: () => Promise<SsmHandle>): SsmPort {
  const run = async <T>(operation: string, send: (h: SsmHandle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'SSM', operation }, () => send(h));
  };
  const port: SsmPort = {
    async managedInstances(ids) {
      if (ids.length === 0) return [];
      // The InstanceIds filter takes up to 50 values; MaxResults 50 is the largest page.
      const pages = await Promise.all(
        chunk(ids, 50).map((part) =>
          paginate(
            (token) =>
              run('DescribeInstanceInformation', (h) =>
                h.client.send(
                  new h.sdk.DescribeInstanceInformationCommand({
                    Filters: [{ Key: 'InstanceIds', Values: [...part] }],
                    MaxResults: 50,
                    ...(token === undefined ? {} : { NextToken: token }),
                  }),
                ),
              ),
            (page) => page.InstanceInformationList ?? [],
            (page) => page.NextToken,
          ),
        ),
      );
      return pages.flat().flatMap((info) =>
        info.InstanceId
          ? [
              {
                id: info.InstanceId,
                pingStatus: info.PingStatus ?? 'Unknown',
                ...(info.PlatformType ? { platformType: info.PlatformType } : {}),
                ...(info.AgentVersion ? { agentVersion: info.AgentVersion } : {}),
              },
            ]
          : [],
      );
    },

    runShellScript(instanceIds, commands, comment) {
      return port.sendCommand({ document: 'AWS-RunShellScript', instanceIds, parameters: { commands: [...commands] }, comment });
    },

    async sendCommand(input) {
      const out = await run('SendCommand', (h) =>
        h.client.send(
          new h.sdk.SendCommandCommand({
            DocumentName: input.document,
            InstanceIds: [...input.instanceIds],
            Parameters: input.parameters,
            Comment: input.comment.slice(0, 100),
            TimeoutSeconds: input.deliveryTimeoutSeconds ?? 60,
          }),
        ),
      );
      return out.Command?.CommandId ?? '';
    },

    async invocation(commandId, instanceId) {
      try {
        const out = await run('GetCommandInvocation', (h) => h.client.send(new h.sdk.GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })));
        return {
          status: out.Status ?? 'Pending',
          exitCode: out.ResponseCode ?? -1,
          stdout: out.StandardOutputContent ?? '',
          stderr: out.StandardErrorContent ?? '',
        };
      } catch (error) {
        if (isAwsCode(error, 'InvocationDoesNotExist')) return undefined;
        throw error;
      }
    },
  };
  return port;
}
