import type { AwsClients } from '../clients.js';
import { createAutoScalingPort, type AutoScalingPort } from './autoscaling.js';
import { createCodeDeployPort, type CodeDeployPort } from './codedeploy.js';
import { createDeploymentsPort, type DeploymentsPort } from './deployments.js';
import { createEc2Port, type Ec2Port } from './ec2.js';
import { createIamPort, type IamPort } from './iam.js';
import { createIdentityPort, type IdentityPort } from './identity.js';
import { createInspectPort, type InspectPort } from './inspect.js';
import { createRevisionsPort, type RevisionsPort } from './revisions.js';
import { createS3Port, type S3Port } from './s3.js';
import { createSsmPort, type SsmPort } from './ssm.js';
import { createTeardownPort, type TeardownPort } from './teardown.js';

/** Every AWS call cd-wizard makes, by service. Each SDK client loads on its port's first call. */
export interface AwsPorts {
  identity: IdentityPort;
  iam: IamPort;
  ec2: Ec2Port;
  autoScaling: AutoScalingPort;
  codeDeploy: CodeDeployPort;
  s3: S3Port;
  deployments: DeploymentsPort;
  ssm: SsmPort;
  /** Read-only calls only checks need: the policy simulator, HeadObject, lifecycle hooks. */
  inspect: InspectPort;
  /** Pushing a revision: the bundle to S3, RegisterApplicationRevision. */
  revisions: RevisionsPort;
  /** What only teardown calls: in-use reads and idempotent deletes. */
  teardown: TeardownPort;
}

export function createAwsPorts(clients: AwsClients): AwsPorts {
  return {
    identity: createIdentityPort(clients.sts),
    iam: createIamPort(clients.iam),
    ec2: createEc2Port(clients.ec2),
    autoScaling: createAutoScalingPort(clients.autoScaling),
    codeDeploy: createCodeDeployPort(clients.codeDeploy),
    s3: createS3Port(clients.s3),
    deployments: createDeploymentsPort(clients.codeDeploy),
    ssm: createSsmPort(clients.ssm),
    inspect: createInspectPort(clients),
    revisions: createRevisionsPort({ s3: clients.s3, codeDeploy: clients.codeDeploy, storage: clients.storage }),
    teardown: createTeardownPort(clients),
  };
}

export type { AutoScalingPort, CodeDeployPort, DeploymentsPort, Ec2Port, IamPort, IdentityPort, InspectPort, RevisionsPort, S3Port, SsmPort, TeardownPort };
export type { RegisterInput, UploadInput, UploadedObject } from './revisions.js';
export type { LeftoverHooks, S3ObjectSummary } from './teardown.js';
export type { AutoScalingGroupInfo } from './autoscaling.js';
export type { CodeDeployApplication, CodeDeployDeploymentGroup, DeploymentGroupSpec } from './codedeploy.js';
export type { CreateDeploymentInput, Deployment, DeploymentTarget, LifecycleEvent, Revision, S3Revision } from './deployments.js';
export type { Ec2Instance, LaunchProfile, ProfileAssociation } from './ec2.js';
export type { IamInstanceProfile, IamRole, OidcProvider } from './iam.js';
export type { CallerIdentity } from './identity.js';
export type { LifecycleHook, ObjectHead, SimulationResult } from './inspect.js';
export type { BucketLocation } from './s3.js';
export type { CommandInvocation, ManagedInstance } from './ssm.js';
