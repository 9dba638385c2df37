import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { checkBucketName, checkCodeDeployName } from '../../codedeploy/validate.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

/**
 * What `deploy` deploys and where: the bundle folder, the application, group and revision bucket (flags first,
 * then the answers file setup wrote), and the deployment options, all checked before anything is read or sent.
 */

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
const FILE_EXISTS: readonly FileExistsBehavior[] = ['DISALLOW', 'OVERWRITE', 'RETAIN'];
/** CreateDeployment's limit on a description. */
const DESCRIPTION_LIMIT = 256;

export interface DeployFlags {
  app?: string;
  group?: string;
  bucket?: string;
  description?: string;
  fileExistsBehavior?: string;
  ignoreApplicationStopFailures?: boolean;
  /** false with --no-wait. */
  wait?: boolean;
}

export interface DeployPlan {
  /** The bundle root, absolute. */
  root: string;
  app: string;
  group: string;
  bucket: string;
  /** Where app, group and bucket came from, for the first line. */
  from: 'flags' | string;
  description?: string;
  fileExistsBehavior?: FileExistsBehavior;
  ignoreApplicationStopFailures: boolean;
  wait: boolean;
}

/** The folder that becomes the bundle root: `dir`, or the folder of a given appspec.yml. */
export function bundleRoot(cwd: string, dir: string | undefined): string {
  const path = resolve(cwd, dir ?? '.');
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`${dir ?? '.'} does not exist.`, 'Give the folder that becomes the bundle root (where appspec.yml is), or run cd-wizard deploy in it.');
  }
  if (folder) return path;
  if (/^appspec\.ya?ml$/i.test(basename(path))) return dirname(path);
  throw new UsageError(`${dir ?? '.'} is not a folder.`, 'cd-wizard deploy bundles a folder: the one holding appspec.yml and the hook scripts.');
}

export function resolvePlan(ctx: Context, dir: string | undefined, flags: DeployFlags): DeployPlan {
  const root = bundleRoot(ctx.cwd, dir);
  const file = ctx.answers.named || flags.app === undefined || flags.group === undefined || flags.bucket === undefined ? ctx.answers.load() : undefined;
  if (file === undefined && ctx.answers.named) throw new UsageError(`Cannot read ${ctx.answers.shown}: no such file.`, 'Give the answers file setup wrote, or leave out --answers.');
  const saved = file?.answers ?? {};
  const app = flags.app ?? saved.app;
  const group = flags.group ?? saved.group;
  const bucket = flags.bucket ?? saved.bucket;
  const missing = [app === undefined ? '--app' : '', group === undefined ? '--group' : '', bucket === undefined ? '--bucket' : ''].filter((flag) => flag !== '');
  if (app === undefined || group === undefined || bucket === undefined) {
    throw new UsageError(
      `Which ${missing.map((flag) => flag.slice(2)).join(', ')}? ${file === undefined ? `There is no ${ctx.answers.shown} here` : `${ctx.answers.shown} does not say`}.`,
      `Give ${missing.join(' ')}, or run cd-wizard setup first (it writes ${ctx.answers.shown}).`,
    );
  }
  const problems = [checkCodeDeployName('Application name', app), checkCodeDeployName('Deployment group name', group), checkBucketName(bucket)].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new UsageError(problems.join('\n'), 'Fix the name (or the answers file), then run deploy again.');
  let fileExistsBehavior: FileExistsBehavior | undefined;
  if (flags.fileExistsBehavior !== undefined) {
    const upper = flags.fileExistsBehavior.toUpperCase();
    fileExistsBehavior = FILE_EXISTS.find((value) => value === upper);
    if (fileExistsBehavior === undefined) throw new UsageError(`--file-exists-behavior "${flags.fileExistsBehavior}" is not one of ${FILE_EXISTS.join(', ')}.`, 'DISALLOW (the default) fails on files the last deployment did not put there; OVERWRITE replaces them; RETAIN keeps them.');
  }
  if (flags.description !== undefined && flags.description.length > DESCRIPTION_LIMIT) {
    throw new UsageError(`--description is ${flags.description.length} characters; CodeDeploy takes at most ${DESCRIPTION_LIMIT}.`);
  }
  const fromFlags = flags.app !== undefined && flags.group !== undefined && flags.bucket !== undefined;
  return {
    root,
    app,
    group,
    bucket,
    from: fromFlags ? 'flags' : ctx.answers.shown,
    ...(flags.description === undefined ? {} : { description: flags.description }),
    ...(fileExistsBehavior === undefined ? {} : { fileExistsBehavior }),
    ignoreApplicationStopFailures: flags.ignoreApplicationStopFailures ?? false,
    wait: flags.wait ?? true,
  };
}
