import type { ScaffoldAnswers } from './types.js';

/** The appspec.yml and the systemd unit init writes. */

/** A command for ExecStart: systemd expands $ and % and reads quotes and backslashes, so escape them. */
export function systemdExecArgument(command: string): string {
  return command.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%');
}

export function systemdUnit(answers: ScaffoldAnswers): string {
  const user = answers.user ?? answers.name;
  const environment = [`PORT=${answers.port}`, ...(answers.kind === 'java' ? [`SERVER_PORT=${answers.port}`] : [])];
  const path = answers.kind === 'python' ? [`Environment=PATH=${answers.destination}/.venv/bin:/usr/local/bin:/usr/bin:/bin`] : [];
  return `# systemd unit for ${answers.name}, written by cd-wizard init; the AfterInstall hook installs it.
# Logs: journalctl -u ${answers.name}    Secrets and settings: /etc/${answers.name}/env (KEY=value lines, optional)
[Unit]
Description=${answers.name} (deployed with CodeDeploy)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${user}
Group=${user}
WorkingDirectory=${answers.destination}
Environment=${environment.join(' ')}
${path.map((line) => `${line}\n`).join('')}EnvironmentFile=-/etc/${answers.name}/env
ExecStart=/bin/sh -c "exec ${systemdExecArgument(answers.startCommand ?? '')}"
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
}

interface Hook {
  event: string;
  script: string;
  timeout: number;
  comment?: string;
}

export function hooksFor(answers: ScaffoldAnswers): Hook[] {
  switch (answers.kind) {
    case 'static':
      return [{ event: 'ValidateService', script: 'scripts/validate.sh', timeout: 300 }];
    case 'docker-compose':
      return [
        { event: 'BeforeInstall', script: 'scripts/before-install.sh', timeout: 300 },
        { event: 'AfterInstall', script: 'scripts/after-install.sh', timeout: 900 },
        { event: 'ApplicationStart', script: 'scripts/start.sh', timeout: 900, comment: 'up --detach: returns once the containers are started' },
        { event: 'ValidateService', script: 'scripts/validate.sh', timeout: 300 },
      ];
    default:
      return [
        { event: 'ApplicationStop', script: 'scripts/stop.sh', timeout: 120, comment: "runs the PREVIOUS revision's copy; succeeds when nothing runs yet" },
        { event: 'BeforeInstall', script: 'scripts/before-install.sh', timeout: 300 },
        { event: 'AfterInstall', script: 'scripts/after-install.sh', timeout: 900 },
        { event: 'ApplicationStart', script: 'scripts/start.sh', timeout: 120, comment: 'systemctl restart: returns at once' },
        { event: 'ValidateService', script: 'scripts/validate.sh', timeout: 300 },
      ];
  }
}

function permissionsFor(answers: ScaffoldAnswers): string {
  if (answers.kind === 'static') {
    return `# Readable by the web server whatever modes the bundle was made with.
permissions:
  - object: ${answers.destination}
    pattern: "**"
    mode: 755
    type:
      - directory
  - object: ${answers.destination}
    pattern: "**"
    mode: 644
    type:
      - file
`;
  }
  if (answers.kind === 'docker-compose') return '';
  const user = answers.user ?? answers.name;
  return `# The service user owns the app's files.
permissions:
  - object: ${answers.destination}
    owner: ${user}
    group: ${user}
`;
}

export function appspec(answers: ScaffoldAnswers): string {
  const source = answers.kind === 'static' ? (answers.source ?? 'public') : '/';
  const hooks = hooksFor(answers)
    .map((hook) => `${hook.comment === undefined ? '' : `  # ${hook.comment}\n`}  ${hook.event}:\n    - location: ${hook.script}\n      timeout: ${hook.timeout}\n`)
    .join('');
  return `# CodeDeploy AppSpec for ${answers.name} (${answers.kind}), written by cd-wizard init.
# Check it with: cd-wizard lint     Reference: cd-wizard guide --show appspec-reference
version: 0.0
os: linux
files:
  - source: ${source}
    destination: ${answers.destination}
# Replace files that are already there: a first deployment onto a used instance fails otherwise.
file_exists_behavior: OVERWRITE
${permissionsFor(answers)}hooks:
${hooks}`;
}
