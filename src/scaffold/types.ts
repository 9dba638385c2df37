/**
 * What `cd-wizard init` writes, as data: the kinds of app it knows, the answers that shape the files, and the
 * files themselves. Producing them is pure (src/scaffold/); writing them is the command's job.
 */

export const APP_KINDS = ['static', 'node', 'java', 'python', 'docker-compose'] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** Kinds that run as a systemd service the hooks stop, start and check. */
export const SERVICE_KINDS: readonly AppKind[] = ['node', 'java', 'python'];

export const KIND_LABELS: Readonly<Record<AppKind, string>> = {
  static: 'Static files served by nginx or Apache httpd (a document root)',
  node: 'Node.js service (systemd)',
  java: 'Java service, a runnable jar (systemd)',
  python: 'Python service (systemd, in a virtualenv)',
  'docker-compose': 'Docker Compose (docker compose up -d)',
};

/** Where the GitHub Actions workflow deploys to (from cd-wizard.json or flags). */
export interface WorkflowAnswers {
  region: string;
  application: string;
  deploymentGroup: string;
  bucket: string;
  /** The IAM role the workflow assumes through GitHub's OIDC provider. */
  roleArn: string;
  branch: string;
}

export interface ScaffoldAnswers {
  kind: AppKind;
  /** The app's name: the systemd unit, the default user and folder, the compose project. */
  name: string;
  /** The port the app answers on, on the instance (the validate hook calls it). */
  port: number;
  /** Where the files go on the instance (absolute). */
  destination: string;
  /** The path the validate hook requests. */
  healthPath: string;
  /** Service kinds: the Linux user the service runs as. */
  user?: string;
  /** Service kinds: the command that starts the app, run in the destination folder. */
  startCommand?: string;
  /** static: the folder of the bundle that holds the site (copied into the document root). */
  source?: string;
  /** docker-compose: the compose file in the bundle. */
  composeFile?: string;
  /** Present when a GitHub Actions workflow is wanted. */
  workflow?: WorkflowAnswers;
  /** The cd-wizard version the workflow pins for `npx cd-wizard fix --wait`. */
  version: string;
}

export type FileRole = 'appspec' | 'script' | 'unit' | 'workflow';

export interface PlannedFile {
  /** Relative to the bundle folder, forward slashes. */
  path: string;
  content: string;
  mode: number;
  role: FileRole;
}

export const SCRIPT_MODE = 0o755;
export const FILE_MODE = 0o644;

/** The defaults of the answers that depend on the kind. */
export function kindDefaults(kind: AppKind, name: string): { port: number; destination: string; user?: string; startCommand?: string } {
  switch (kind) {
    case 'static':
      return { port: 80, destination: '/var/www/html' };
    case 'node':
      return { port: 3000, destination: `/opt/${name}`, user: name, startCommand: 'npm start' };
    case 'java':
      return { port: 8080, destination: `/opt/${name}`, user: name, startCommand: 'java -jar app.jar' };
    case 'python':
      return { port: 8000, destination: `/opt/${name}`, user: name, startCommand: 'python3 app.py' };
    case 'docker-compose':
      return { port: 8080, destination: `/opt/${name}` };
  }
}
