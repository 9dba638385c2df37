import type { Prompter } from '../../prompt/prompter.js';

/**
 * Setup's questions by id, with their copy and the flag that answers each without a terminal. Tests answer them by
 * id; messages that carry numbers or names are completed where asked.
 */
export const QUESTIONS = {
  whereAmI: { message: 'Set up CodeDeploy in this account and region?', help: 'No stops here; use --profile (or AWS_PROFILE) and --region to work elsewhere.', flag: '--yes' },
  appPick: { message: 'CodeDeploy application', help: 'An application holds your deployment groups and revisions; pick one or create one.', flag: '--app' },
  app: { message: 'Name of the new application', help: 'Letters, digits and . _ + = , @ - (up to 100); usually the name of the service.', flag: '--app' },
  groupPick: { message: 'Deployment group', help: 'Which instances get a revision, and how; an existing group keeps what you do not change.', flag: '--group' },
  group: { message: 'Name of the new deployment group', help: 'Usually the environment: production, staging, …', flag: '--group' },
  keepGroupSettings: { message: 'Keep the settings of this deployment group?', help: 'Yes keeps them as they are; No asks for each (what you change is a ~ line in the plan).', flag: '--service-role, --deployment-config, --no-rollback, --target-group' },
  serviceRole: { message: 'Service role (the role CodeDeploy acts with)', help: 'It gets AWSCodeDeployRole. Roles listed already let CodeDeploy assume them for this account.', flag: '--service-role' },
  serviceRoleName: { message: 'Name of the new service role', help: 'Letters, digits and + = , . @ _ - (up to 64).', flag: '--service-role' },
  instanceRole: { message: 'Instance role (the role the agent on the instances uses)', help: 'It reads revisions from your bucket. Roles listed already let EC2 assume them.', flag: '--instance-role' },
  instanceRoleName: { message: 'Name of the new instance role', help: 'Letters, digits and + = , . @ _ - (up to 64).', flag: '--instance-role' },
  instanceProfilePick: { message: 'Instance profile (hands the instance role to the instances)', help: 'An instance carries one instance profile, and the profile holds the role.', flag: '--instance-profile' },
  instanceProfile: { message: 'Name of the new instance profile', help: 'Letters, digits and + = , . @ _ - (up to 128).', flag: '--instance-profile' },
  bucketPick: { message: 'S3 bucket for your revisions', help: 'The instances may read only this bucket (and the agent\'s); setup creates a new one, private.', flag: '--bucket' },
  bucket: { message: 'Name of the revision bucket', help: 'Lowercase letters, digits, dots and hyphens (3 to 63); setup creates it if it does not exist.', flag: '--bucket' },
  ssm: { message: 'Also attach AmazonSSMManagedInstanceCore to the instance role?', help: 'Lets Systems Manager reach the instances, to install and update the agent without SSH.', flag: '--ssm' },
  instances: { message: 'Instances to deploy to', help: 'Type to filter, Space picks, Enter confirms. Picked ones get the instance profile and the tag.', flag: '--instances' },
  asg: { message: 'Auto Scaling groups to deploy to', help: 'Space picks, Enter confirms. New instances in a group get the current revision.', flag: '--asg' },
  useTags: { message: 'Also deploy to instances that carry a tag?', help: 'No: the deployment group targets the Auto Scaling groups only.', flag: '--tag' },
  tags: { message: 'Instance tag (KEY=VALUE)', help: 'Space-separated tags form one group: ANY matches (OR). Several groups must ALL match (AND).', flag: '--tag' },
  moreTags: { message: 'Add another tag group?', help: 'Several tag groups: an instance must match EVERY group (AND). Up to 3.', flag: '--tag-group' },
  deploymentConfig: { message: 'How should a deployment roll out?', help: 'Move through the choices to see what each means for your instances.', flag: '--deployment-config' },
  rollback: { message: 'Roll back automatically when a deployment fails?', help: 'CodeDeploy then redeploys the last revision that succeeded.', flag: '--no-rollback' },
  useTargetGroup: { message: 'Take instances out of a load balancer target group while deploying?', help: 'Only with an ALB or NLB in front of the instances; without one, answer no.', flag: '--target-group' },
  targetGroup: { message: 'Target group ARN (or name)', help: 'arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID', flag: '--target-group' },
  github: { message: 'Let a GitHub Actions workflow deploy (OIDC, no access keys)?', help: 'An identity provider, and a role that only one repository and branch may use to deploy.', flag: '--github-repo' },
  githubRepo: { message: 'GitHub repository (OWNER/REPO)', help: 'Spelt as on GitHub; only this repository\'s workflows may use the role.', flag: '--github-repo' },
  githubTrigger: { message: 'The workflow deploys from', help: 'A job that names an environment gets a token for the environment instead of the branch.', flag: '--github-branch / --github-environment' },
  githubBranch: { message: 'Branch', help: 'Only runs for this branch may deploy (pull requests and other branches may not).', flag: '--github-branch' },
  githubEnvironment: { message: 'GitHub environment', help: 'Only jobs that name this environment may deploy; protect it with required reviewers.', flag: '--github-environment' },
  installAgent: { message: 'Install the CodeDeploy agent on these instances now?', help: 'Systems Manager runs AWS-ConfigureAWSPackage (AWSCodeDeployAgent); then the agent is checked.', flag: '--install-agent' },
  confirmPlan: { message: 'Apply these changes?', help: 'Nothing has been changed yet; no leaves AWS as it is.', flag: '--yes' },
  confirmRetag: { message: 'Change the tag of these instances?', help: 'Another deployment group may select them by today\'s value. No: they keep it, stay out.', flag: '--retag' },
  confirmForeign: { message: 'Change these resources cd-wizard did not create?', help: 'Each line shows what is there now. No: setup stops and changes nothing.', flag: '--change-foreign' },
  confirmReplace: { message: 'Replace the instance profile of these instances?', help: 'Each loses its current profile\'s permissions. No: they keep it, stay out of the group.', flag: '--replace-profile' },
} as const satisfies Record<string, { message: string; help: string; flag: string }>;

export type QuestionId = keyof typeof QUESTIONS;

/** The questions a prompter must be able to ask. `id` is stable: tests and the UI key on it, not on text. */
export type SetupPrompter = Prompter<QuestionId>;

/** A question's copy by id, with an optional message of its own (numbers, names). */
export const q = <Id extends QuestionId>(id: Id, message?: string) => ({ id, message: message ?? QUESTIONS[id].message, help: QUESTIONS[id].help, flag: QUESTIONS[id].flag });

/** The "create a new one" choice in a pick list (never a valid name). */
export const NEW = '\u0000new';
