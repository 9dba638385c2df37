import type { AppKind, ScaffoldAnswers } from './types.js';

/**
 * The hook scripts init writes. Each is standalone bash (no shared file to forget in the bundle), LF-only, with
 * its values at the top. The traps lint looks for are avoided by construction: services run under systemd or
 * `docker compose up -d` (nothing is left holding the hook's output), the stop script succeeds when there is
 * nothing to stop, and the validate script retries for a bounded time and prints why it gave up.
 */

/** A value as a single-quoted shell word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function header(event: string, name: string, purpose: readonly string[]): string {
  return [
    '#!/bin/bash',
    `# ${event} hook for ${name}: ${purpose[0] ?? ''}`,
    ...purpose.slice(1).map((line) => `# ${line}`),
    '# Written by cd-wizard init; edit freely and check with: cd-wizard lint',
    '# CodeDeploy runs it as root; what it prints shows in the deployment\'s log tail.',
    'set -euo pipefail',
    '',
    '',
  ].join('\n');
}

const values = (pairs: Record<string, string>) => `${Object.entries(pairs).map(([key, value]) => `readonly ${key}=${shellQuote(value)}`).join('\n')}\n`;

/** Picks `docker compose` (v2) or `docker-compose` (v1) and runs it in the app folder with the project name. */
function composeFunction(): string {
  return `
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose --project-name "$PROJECT" --file "$COMPOSE_FILE" "$@"; }
elif command -v docker-compose >/dev/null 2>&1; then
  compose() { docker-compose --project-name "$PROJECT" --file "$COMPOSE_FILE" "$@"; }
else
  echo "Docker Compose is not installed on this instance (install the docker-compose-plugin package)." >&2
  exit 1
fi
`;
}

const RUNTIME: Partial<Record<AppKind, { command: string; what: string }>> = {
  node: { command: 'node', what: 'Node.js' },
  java: { command: 'java', what: 'a Java runtime' },
  python: { command: 'python3', what: 'Python 3' },
};

export function stopScript(answers: ScaffoldAnswers): string {
  return `${header('ApplicationStop', answers.name, [
    'stop the service before Install replaces its files.',
    'CodeDeploy runs the copy of this script from the PREVIOUS successful revision, and not at all on the first',
    'deployment. It must succeed when there is nothing to stop: a failing stop script fails every deployment',
    'after it (recover with --ignore-application-stop-failures).',
  ])}${values({ SERVICE: answers.name })}
if systemctl cat "$SERVICE.service" >/dev/null 2>&1; then
  systemctl stop "$SERVICE.service" || echo "Could not stop $SERVICE; ApplicationStart restarts it anyway." >&2
  echo "Stopped $SERVICE."
else
  echo "$SERVICE is not installed yet: nothing to stop."
fi
`;
}

export function beforeInstallScript(answers: ScaffoldAnswers): string {
  if (answers.kind === 'docker-compose') {
    return `${header('BeforeInstall', answers.name, ['Docker and Compose are there and the Docker daemon runs.'])}
if ! command -v docker >/dev/null 2>&1; then
  echo "Docker is not installed on this instance. Install it (in the AMI or user data), then deploy again." >&2
  exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "The Docker daemon is not running: sudo systemctl enable --now docker" >&2
  exit 1
fi
`;
  }
  const runtime = RUNTIME[answers.kind];
  return `${header('BeforeInstall', answers.name, ['the runtime is installed, and the service user exists (Install gives it the files).'])}${values({
    APP_USER: answers.user ?? answers.name,
  })}
if ! command -v ${runtime?.command ?? 'sh'} >/dev/null 2>&1; then
  echo "${runtime?.command ?? 'sh'} is not installed on this instance. Install ${runtime?.what ?? 'it'} (in the AMI or user data), then deploy again." >&2
  exit 1
fi
if ! id -u "$APP_USER" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$APP_USER"
  echo "Created the system user $APP_USER."
fi
`;
}

