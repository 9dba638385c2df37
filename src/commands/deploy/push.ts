import { isAbsolute, relative, sep } from 'node:path';
import { formatText } from '../../appspec/format.js';
import { lintDirectory, type LintReport } from '../../appspec/lint.js';
import type { AwsPorts, UploadedObject } from '../../aws/ports/index.js';
import { revisionKeyPrefix, UPLOAD_METADATA } from '../../codedeploy/revisions.js';
import { UserError } from '../../errors.js';
import type { Host } from '../../io/host.js';
import { createStyle } from '../../io/terminal.js';
import { listBundleFiles, treeHash, type BundleList } from '../../revision/files.js';
import { zipBundle } from '../../revision/zip.js';
import { duration, size } from './format.js';
import type { DeployPlan } from './target.js';

/**
 * The push, as `aws deploy push` does it: lint the folder (errors stop here, before anything is uploaded) → list
 * its files → stream them as a zip into S3 (one PutObject, or multipart above one part) → register the revision
 * with its ETag. Progress is live messages: files and bytes read, bytes sent.
 */

/** Bytes per part: a bundle under this is one PutObject. At most PART_SIZE × QUEUE_SIZE bytes wait in memory. */
export const PART_SIZE = 5 * 1024 * 1024;
export const QUEUE_SIZE = 4;
/** How often the upload's live line is redrawn at most. */
const PROGRESS_EVERY_MS = 200;

const PLAIN = createStyle(false);

export interface Pushed {
  lint: LintReport;
  list: BundleList;
  object: UploadedObject;
  /** Bytes of the zip. */
  zipBytes: number;
  uploadMs: number;
}

/** Lints the bundle folder: errors throw (nothing uploaded), warnings and notes are said. */
export function lintBundle(io: Host, plan: DeployPlan, cwd: string): LintReport {
  const report = lintDirectory(plan.root);
  const problems = report.errorCount + report.warningCount + report.infoCount;
  if (problems > 0) {
    io.emit({
      code: 'deploy.lint',
      level: report.errorCount > 0 ? 'error' : report.warningCount > 0 ? 'warning' : 'info',
      text: formatText(report, { style: PLAIN, width: Math.min(io.columns, 100), cwd }),
      data: { errors: report.errorCount, warnings: report.warningCount, notes: report.infoCount, rules: [...new Set(report.findings.map((finding) => finding.rule))] },
    });
  }
  if (report.errorCount > 0) {
    const where = relative(cwd, plan.root) || '.';
    throw new UserError(`The bundle has ${report.errorCount} lint error${report.errorCount === 1 ? '' : 's'} (above); nothing was uploaded.`, {
      hint: `Fix ${report.errorCount === 1 ? 'it' : 'them'} and deploy again; cd-wizard lint ${where} checks the folder on its own.`,
    });
  }
  io.emit({ code: 'deploy.lint.ok', level: 'success', text: `Lint: ${report.appspec ?? 'appspec.yml'} and ${report.scripts.length} hook script${report.scripts.length === 1 ? '' : 's'}, no errors.`, data: { warnings: report.warningCount } });
  return report;
}

