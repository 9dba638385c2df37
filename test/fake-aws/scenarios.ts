/**
 * Failure scenarios for `cd-wizard fix` against the fake: each is a complete, seedable account in which one
 * deployment failed for one cause (the cause ids of src/kb/types.ts), with what setup would have left in
 * cd-wizard.json. A working base (roles, profile, two tagged instances, the revision in S3, a group) is bent
 * once per scenario.
 *
 *   const { seed, answers } = scenario('s3-key-not-found');
 *   const aws = await startFakeAws({ seed });
 *   writeFileSync(join(dir, 'cd-wizard.json'), JSON.stringify(answers));
 *   // node bin/cd-wizard.js fix --json   (in dir)  → findings[0].cause === 's3-key-not-found'
 *
 * `node scripts/fake-aws.mjs --scenario NAME` serves one (see README.md).
 */
import type { CauseId } from '../../src/kb/types.js';
import type { Seed, SeedDeployment, SeedTarget } from './seed.js';
import type { CommandRule, DeploymentOutcomeRule } from './state.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const APP = 'shop';
export const GROUP = 'prod';
export const BUCKET = 'shop-revisions';
export const KEY = 'releases/shop-42.zip';
export const SERVICE_ROLE = 'CodeDeployServiceRole';
export const INSTANCE_ROLE = 'CodeDeployInstanceRole';
export const INSTANCE_PROFILE = 'CodeDeployInstanceProfile';
export const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'] as const;
export const FAILED_DEPLOYMENT = 'd-FAILED001';
export const CODEDEPLOY_ROLE_ARN = 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole';

const EC2_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const REVISION_READ = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
  ],
};
const HEALTH_CONSTRAINTS = {
  code: 'HEALTH_CONSTRAINTS',
  message:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.',
};
const AGENT_DID_NOT_RECEIVE =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.';

/** What `cd-wizard setup` would have written: the answers and the state of what it created. */
export interface AnswersFileJson {
  schemaVersion: 1;
  answers: Record<string, unknown>;
  state?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  /** The cause a diagnosis should name first. */
  cause: CauseId;
  description: string;
  seed: Seed;
  answers: AnswersFileJson;
}

export const ANSWERS: AnswersFileJson = {
  schemaVersion: 1,
  answers: { region: REGION, app: APP, group: GROUP, bucket: BUCKET, instances: [...INSTANCES], tagGroups: [[{ key: 'Env', value: 'prod' }]], serviceRole: SERVICE_ROLE, instanceRole: INSTANCE_ROLE, instanceProfile: INSTANCE_PROFILE },
};

interface BaseOptions {
  /** Instances get the instance profile (default true). */
  profiles?: boolean;
  serviceRole?: false | { attached?: string[]; trustPolicy?: Record<string, unknown> };
  instanceRolePolicies?: boolean;
  tagFilter?: { Key: string; Value: string };
  /** Changes to the failed deployment; null: no deployment at all. */
  deployment?: Partial<SeedDeployment> | null;
  ssm?: { online: readonly string[]; rules: CommandRule[] };
  autoScalingGroup?: { name: string; hooks: string[] };
  extraObjects?: string[];
}

