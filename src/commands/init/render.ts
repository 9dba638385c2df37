import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Style } from '../../io/terminal.js';
import type { ScaffoldAnswers } from '../../scaffold/types.js';
import { WORKFLOW_PATH } from '../../scaffold/workflow.js';
import type { DeployTarget } from './deploy-target.js';
import { modeText, type DiskState, type FilePlan, type Outcome } from './files.js';

/** What init prints: the files and what happened to each, and what to do next. Pure apart from existsSync. */

export type Status = Outcome | 'would-create' | 'would-overwrite' | 'would-ask' | 'conflict';

const SYMBOL: Record<Status, string> = {
  created: '+',
  overwritten: '~',
  unchanged: '=',
  kept: '!',
  'would-create': '+',
  'would-overwrite': '~',
  'would-ask': '?',
  conflict: '!',
};

const WORDS: Record<Status, string> = {
  created: 'created',
  overwritten: 'overwritten',
  unchanged: 'unchanged',
  kept: 'kept yours (differs)',
  'would-create': 'would create',
  'would-overwrite': 'would overwrite (--force)',
  'would-ask': 'exists and differs: would ask (default No)',
  conflict: 'exists and differs',
};

export function describe(answers: ScaffoldAnswers): string {
  switch (answers.kind) {
    case 'static':
      return `static site: ${answers.source ?? 'public'}/ into ${answers.destination}, checked on port ${answers.port}`;
    case 'docker-compose':
      return `docker compose: ${answers.composeFile ?? 'compose.yaml'} in ${answers.destination}, checked on port ${answers.port}`;
    default:
      return `${answers.kind} service under systemd: ${answers.destination}, user ${answers.user ?? answers.name}, port ${answers.port}`;
  }
}

export function renderFiles(rows: ReadonlyArray<{ file: FilePlan; status: Status }>, style: Style): string {
  const width = Math.max(...rows.map((row) => row.file.path.length));
  return rows
    .map(({ file, status }) => {
      const symbol = status === 'kept' || status === 'conflict' || status === 'would-ask' ? style.yellow(SYMBOL[status]) : status === 'unchanged' ? style.dim(SYMBOL[status]) : style.green(SYMBOL[status]);
      return `  ${symbol} ${file.path.padEnd(width)}  ${modeText(file.mode)}  ${WORDS[status]}`;
    })
    .join('\n');
}

export function dryRunStatus(disk: DiskState, force: boolean, role: FilePlan['role']): Status {
  if (disk === 'new') return 'would-create';
  if (disk === 'same') return 'unchanged';
  return force && role === 'script' ? 'would-overwrite' : 'would-ask';
}

/** The next steps, each one line (wrapped by the renderer). */
export function nextSteps(answers: ScaffoldAnswers, cwd: string, target: DeployTarget): string[] {
  const steps: string[] = [];
  const folders = ['appspec.yml', 'scripts/', ...(answers.kind === 'node' || answers.kind === 'java' || answers.kind === 'python' ? ['deploy/'] : []), ...(answers.workflow ? ['.github/'] : [])];
  steps.push(`Commit them: git add ${folders.join(' ')} (from a Windows checkout, keep the scripts executable: git update-index --chmod=+x scripts/*.sh).`);
  switch (answers.kind) {
    case 'node':
      steps.push(`The instances need Node.js and npm where systemd finds them (/usr/bin or /usr/local/bin). Settings and secrets: /etc/${answers.name}/env on each instance (KEY=value lines).`);
      break;
    case 'java':
      steps.push(`The instances need a Java runtime, and the bundle the jar that "${answers.startCommand ?? ''}" runs from ${answers.destination}${answers.workflow ? ' (the workflow copies the built jar to app.jar)' : ''}. Settings and secrets: /etc/${answers.name}/env.`);
      break;
    case 'python':
      steps.push(`The instances need python3 with venv (python3-venv on Ubuntu); requirements.txt is installed into ${answers.destination}/.venv. Settings and secrets: /etc/${answers.name}/env.`);
      break;
    case 'static':
      steps.push(
        `${existsSync(join(cwd, answers.source ?? 'public')) ? 'Build' : `${answers.source ?? 'public'}/ does not exist yet: build`} the site into ${answers.source ?? 'public'}/ before bundling. The instances need nginx or httpd serving ${answers.destination} on port ${answers.port}.`,
      );
      break;
    case 'docker-compose':
      if (!existsSync(join(cwd, answers.composeFile ?? 'compose.yaml'))) steps.push(`Add ${answers.composeFile ?? 'compose.yaml'} to this folder: the hooks run docker compose up -d with it.`);
      steps.push('The instances need Docker with the Compose plugin, and access to your image registry.');
      break;
  }
  if (answers.workflow) {
    const { branch, roleArn } = answers.workflow;
    steps.push(`Push to ${branch}: ${WORKFLOW_PATH} deploys with ${roleArn}, which must trust repo:OWNER/REPO:ref:refs/heads/${branch} (cd-wizard guide --show github-actions-oidc).`);
  } else {
    // deploy reads application, group and bucket from the answers file; the flags name what it lacks.
    const missing = [
      ...(target.app ? [] : ['--app <application>']),
      ...(target.group ? [] : ['--group <deployment-group>']),
      ...(target.bucket ? [] : ['--bucket <bucket>']),
    ];
    steps.push(
      missing.length === 0
        ? `Deploy: cd-wizard deploy (lints this folder, uploads it to s3://${target.bucket ?? ''}/${target.app ?? ''}/, deploys it to ${target.app ?? ''}/${target.group ?? ''} and watches it).`
        : `Deploy: cd-wizard deploy ${missing.join(' ')} (cd-wizard setup writes them to cd-wizard.json).`,
    );
  }
  steps.push('Check again after every edit: cd-wizard lint');
  return steps;
}

/** Word-wraps a bullet list to the width. */
export function renderSteps(steps: readonly string[], width: number): string {
  return steps
    .map((step) => {
      const lines: string[] = [];
      let line = '  • ';
      for (const word of step.split(/\s+/)) {
        if (line.trim() !== '•' && line.length + 1 + word.length > width) {
          lines.push(line);
          line = `    ${word}`;
        } else line += line.endsWith('• ') ? word : ` ${word}`;
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}