/** `<app>/<UTC time>-<tree hash>.zip` (the prefix teardown recognises): sorts by time, and the same tree gives the same suffix. */
export function revisionKey(app: string, list: BundleList, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${revisionKeyPrefix(app)}${stamp}-${treeHash(list)}.zip`;
}

/** Lists the folder's files (without the answers file, which is cd-wizard's, not the app's); an empty bundle is an error. */
export function listFiles(io: Host, plan: DeployPlan, answersFile: string): BundleList {
  const inside = relative(plan.root, answersFile);
  const list = listBundleFiles(plan.root, inside.startsWith('..') || isAbsolute(inside) ? [] : [`/${inside.split(sep).join('/')}`]);
  if (list.files.length === 0) throw new UserError('The bundle folder has no files to deploy.', { hint: 'Check the folder and .cd-wizardignore.' });
  for (const skipped of list.skipped) io.emit({ code: 'deploy.bundle.skipped', level: 'warning', text: `Left out ${skipped.path}: ${skipped.reason}.`, data: skipped });
  const ignored = list.ignored > 0 ? `; ${list.ignored} left out by ${list.ignoreFile ?? 'the defaults'}` : '';
  io.emit({
    code: 'deploy.bundle',
    level: 'info',
    text: `Bundling ${list.files.length} file${list.files.length === 1 ? '' : 's'} (${size(list.totalBytes)})${ignored}.`,
    data: { files: list.files.length, bytes: list.totalBytes, ignored: list.ignored, ...(list.ignoreFile ? { ignoreFile: list.ignoreFile } : {}) },
  });
  return list;
}

/** Streams the zip into S3 with a live line (read %, sent bytes); `signal` aborts it (and the multipart upload). */
export async function upload(io: Host, ports: AwsPorts, plan: DeployPlan, list: BundleList, key: string, signal: AbortSignal): Promise<{ object: UploadedObject; zipBytes: number; uploadMs: number }> {
  const started = Date.now();
  const where = `s3://${plan.bucket}/${key}`;
  const live = { key: 'deploy.upload' };
  let read = 0;
  let sent = 0;
  let shownAt = 0;
  const show = (force = false) => {
    const now = Date.now();
    if (!force && now - shownAt < PROGRESS_EVERY_MS) return;
    shownAt = now;
    const percent = list.totalBytes === 0 ? 100 : Math.floor((read / list.totalBytes) * 100);
    io.emit({ code: 'deploy.upload', level: 'info', text: `Uploading ${where}: ${percent}% of ${size(list.totalBytes)} bundled, ${size(sent)} sent`, data: { read, total: list.totalBytes, sent, percent }, live });
  };
  show(true);
  const body = zipBundle(list, (progress) => {
    read = progress.read;
    show();
  });
  // A file that cannot be read is said as such, not as an S3 error.
  let bundleError: Error | undefined;
  body.once('error', (error: Error) => (bundleError = error));
  // Stopped: no file is read any more.
  signal.addEventListener('abort', () => body.destroy(), { once: true });
  const object = await ports.revisions.upload({
    bucket: plan.bucket,
    key,
    body,
    // Teardown deletes only the objects that carry this mark (and the key prefix above).
    metadata: UPLOAD_METADATA,
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    signal,
    onProgress: (bytes) => {
      sent = bytes;
      show();
    },
  }).catch((error: unknown) => {
    if (bundleError !== undefined && !signal.aborted) throw new UserError(`${bundleError.message} Nothing was deployed; the upload was aborted.`, { hint: 'Deploy again once the folder is stable (build first, then deploy).' });
    throw error;
  });
  const uploadMs = Date.now() - started;
  // The last progress event counts every byte sent: the size of the zip.
  const zipBytes = sent;
  const parts = object.eTag.includes('-') ? `, ${object.eTag.split('-')[1]} parts` : '';
  io.emit({
    code: 'deploy.uploaded',
    level: 'success',
    text: `Uploaded ${where} (${size(zipBytes)} zip of ${size(list.totalBytes)}${parts}, ${duration(uploadMs)})`,
    data: { bucket: plan.bucket, key, eTag: object.eTag, ...(object.versionId ? { version: object.versionId } : {}), zipBytes, ms: uploadMs },
    live: { ...live, done: true },
  });
  return { object, zipBytes, uploadMs };
}

/** RegisterApplicationRevision with the object's ETag (and version), like `aws deploy push`. */
export async function register(io: Host, ports: AwsPorts, plan: DeployPlan, object: UploadedObject): Promise<void> {
  await ports.revisions.register({
    application: plan.app,
    revision: { bucket: object.bucket, key: object.key, bundleType: 'zip', eTag: object.eTag, ...(object.versionId ? { version: object.versionId } : {}) },
    ...(plan.description === undefined ? {} : { description: plan.description }),
  });
  io.emit({ code: 'deploy.registered', level: 'success', text: `Registered the revision with ${plan.app} (eTag ${object.eTag}).`, data: { application: plan.app, eTag: object.eTag } });
}
