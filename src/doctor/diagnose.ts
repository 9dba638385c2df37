import type { AwsPorts, CodeDeployDeploymentGroup, Deployment } from '../aws/ports/index.js';
import type { SsmOptions } from '../codedeploy/agent.js';
import { createFacts, runSetupChecks, type CheckInput } from '../codedeploy/checks.js';
import { UserError } from '../errors.js';
import type { Kb } from '../kb/kb.js';
import type { Prompter } from '../prompt/prompter.js';
import type { AnswersFile } from '../store/answers-file.js';
import { evidenceTargets, failedTargetIds, instanceNames, placeholders } from './evidence.js';
import { buildFindings, deploymentPieces, fillFindings, type EvidencePiece } from './findings.js';
import { onInstanceChecks, type DoctorQuestionId } from './on-instance.js';
import type { OnlineReport } from './online-report.js';
import { rulesOf } from './rules.js';

/**
 * The diagnosis of a deployment in AWS, shared by `fix` and `deploy`: its evidence (status, error, every failed
 * instance's lifecycle events) and the setup checks, read concurrently → the on-instance agent check over SSM
 * (asked first) → findings, most specific first, with the user's names in the fix steps. Makes no change.
 */

export interface DiagnoseInput {
  region: string;
  application: string;
  group: string;
  /** Undefined: no deployment to read; the setup is checked alone. */
  deploymentId?: string;
  /** The deployment, when the caller has just read it (a watch that ended). */
  deployment?: Deployment;
  /** The group's read, when the caller started it early (the names were known before the deployment was chosen). */
  groupRead?: Promise<CodeDeployDeploymentGroup | undefined>;
  /** The answers file, when it describes this application and group. */
  answers?: AnswersFile;
  /** The instance profile setup made (from the answers file), if known. */
  knownProfile?: string;
  /** false: no on-instance check (--no-ssm). */
  ssm?: boolean;
  /** The on-instance check may run without asking. */
  yes?: boolean;
  prompter: Prompter<DoctorQuestionId> | undefined;
  ssmOptions: SsmOptions;
  /** The knowledge base, or its load still under way: it is awaited only when the evidence is in. */
  kb: Kb | Promise<Kb>;
  accountIds: boolean;
  /** Progress lines. */
  say: (text: string) => void;
}

export interface Diagnosis {
  report: OnlineReport;
  /** What the checks read, for remedies and their re-checks. */
  input: CheckInput;
  group: CodeDeployDeploymentGroup;
}

export async function diagnoseDeployment(ports: AwsPorts, options: DiagnoseInput): Promise<Diagnosis> {
  const { region, application, group: groupName, answers, knownProfile } = options;
  const failedIds = failedTargetIds(ports, options.deploymentId);
  const [group, deployment] = await Promise.all([
    options.groupRead ?? ports.codeDeploy.getDeploymentGroup(application, groupName),
    options.deployment ? Promise.resolve(options.deployment) : options.deploymentId ? ports.deployments.getDeployment(options.deploymentId) : Promise.resolve(undefined),
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
    candidateInstances: answers?.answers.instances ?? [],
    ...(answers?.answers.bucket ? { bucket: answers.answers.bucket } : {}),
    ...(answers?.state ? { recorded: answers.state } : {}),
  };
  const facts = createFacts(ports, input);
  const [targets, checks] = await Promise.all([failedIds.then((ids) => evidenceTargets(ports, deployment, ids)), runSetupChecks(ports, input, facts)]);
  const pieces: EvidencePiece[] = deployment ? deploymentPieces(deployment, targets) : [];

  // On the instances, through SSM (asked first: it runs a command there).
  const ssm = await onInstanceChecks(ports, {
    ...(options.ssm === undefined ? {} : { ssm: options.ssm }),
    ...(options.yes === undefined ? {} : { yes: options.yes }),
    prompter: options.prompter,
    instances: targets.length > 0 ? targets.map((t) => t.id) : await facts.instances().then((set) => set.matched.filter((i) => i.state === 'running').map((i) => i.id), () => []),
    ssmOptions: options.ssmOptions,
    say: options.say,
  });
  checks.push(...ssm.checks);
  pieces.push(...ssm.logs.map((log) => ({ source: { kind: 'instance-log' as const, instance: log.instance, log: log.log }, text: log.text })));

  // Findings, with the user's names in the fix steps.
  const kb = await options.kb;
  const checkEvidence = checks.flatMap((check) => (check.status === 'problem' && check.cause ? [{ check: check.id, cause: check.cause, detail: check.detail, instances: check.instances }] : []));
  const base = { application, group: groupName, ...(deployment ? { deployment } : {}) };
  const values = placeholders(region, base, group.serviceRoleArn, { ...(await instanceNames(facts, knownProfile)), ...(group.autoScalingGroups[0] ? { '<asg>': group.autoScalingGroups[0] } : {}) });
  const findings = fillFindings(buildFindings(pieces, checkEvidence, rulesOf(kb), kb, { accountIds: options.accountIds }), values);
  return { report: { region, ...base, targetsRead: targets.length, findings, checks, ssm: ssm.state, remedies: [] }, input, group };
}
