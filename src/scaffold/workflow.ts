import type { AppKind, ScaffoldAnswers, WorkflowAnswers } from './types.js';

/**
 * The GitHub Actions workflow init writes: OIDC credentials (no access keys anywhere), `aws deploy push` of the
 * bundle under the application's prefix, CreateDeployment, then `cd-wizard fix --wait`, which follows the
 * deployment and fails the job (with the diagnosis) when it fails.
 */

export const WORKFLOW_PATH = '.github/workflows/codedeploy.yml';

/** `${{ expr }}` without fighting template literals. */
const gh = (expression: string) => '${{ ' + expression + ' }}';

/** A YAML plain scalar when safe, else single-quoted. */
function yamlValue(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

function buildSteps(kind: AppKind, hasPackageJson: boolean): string[] {
  switch (kind) {
    case 'node':
      return [
        '      - uses: actions/setup-node@v4',
        '        with:',
        '          node-version: 20',
        '      - name: Build',
        '        # node_modules stays out of the bundle: the instance installs production dependencies for its own OS and CPU.',
        '        run: |',
        '          npm ci',
        '          npm run build --if-present',
        '          rm -rf node_modules',
      ];
    case 'java':
      return [
        '      - uses: actions/setup-java@v4',
        '        with:',
        '          distribution: temurin',
        '          java-version: 21',
        '      - name: Build the jar',
        '        # The start command runs app.jar from the bundle root.',
        '        run: |',
        '          if [ -x ./gradlew ]; then ./gradlew --no-daemon build; jars=build/libs; else mvn --batch-mode package; jars=target; fi',
        '          cp "$(ls "$jars"/*.jar | grep -v -- -plain.jar | head -n 1)" app.jar',
      ];
    case 'static':
      return hasPackageJson
        ? ['      - uses: actions/setup-node@v4', '        with:', '          node-version: 20', '      - name: Build the site', '        run: npm ci && npm run build']
        : [];
    default:
      return [];
  }
}

export function workflow(answers: ScaffoldAnswers & { workflow: WorkflowAnswers }, options: { hasPackageJson: boolean }): string {
  const target = answers.workflow;
  const build = buildSteps(answers.kind, options.hasPackageJson);
  return [
    `# Deploys ${answers.name} to CodeDeploy on every push to ${target.branch}. Written by cd-wizard init.`,
    '# AWS credentials come from GitHub\'s OIDC token and the role below: no access keys are stored anywhere.',
    '# The role must trust this repository and branch (cd-wizard guide --show github-actions-oidc).',
    'name: Deploy with CodeDeploy',
    '',
    'on:',
    '  push:',
    `    branches: [${yamlValue(target.branch)}]`,
    '  workflow_dispatch:',
    '',
    'permissions:',
    '  id-token: write   # lets the job ask GitHub for the OIDC token',
    '  contents: read',
    '',
    '# CodeDeploy runs one deployment per group at a time: queue runs instead of overlapping them.',
    'concurrency:',
    `  group: codedeploy-${target.application}-${target.deploymentGroup}`,
    '  cancel-in-progress: false',
    '',
    'env:',
    `  AWS_REGION: ${yamlValue(target.region)}`,
    `  APPLICATION: ${yamlValue(target.application)}`,
    `  DEPLOYMENT_GROUP: ${yamlValue(target.deploymentGroup)}`,
    `  BUCKET: ${yamlValue(target.bucket)}`,
    '',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 60',
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...build,
    '      - uses: aws-actions/configure-aws-credentials@v4',
    '        with:',
    `          role-to-assume: ${target.roleArn}`,
    `          aws-region: ${gh('env.AWS_REGION')}`,
    '      - name: Push the revision',
    '        # One key per commit: a rollback can still find every older bundle.',
    '        run: |',
    '          aws deploy push \\',
    '            --application-name "$APPLICATION" \\',
    '            --s3-location "s3://$BUCKET/$APPLICATION/$GITHUB_SHA.zip" \\',
    '            --source . \\',
    '            --ignore-hidden-files',
    '      - name: Create the deployment',
    '        id: deploy',
    '        run: |',
    '          id=$(aws deploy create-deployment \\',
    '            --application-name "$APPLICATION" \\',
    '            --deployment-group-name "$DEPLOYMENT_GROUP" \\',
    '            --s3-location "bucket=$BUCKET,key=$APPLICATION/$GITHUB_SHA.zip,bundleType=zip" \\',
    '            --description "GitHub $GITHUB_REPOSITORY@$GITHUB_SHA" \\',
    '            --query deploymentId --output text)',
    '          echo "Deployment $id"',
    '          echo "id=$id" >> "$GITHUB_OUTPUT"',
    '      - name: Wait for it (a failure is diagnosed and fails the job)',
    `        run: npx --yes cd-wizard@${answers.version} fix --wait --deployment "${gh('steps.deploy.outputs.id')}" --app "$APPLICATION" --group "$DEPLOYMENT_GROUP" --region "$AWS_REGION"`,
    '',
  ].join('\n');
}
