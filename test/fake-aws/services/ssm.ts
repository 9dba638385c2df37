/**
 * SSM over JSON 1.1 (`X-Amz-Target: AmazonSSM.<Action>`): managed-instance inventory and Run Command, enough to
 * check, repair and install the CodeDeploy agent (AWS-RunShellScript, AWS-RunPowerShellScript and
 * AWS-ConfigureAWSPackage). Commands finish after their rule's `durationMs` of fake-clock time; `commandRules`
 * decide what each command prints and exits with.
 */
import { AwsError } from '../errors.js';
import { epochSeconds, jsonCodec, jsonErrors, type JsonObject } from '../json.js';
import type { Params } from '../params.js';
import { defineService, paginate, wildcardMatch, type Handler, type HandlerContext, type ServiceDef } from '../service.js';
import type { CommandRecord, CommandRule, InvocationRecord, ManagedInstanceRecord } from '../state.js';

/** The documents the fake runs: their plugin name, and the platform they run on (undefined: any). */
const DOCUMENTS: Record<string, { plugin: string; platform?: 'Linux' | 'Windows' }> = {
  'AWS-RunShellScript': { plugin: 'aws:runShellScript', platform: 'Linux' },
  'AWS-RunPowerShellScript': { plugin: 'aws:runPowerShellScript', platform: 'Windows' },
  'AWS-ConfigureAWSPackage': { plugin: 'configurePackage' },
};

const PACKAGE_ACTIONS = ['Install', 'Uninstall'];
const INSTALLATION_TYPES = ['Uninstall and reinstall', 'In-place update'];

/** Each document's required parameters, checked as SSM does before it sends anything (InvalidParameters). */
function checkParameters(documentName: string, parameters: Record<string, string[]>): void {
  const one = (name: string) => parameters[name]?.[0];
  if (documentName === 'AWS-ConfigureAWSPackage') {
    const action = one('action');
    if (action === undefined || !PACKAGE_ACTIONS.includes(action)) throw ssmError('InvalidParameters', `Parameter "action" must be one of ${PACKAGE_ACTIONS.join(', ')}.`);
    if (!one('name')) throw ssmError('InvalidParameters', 'Parameter "name" is required.');
    const type = one('installationType');
    if (type !== undefined && !INSTALLATION_TYPES.includes(type)) throw ssmError('InvalidParameters', `Parameter "installationType" must be one of ${INSTALLATION_TYPES.join(', ')}.`);
    return;
  }
  if ((parameters['commands'] ?? []).length === 0) throw ssmError('InvalidParameters', 'Parameter "commands" is required.');
}

/** What a command prints when no rule says otherwise (the fake's own wording). */
function defaultOutput(documentName: string, parameters: Record<string, string[]>): string {
  if (documentName !== 'AWS-ConfigureAWSPackage') return '';
  const name = parameters['name']?.[0] ?? '';
  return parameters['action']?.[0] === 'Uninstall' ? `Successfully uninstalled ${name}` : `Successfully installed ${name}`;
}
const FILTER_KEYS: Record<string, (i: ManagedInstanceRecord) => string> = {
  InstanceIds: (i) => i.instanceId,
  PingStatus: (i) => i.pingStatus,
  PlatformTypes: (i) => i.platformType,
  AgentVersion: (i) => i.agentVersion,
  ResourceType: () => 'EC2Instance',
  IamRole: (i) => i.iamRole ?? '',
};

const ssmError = (code: string, message: string): AwsError => new AwsError(code, message, 400);
const invalidNextToken = (): AwsError => ssmError('InvalidNextToken', 'The specified token is not valid.');

function instanceJson(instance: ManagedInstanceRecord): JsonObject {
  return {
    InstanceId: instance.instanceId,
    PingStatus: instance.pingStatus,
    LastPingDateTime: epochSeconds(instance.lastPingAt),
    AgentVersion: instance.agentVersion,
    IsLatestVersion: instance.isLatestVersion,
    PlatformType: instance.platformType,
    PlatformName: instance.platformName,
    PlatformVersion: instance.platformVersion,
    ResourceType: 'EC2Instance',
    IPAddress: instance.ipAddress,
    ComputerName: instance.computerName,
    IamRole: instance.iamRole,
  };
}