/** A working account, bent by `options`, with one failed deployment of the revision. */
export function baseSeed(options: BaseOptions = {}): Seed {
  const profiles = options.profiles ?? true;
  const serviceRole = options.serviceRole ?? {};
  const tag = options.tagFilter ?? { Key: 'Env', Value: 'prod' };
  const deployment: SeedDeployment = {
    id: FAILED_DEPLOYMENT,
    application: APP,
    deploymentGroup: GROUP,
    status: 'Failed',
    errorInformation: HEALTH_CONSTRAINTS,
    revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: KEY, bundleType: 'zip' } },
    targets: INSTANCES.map((instanceId) => ({ instanceId, status: 'Succeeded' })),
    ...options.deployment,
  };
  const asg = options.autoScalingGroup;
  return {
    iam: {
      roles: [
        ...(serviceRole === false ? [] : [{ name: SERVICE_ROLE, attachedPolicies: serviceRole.attached ?? [CODEDEPLOY_ROLE_ARN], ...(serviceRole.trustPolicy ? { trustPolicy: serviceRole.trustPolicy } : {}) }]),
        { name: INSTANCE_ROLE, trustPolicy: EC2_TRUST, inlinePolicies: options.instanceRolePolicies === false ? {} : { 'cd-wizard-revision-read': REVISION_READ } },
      ],
      instanceProfiles: [{ name: INSTANCE_PROFILE, role: INSTANCE_ROLE }],
    },
    ec2: {
      instances: INSTANCES.map((id, index) => ({ id, name: `web-${index + 1}`, tags: asg ? {} : { Env: 'prod' }, ...(profiles ? { instanceProfile: INSTANCE_PROFILE } : {}) })),
    },
    ...(asg
      ? { autoscaling: { groups: [{ name: asg.name, launchTemplate: 'shop-lt', instances: [...INSTANCES], lifecycleHooks: asg.hooks.map((group, i) => ({ name: `CodeDeploy-managed-automatic-launch-deployment-hook-${group}-0000000${i}-aaaa-bbbb-cccc-dddddddddddd` })) }] } }
      : {}),
    codedeploy: {
      applications: [{ name: APP }],
      deploymentGroups: [
        {
          application: APP,
          name: GROUP,
          serviceRole: SERVICE_ROLE,
          ...(asg ? { autoScalingGroups: [asg.name] } : { ec2TagFilters: [{ Key: tag.Key, Value: tag.Value, Type: 'KEY_AND_VALUE' }] }),
        },
      ],
      deployments: options.deployment === null ? [] : [deployment],
    },
    s3: { buckets: [{ name: BUCKET, region: REGION, objects: [{ key: KEY, body: 'PK fake revision' }, ...(options.extraObjects ?? []).map((key) => ({ key, body: 'PK' }))] }] },
    ...(options.ssm ? { ssm: { instances: options.ssm.online.map((instanceId) => ({ instanceId })), commandRules: options.ssm.rules } } : {}),
  };
}

/** Every instance fails the same way; the deployment fails with HEALTH_CONSTRAINTS. */
function allFail(failure: Omit<SeedTarget, 'instanceId'>): Partial<SeedDeployment> {
  return { targets: INSTANCES.map((instanceId) => ({ instanceId, ...failure })) };
}

/** An agent report as the read-only SSM script prints it (see src/commands/fix/agent-check.ts). */
export function agentReport(options: { running: boolean; log?: string; rootAws?: string; ntp?: 'yes' | 'no' }): string {
  return [
    'cdw-report:installed=yes',
    'cdw-report:version=OFFICIAL_1.7.1-110_rpm',
    `cdw-report:active=${options.running ? 'active' : 'inactive'}`,
    `cdw-report:status=${options.running ? 'The AWS CodeDeploy agent is running as PID 4242' : 'No AWS CodeDeploy agent running'}`,
    `cdw-report:root-aws=${options.rootAws ?? ''}`,
    `cdw-report:ntp=${options.ntp ?? 'yes'}`,
    'cdw-report:agent-log',
    options.log ?? '2026-01-10T10:00:00 INFO  [codedeploy-agent(4242)]: [Aws::CodeDeployCommand::Client 200 0.05 0 retries] poll_host_command(host_identifier:"arn:aws:ec2:us-east-1:123456789012:instance/i-0aaaaaaaaaaaaaaa1")',
    'cdw-report:deployments-log',
    '',
    'cdw-report:end',
  ].join('\n');
}

