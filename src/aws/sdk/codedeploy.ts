// The part of @aws-sdk/client-codedeploy cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  CodeDeployClient,
  BatchGetDeploymentGroupsCommand,
  BatchGetDeploymentTargetsCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  ListTagsForResourceCommand,
  RegisterApplicationRevisionCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-codedeploy';