function readFilters(params: Params): Array<{ key: string; values: string[] }> {
  const modern = params.list('Filters').map((filter) => ({ key: filter.str('Key'), values: filter.strList('Values') }));
  const legacy = params.list('InstanceInformationFilterList').map((filter) => ({ key: filter.str('key'), values: filter.strList('valueSet') }));
  const filters = [...modern, ...legacy];
  for (const filter of filters) {
    if (!(filter.key in FILTER_KEYS)) throw ssmError('InvalidFilterKey', `The specified key is not valid: ${filter.key}`);
    if (filter.values.length === 0) throw ssmError('InvalidInstanceInformationFilterValue', `The filter ${filter.key} needs at least one value.`);
  }
  return filters;
}

const describeInstanceInformation: Handler<JsonObject> = (params, ctx) => {
  const filters = readFilters(params);
  const max = params.optInt('MaxResults') ?? 10;
  if (max < 5 || max > 50) throw ssmError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`);
  const matching = Object.values(ctx.state.ssm.instances).filter((instance) =>
    filters.every(({ key, values }) => {
      const actual = FILTER_KEYS[key]?.(instance) ?? '';
      return values.some((value) => wildcardMatch(value, actual));
    }),
  );
  const { page, next } = paginate(matching, params.optStr('NextToken'), max, invalidNextToken);
  return { InstanceInformationList: page.map(instanceJson), NextToken: next };
};

/** Every value of every parameter, for commandContains. */
const parameterValues = (parameters: Record<string, string[]>): string[] => Object.values(parameters).flat();

function findRule(rules: readonly CommandRule[], instanceId: string, documentName: string, commands: readonly string[], earlier: readonly string[]): CommandRule {
  const sentBefore = (text: string) => earlier.some((line) => line.includes(text));
  return (
    rules.find(
      (rule) =>
        (rule.instanceId === undefined || rule.instanceId === instanceId) &&
        (rule.document === undefined || rule.document === documentName) &&
        (rule.commandContains === undefined || commands.some((line) => line.includes(rule.commandContains ?? ''))) &&
        (rule.after === undefined || sentBefore(rule.after)) &&
        (rule.notAfter === undefined || !sentBefore(rule.notAfter)),
    ) ?? {}
  );
}

/** The command lines sent earlier to an instance, oldest first. */
function earlierCommands(commands: Record<string, CommandRecord>, instanceId: string): string[] {
  return Object.values(commands)
    .filter((command) => command.instanceIds.includes(instanceId))
    .flatMap((command) => parameterValues(command.parameters));
}

const sendCommand: Handler<JsonObject> = (params, ctx) => {
  const { state } = ctx;
  const documentName = params.optStr('DocumentName');
  if (documentName === undefined || documentName === '') throw ssmError('ValidationException', "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null");
  const document = DOCUMENTS[documentName];
  if (document === undefined) throw ssmError('InvalidDocument', `Document with name ${documentName} does not exist.`);
  const instanceIds = params.strList('InstanceIds');
  if (instanceIds.length === 0) throw ssmError('ValidationException', 'Specify either InstanceIds or Targets.');
  const offline = instanceIds.filter((id) => state.ssm.instances[id]?.pingStatus !== 'Online');
  if (offline.length > 0) {
    throw new AwsError('InvalidInstanceId', `Instances [[${offline.join(', ')}]] not in a valid state for account ${state.sts.account}`, 400);
  }
  const parameters: Record<string, string[]> = {};
  const given = params.optObj('Parameters');
  for (const key of params.mapKeys('Parameters')) parameters[key] = given?.strList(key) ?? [];
  checkParameters(documentName, parameters);
  const other = document.platform === undefined ? [] : instanceIds.filter((id) => state.ssm.instances[id]?.platformType !== document.platform);
  if (other.length > 0) throw ssmError('UnsupportedPlatformType', `The document ${documentName} does not support the platform type of ${other.join(', ')}.`);
  const values = parameterValues(parameters);
  const timeoutSeconds = params.optInt('TimeoutSeconds') ?? 3600;
  const now = ctx.now();
  const invocations: Record<string, InvocationRecord> = {};
  for (const instanceId of instanceIds) {
    const rule = findRule(state.ssm.commandRules, instanceId, documentName, values, earlierCommands(state.ssm.commands, instanceId));
    const status = rule.status ?? 'Success';
    invocations[instanceId] = {
      instanceId,
      status,
      responseCode: rule.exitCode ?? (status === 'Success' ? 0 : 1),
      stdout: rule.stdout ?? (status === 'Success' ? defaultOutput(documentName, parameters) : ''),
      stderr: rule.stderr ?? '',
      startedAt: now,
      endsAt: now + (rule.durationMs ?? 0),
    };
  }
  const command: CommandRecord = { id: ctx.ids.uuid(), documentName, parameters, instanceIds, requestedAt: now, timeoutSeconds, invocations };
  const comment = params.optStr('Comment');
  if (comment !== undefined) command.comment = comment;
  state.ssm.commands[command.id] = command;
  return {
    Command: {
      CommandId: command.id,
      DocumentName: documentName,
      DocumentVersion: '$DEFAULT',
      Comment: comment ?? '',
      ExpiresAfter: epochSeconds(now + timeoutSeconds * 1000 + 3_600_000),
      Parameters: parameters,
      InstanceIds: instanceIds,
      Targets: [],
      RequestedDateTime: epochSeconds(now),
      Status: 'Pending',
      StatusDetails: 'Pending',
      MaxConcurrency: '50',
      MaxErrors: '0',
      TargetCount: instanceIds.length,
      CompletedCount: 0,
      ErrorCount: 0,
      DeliveryTimedOutCount: 0,
      TimeoutSeconds: timeoutSeconds,
    },
  };
};

/** SSM's own format for invocation times, e.g. 2026-11-22T01:02:03.456Z. */
function ssmTime(ms: number): string {
  return new Date(ms).toISOString();
}

function invocationJson(ctx: HandlerContext, command: CommandRecord, invocation: InvocationRecord): JsonObject {
  const done = ctx.now() >= invocation.endsAt;
  const elapsedMs = (done ? invocation.endsAt : ctx.now()) - invocation.startedAt;
  return {
    CommandId: command.id,
    InstanceId: invocation.instanceId,
    Comment: command.comment ?? '',
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: DOCUMENTS[command.documentName]?.plugin,
    ResponseCode: done ? invocation.responseCode : -1,
    ExecutionStartDateTime: ssmTime(invocation.startedAt),
    ExecutionElapsedTime: `PT${(Math.max(0, elapsedMs) / 1000).toFixed(3)}S`,
    ExecutionEndDateTime: done ? ssmTime(invocation.endsAt) : '',
    Status: done ? invocation.status : 'InProgress',
    StatusDetails: done ? invocation.status : 'InProgress',
    StandardOutputContent: done ? invocation.stdout : '',
    StandardOutputUrl: '',
    StandardErrorContent: done ? invocation.stderr : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

export function ssmService(): ServiceDef {
  return defineService<JsonObject>({
    name: 'ssm',
    codec: jsonCodec({ targetPrefix: 'AmazonSSM', messageField: 'Message', queryCompatible: true }),
    errors: jsonErrors({
      missing: (name) => ssmError('ValidationException', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`),
      invalid: (name, value) => ssmError('ValidationException', `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint`),
    }),
    operations: {
      DescribeInstanceInformation: describeInstanceInformation,
      SendCommand: sendCommand,
      GetCommandInvocation: (params, ctx) => {
        const commandId = params.str('CommandId');
        const instanceId = params.str('InstanceId');
        const command = ctx.state.ssm.commands[commandId];
        const invocation = command?.invocations[instanceId];
        // Right after SendCommand, real SSM briefly answers InvocationDoesNotExist (see ssmInvocationDelayMs).
        if (command === undefined || invocation === undefined || ctx.now() < command.requestedAt + ctx.faults.ssmInvocationDelayMs) {
          throw new AwsError('InvocationDoesNotExist', '', 400);
        }
        return invocationJson(ctx, command, invocation);
      },
    },
  });
}