/** The fake answers the SSM report with a stopped agent until a restart command was sent, then a running one. */
export const STOPPED_AGENT_RULES: CommandRule[] = [
  { commandContains: 'restart codedeploy-agent', stdout: 'The AWS CodeDeploy agent is running as PID 5151' },
  { commandContains: 'cdw-report', notAfter: 'restart codedeploy-agent', stdout: agentReport({ running: false, log: '2026-01-10T09:58:01 INFO  [codedeploy-agent(4242)]: stopping the agent' }) },
  { commandContains: 'cdw-report', stdout: agentReport({ running: true }) },
];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'agent-missing-credentials',
    cause: 'agent-missing-credentials',
    description: 'The instances have no instance profile, so the agent has no credentials and never picks up the deployment.',
    seed: baseSeed({ profiles: false, deployment: allFail({ failAt: 'BeforeInstall', errorCode: 'UnknownError', scriptName: '', message: AGENT_DID_NOT_RECEIVE }) }),
    answers: ANSWERS,
  },
  {
    name: 's3-key-not-found',
    cause: 's3-key-not-found',
    description: 'The deployment names a key that is not in the bucket.',
    seed: baseSeed({
      deployment: {
        ...allFail({ failAt: 'DownloadBundle', errorCode: 'UnknownError', scriptName: '', message: 'The specified key does not exist.' }),
        revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: 'releases/shop-43.zip', bundleType: 'zip' } },
      },
    }),
    answers: ANSWERS,
  },
  {
    name: 's3-access-denied',
    cause: 's3-access-denied',
    description: 'The instance role may not read the revision bucket.',
    seed: baseSeed({ instanceRolePolicies: false, deployment: allFail({ failAt: 'DownloadBundle', errorCode: 'UnknownError', scriptName: '', message: 'Access Denied' }) }),
    answers: ANSWERS,
  },
  {
    name: 'appspec-not-found',
    cause: 'appspec-not-found',
    description: 'The bundle has no appspec.yml at its root.',
    seed: baseSeed({
      deployment: allFail({
        failAt: 'DownloadBundle',
        errorCode: 'UnknownError',
        scriptName: '',
        message:
          'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "/opt/codedeploy-agent/deployment-root/0b1c2d3e/d-FAILED001/deployment-archive", and the AppSpec file was expected but not found at path "/opt/codedeploy-agent/deployment-root/0b1c2d3e/d-FAILED001/deployment-archive/appspec.yml".',
      }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'script-failed',
    cause: 'script-failed',
    description: 'An AfterInstall script exits non-zero.',
    seed: baseSeed({
      deployment: allFail({
        failAt: 'AfterInstall',
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/install_dependencies.sh',
        message: 'Script at specified location: scripts/install_dependencies.sh run as user root failed with exit code 1',
        logTail: '[stderr]npm ERR! code ENOENT\n[stderr]npm ERR! enoent Could not read package.json',
      }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'script-timed-out',
    cause: 'script-timed-out',
    description: 'ApplicationStart does not finish within its timeout.',
    seed: baseSeed({
      deployment: allFail({ failAt: 'ApplicationStart', errorCode: 'ScriptTimedOut', scriptName: 'scripts/start_server.sh', message: 'Script at specified location: scripts/start_server.sh failed to complete in 300 seconds' }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'application-stop-failing',
    cause: 'application-stop-failing',
    description: "The previous revision's ApplicationStop script fails, so every new deployment fails before installing.",
    seed: baseSeed({
      deployment: allFail({
        failAt: 'ApplicationStop',
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/stop_server.sh',
        message: 'Script at specified location: scripts/stop_server.sh run as user root failed with exit code 127',
        logTail: '[stderr]scripts/stop_server.sh: line 3: pm2: command not found',
      }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'runtime-not-on-path',
    cause: 'runtime-not-on-path',
    description: "AfterInstall's script runs npm, which the hook's shell (root, no login profile) cannot find: exit 127.",
    seed: baseSeed({
      deployment: allFail({
        failAt: 'AfterInstall',
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/install_dependencies.sh',
        message: 'Script at specified location: scripts/install_dependencies.sh run as user root failed with exit code 127',
        // The agent keeps the last 4 KB of the script's output: here the header lines are already cut off.
        logTail: [
          '[stdout]Installing shop dependencies in /var/www/shop',
          '[stdout]node version: ',
          '[stderr]/opt/codedeploy-agent/deployment-root/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/d-FAILED001/deployment-archive/scripts/install_dependencies.sh: line 5: npm: command not found',
          '',
        ].join('\n'),
      }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'file-already-exists',
    cause: 'file-already-exists',
    description: 'Install finds a file it did not put there.',
    seed: baseSeed({
      deployment: allFail({ failAt: 'Install', errorCode: 'UnknownError', scriptName: '', message: 'The deployment failed because a specified file already exists at this location: /var/www/html/index.html' }),
    }),
    answers: ANSWERS,
  },
  {
    name: 'health-constraints',
    cause: 'script-timed-out',
    description: 'HEALTH_CONSTRAINTS: one instance times out in ApplicationStart, the other fails ValidateService.',
    seed: baseSeed({
      deployment: {
        targets: [
          { instanceId: INSTANCES[0], failAt: 'ApplicationStart', errorCode: 'ScriptTimedOut', scriptName: 'scripts/start_server.sh', message: 'Script at specified location: scripts/start_server.sh failed to complete in 300 seconds' },
          { instanceId: INSTANCES[1], failAt: 'ValidateService', errorCode: 'ScriptFailed', scriptName: 'scripts/validate.sh', message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 7', logTail: '[stderr]curl: (7) Failed to connect to localhost port 8080' },
        ],
      },
    }),
    answers: ANSWERS,
  },
  {
    name: 'no-instances',
    cause: 'no-instances',
    description: 'The group selects Env=production; the instances are tagged Env=prod.',
    seed: baseSeed({
      tagFilter: { Key: 'Env', Value: 'production' },
      deployment: {
        errorInformation: {
          code: 'NO_INSTANCES',
          message:
            'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your Amazon EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.',
        },
        targets: [],
      },
    }),
    answers: { ...ANSWERS, answers: { ...ANSWERS.answers, tagGroups: [[{ key: 'Env', value: 'production' }]] } },
  },
  {
    name: 'service-role-missing',
    cause: 'service-role-missing',
    description: "The group's service role was deleted.",
    seed: baseSeed({
      serviceRole: false,
      deployment: { errorInformation: { code: 'IAM_ROLE_MISSING', message: `No IAM role could be found with the name arn:aws:iam::${ACCOUNT}:role/${SERVICE_ROLE}.` }, targets: [] },
    }),
    answers: ANSWERS,
  },
  {
    name: 'service-role-trust',
    cause: 'service-role-trust',
    description: 'The service role trusts ec2.amazonaws.com instead of codedeploy.amazonaws.com.',
    seed: baseSeed({
      serviceRole: { trustPolicy: EC2_TRUST },
      deployment: { errorInformation: { code: 'IAM_ROLE_PERMISSIONS', message: `CodeDeploy does not have the permissions required to assume the role arn:aws:iam::${ACCOUNT}:role/${SERVICE_ROLE}.` }, targets: [] },
    }),
    answers: ANSWERS,
  },
  {
    name: 'service-role-permissions',
    cause: 'service-role-permissions',
    description: 'AWSCodeDeployRole was detached from the service role.',
    seed: baseSeed({
      serviceRole: { attached: [] },
      deployment: {
        errorInformation: {
          code: 'IAM_ROLE_PERMISSIONS',
          message: `The IAM role arn:aws:iam::${ACCOUNT}:role/${SERVICE_ROLE} does not give you permission to perform operations in the following AWS service: AmazonEC2. Contact your AWS administrator if you need help.`,
        },
        targets: [],
      },
    }),
    answers: ANSWERS,
  },
  {
    name: 'agent-not-running',
    cause: 'agent-not-running',
    description: 'The agent is stopped on the instances (SSM manages them and can restart it).',
    seed: baseSeed({
      deployment: allFail({ failAt: 'BeforeInstall', errorCode: 'UnknownError', scriptName: '', message: AGENT_DID_NOT_RECEIVE }),
      ssm: { online: INSTANCES, rules: STOPPED_AGENT_RULES },
    }),
    answers: ANSWERS,
  },
  {
    name: 'concurrent-deployments',
    cause: 'concurrent-deployments',
    description: 'Two deployment groups share one Auto Scaling group; their deployments collide on the instances.',
    seed: baseSeed({
      autoScalingGroup: { name: 'shop-asg', hooks: [GROUP, 'prod-canary'] },
      deployment: allFail({
        failAt: 'BeforeInstall',
        errorCode: 'UnknownError',
        scriptName: '',
        message:
          'One or more lifecycle events did not run and the deployment was unsuccessful. Possible causes include: (1) Multiple deployments are attempting to run at the same time on an instance; (2) The AWS CodeDeploy agent has stopped.',
      }),
    }),
    answers: ANSWERS,
  },
];

export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return found;
}

/** The failures a deployment run by CreateDeployment can be seeded with (`codedeploy.outcomes`), named by the cause fix finds. */
export const DEPLOY_TRAPS = ['script-failed', 'script-timed-out', 'application-stop-failing', 'appspec-not-found'] as const;
export type DeployTrap = (typeof DEPLOY_TRAPS)[number];

/**
 * The outcome rule for a trap: the failure its scenario's deployment recorded (event, error code, script, message,
 * log tail), for every instance or for one. A running deployment then fails exactly as the scenario's did.
 */
export function trapOutcome(trap: DeployTrap, instanceId?: string): DeploymentOutcomeRule {
  const target = scenario(trap).seed.codedeploy?.deployments?.[0]?.targets?.[0];
  if (target?.failAt === undefined) throw new Error(`Scenario ${trap} has no failing target`);
  const { failAt, errorCode, scriptName, message, logTail } = target;
  return {
    failAt,
    ...(instanceId === undefined ? {} : { instanceId }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(scriptName === undefined ? {} : { scriptName }),
    ...(message === undefined ? {} : { message }),
    ...(logTail === undefined ? {} : { logTail }),
  };
}
