import type { Command } from 'commander';
import type { Runner } from './runner.js';

/** `cd-wizard init`: appspec.yml and hook scripts for a kind of app. The command itself loads only when it runs. */
export function defineInit(program: Command, run: Runner): void {
  program
    .command('init')
    .description('write appspec.yml and hook scripts for your kind of app (and optionally a GitHub Actions workflow)')
    .option('--kind <kind>', 'static, node, java, python or docker-compose')
    .option('--name <name>', 'the app\'s name: its systemd service, user and folder (default: package.json or the folder)')
    .option('--port <port>', 'the port it answers on, on the instance (default: 80, 3000, 8080, 8000 by kind)')
    .option('--destination <path>', 'where the files go on the instance (default: /var/www/html, or /opt/<name>)')
    .option('--user <user>', 'services: the Linux user it runs as (default: the name)')
    .option('--start-command <command>', 'services: how it starts, run by systemd in the destination (default: detected)')
    .option('--health-path <path>', 'the path ValidateService requests (default: /)')
    .option('--source <folder>', 'static: the folder with the built site (default: public, dist or build when present)')
    .option('--compose-file <file>', 'docker-compose: the compose file (default: the one present, or compose.yaml)')
    .option('--github-actions', 'also write .github/workflows/codedeploy.yml (OIDC, no access keys)')
    .option('--no-github-actions', 'do not write the workflow (and do not ask)')
    .option('--app <name>', 'workflow: CodeDeploy application (default: cd-wizard.json)')
    .option('--group <name>', 'workflow: deployment group (default: cd-wizard.json)')
    .option('--bucket <name>', 'workflow: revision bucket (default: cd-wizard.json)')
    .option('--role-arn <arn>', 'workflow: the IAM role GitHub assumes through OIDC')
    .option('--branch <branch>', 'workflow: the branch that deploys (default: the current one)')
    .option('-f, --force', 'overwrite hook scripts that differ (other files are only overwritten after a yes)')
    .option('--dry-run', 'list what would be written, and write nothing')
    .addHelpText(
      'after',
      `
On a terminal it asks what the flags leave open (kind, name, port, folder, user, start command, workflow).
Without one, --kind is required and the rest has defaults. An existing file that differs is never replaced
without a yes (default No); without a terminal init then stops before writing anything (--force replaces
hook scripts). The scripts are LF, mode 0755, with timeouts; services run under systemd or docker compose
up -d, the stop script succeeds when nothing runs, and ValidateService checks the app answers.

Examples:
  $ cd-wizard init                                   # asks
  $ cd-wizard init --kind node --port 3000 --dry-run
  $ cd-wizard init --kind java --start-command "java -jar app.jar" --user shop
  $ cd-wizard init --kind static --source dist
  $ cd-wizard init --kind docker-compose --port 8080 --github-actions \\
      --role-arn arn:aws:iam::123456789012:role/GitHubDeploy   # app, group, bucket from cd-wizard.json
  $ cd-wizard init --kind node --force && cd-wizard lint

Exit codes: 0 written (or nothing to do), 1 a file is in the way, 2 usage error, 130 cancelled.`,
    )
    .action(async (options: Record<string, unknown>, command: Command) => {
      await run(async (ctx) => {
        const { runInit } = await import('../commands/init/init.js');
        const { githubActions, ...rest } = options;
        return runInit(ctx, { ...rest, ...(command.getOptionValueSource('githubActions') === 'cli' ? { githubActions: githubActions === true } : {}) });
      }, command);
    });
}
