import type { Prompter } from '../../prompt/prompter.js';
import { APP_KINDS, KIND_LABELS, type AppKind } from '../../scaffold/types.js';
import { FLAG_OF, defaultOf, fieldsFor, problemOf, type DefaultsSource, type Draft, type Field } from './answers.js';

/**
 * init's questions on a terminal, asked only for what the flags left open, each with its default and one line of
 * help. Tests answer them by id.
 */

/** healthPath is not asked: its flag and default are enough. */
export type InitQuestionId = 'kind' | 'github-actions' | 'overwrite' | Exclude<Field, 'healthPath'>;

const COPY: Readonly<Record<Exclude<Field, 'kind' | 'healthPath'>, { message: string; help: string }>> = {
  name: { message: 'Name of the app', help: 'Names the systemd service, its user and folder, or the compose project (letters, digits, . _ -).' },
  source: { message: 'Folder with the built site', help: 'This folder of the bundle is copied into the web server\'s document root (build it before deploying).' },
  composeFile: { message: 'Compose file', help: 'The compose file in this folder that docker compose up -d runs on the instances.' },
  port: { message: 'Port the app answers on (on the instance)', help: 'ValidateService calls http://127.0.0.1:PORT/ until it answers.' },
  destination: { message: 'Folder on the instance', help: 'Where Install copies the files (absolute path; a folder of its own).' },
  user: { message: 'Linux user the service runs as', help: 'BeforeInstall creates it when missing; it owns the app\'s files.' },
  startCommand: { message: 'Command that starts the app (in that folder)', help: 'systemd runs it and keeps it running; no & or nohup needed.' },
  app: { message: 'CodeDeploy application', help: 'The workflow deploys to this application.' },
  group: { message: 'Deployment group', help: 'The workflow deploys to this deployment group.' },
  bucket: { message: 'S3 bucket for revisions', help: 'The workflow uploads each commit\'s bundle to s3://BUCKET/APPLICATION/.' },
  roleArn: { message: 'IAM role the workflow assumes (OIDC)', help: 'It must trust token.actions.githubusercontent.com for this repository: cd-wizard guide --show github-actions-oidc' },
  region: { message: 'AWS region', help: 'Where the application and the bucket are.' },
  branch: { message: 'Branch that deploys', help: 'Pushes to this branch run the workflow.' },
};

export async function askMissing(prompter: Prompter<InitQuestionId>, draft: Draft, source: DefaultsSource): Promise<Draft> {
  const answers: Draft = { ...draft };
  if (answers.kind === undefined) {
    const detected = source.detected.kind;
    answers.kind = await prompter.select<AppKind>({
      id: 'kind',
      flag: FLAG_OF.kind,
      message: 'What kind of app is it?',
      help: 'It decides the hook scripts: how the app is installed, started, stopped and checked.',
      ...(detected === undefined ? {} : { details: [`This folder looks like ${detected} (${source.detected.evidence ?? detected}).`], default: detected }),
      choices: APP_KINDS.map((kind) => ({ label: kind, value: kind, hint: KIND_LABELS[kind] })),
    });
  }
  if (answers.githubActions === undefined) {
    answers.githubActions = await prompter.confirm({
      id: 'github-actions',
      flag: '--github-actions',
      message: 'Also write a GitHub Actions workflow that deploys on push?',
      help: 'It signs in with GitHub\'s OIDC token and a role you name: no access keys stored anywhere.',
      default: false,
    });
  }
  for (const field of fieldsFor(answers.kind as AppKind, answers.githubActions)) {
    if (answers[field] !== undefined || field === 'kind' || field === 'healthPath') continue;
    const copy = COPY[field];
    const fallback = defaultOf(field, answers, source);
    answers[field] = (
      await prompter.input({
        id: field,
        flag: FLAG_OF[field],
        message: copy.message,
        help: copy.help,
        ...(fallback === undefined ? {} : { default: fallback }),
        validate: (value) => problemOf(field, value.trim() === '' && fallback !== undefined ? fallback : value.trim()),
      })
    ).trim() || (fallback ?? '');
  }
  return answers;
}

export function confirmOverwrite(prompter: Prompter<InitQuestionId>, path: string, why: string): Promise<boolean> {
  return prompter.confirm({
    id: 'overwrite',
    flag: '--force',
    message: `Overwrite ${path}?`,
    help: `It exists and differs from what init would write (${why}). No keeps yours.`,
    default: false,
  });
}