function dependencySteps(kind: AppKind): string {
  switch (kind) {
    case 'node':
      return `# Production dependencies, unless the bundle already has them (built for this OS and CPU).
if [ -f package.json ] && [ ! -d node_modules ]; then
  if [ -f package-lock.json ]; then npm ci --omit=dev; else npm install --omit=dev; fi
  chown -R "$APP_USER:$APP_USER" node_modules
fi
`;
    case 'python':
      return `# A virtualenv kept between deployments, with the app's requirements.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ -f requirements.txt ]; then
  .venv/bin/pip install --quiet --requirement requirements.txt
fi
chown -R "$APP_USER:$APP_USER" .venv
`;
    default:
      return '# A runnable jar needs no install step.\n';
  }
}

export function afterInstallScript(answers: ScaffoldAnswers): string {
  if (answers.kind === 'docker-compose') {
    return `${header('AfterInstall', answers.name, ['pull the images the compose file names (images built from the bundle are built at start).'])}${values({
      APP_DIR: answers.destination,
      PROJECT: answers.name,
      COMPOSE_FILE: answers.composeFile ?? 'compose.yaml',
    })}${composeFunction()}
cd "$APP_DIR"
compose pull --ignore-pull-failures
`;
  }
  return `${header('AfterInstall', answers.name, ['install dependencies and the systemd unit.'])}${values({
    SERVICE: answers.name,
    APP_DIR: answers.destination,
    APP_USER: answers.user ?? answers.name,
  })}
cd "$APP_DIR"
${dependencySteps(answers.kind)}
install -m 644 "deploy/$SERVICE.service" "/etc/systemd/system/$SERVICE.service"
systemctl daemon-reload
systemctl enable "$SERVICE.service"
`;
}

export function startScript(answers: ScaffoldAnswers): string {
  if (answers.kind === 'docker-compose') {
    return `${header('ApplicationStart', answers.name, [
      'start (or update) the containers, detached: the hook returns at once and',
      'Docker keeps them running and their logs (docker compose logs).',
    ])}${values({ APP_DIR: answers.destination, PROJECT: answers.name, COMPOSE_FILE: answers.composeFile ?? 'compose.yaml' })}${composeFunction()}
cd "$APP_DIR"
compose up --detach --build --remove-orphans
echo "Started $PROJECT."
`;
  }
  return `${header('ApplicationStart', answers.name, [
    '(re)start the service. systemd runs it in the background and keeps its',
    `logs (journalctl -u ${answers.name}), so this hook returns at once instead of holding the deployment open.`,
  ])}${values({ SERVICE: answers.name })}
systemctl restart "$SERVICE.service"
echo "Started $SERVICE."
`;
}

function diagnostics(answers: ScaffoldAnswers): string {
  if (answers.kind === 'static') return 'systemctl --no-pager status nginx httpd apache2 2>&1 | tail -n 20 || true\n';
  if (answers.kind === 'docker-compose') return `cd "$APP_DIR"\ncompose ps || true\ncompose logs --tail 30 || true\n`;
  return 'systemctl --no-pager status "$SERVICE.service" 2>&1 | tail -n 15 || true\njournalctl --unit "$SERVICE.service" --lines 30 --no-pager 2>&1 || true\n';
}

export function validateScript(answers: ScaffoldAnswers): string {
  const url = `http://127.0.0.1:${answers.port}${answers.healthPath}`;
  const extra: Record<string, string> =
    answers.kind === 'docker-compose'
      ? { APP_DIR: answers.destination, PROJECT: answers.name, COMPOSE_FILE: answers.composeFile ?? 'compose.yaml' }
      : answers.kind === 'static'
        ? {}
        : { SERVICE: answers.name };
  return `${header('ValidateService', answers.name, [`${url} answers.`, 'It retries for about a minute, then fails the deployment and prints why.'])}${values({
    URL: url,
    ...extra,
  })}readonly ATTEMPTS=30
${answers.kind === 'docker-compose' ? composeFunction() : ''}
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --max-time 5 --output /dev/null "$URL"
  else
    wget --quiet --timeout=5 --output-document=/dev/null "$URL"
  fi
}

for attempt in $(seq 1 "$ATTEMPTS"); do
  if fetch; then
    echo "$URL answered (attempt $attempt)."
    exit 0
  fi
  sleep 2
done

echo "$URL did not answer after $ATTEMPTS attempts." >&2
${diagnostics(answers)}exit 1
`;
}
