/**
 * Application revisions: RegisterApplicationRevision, as `aws deploy push` and `cd-wizard deploy` call it after
 * uploading a bundle, and the revision check CreateDeployment shares. Like CodeDeploy, the fake does not look at
 * the S3 object when a revision is registered.
 */
import type { Params } from '../params.js';
import type { Handler } from '../service.js';
import type { Json } from '../state.js';
import { cdError, findApplication, readApplicationName } from './codedeploy-common.js';

const REVISION_TYPES = ['S3', 'GitHub', 'String', 'AppSpecContent'];
const BUNDLE_TYPES = ['tar', 'tgz', 'zip', 'YAML', 'JSON'];

/** A revision location: a known type and, for S3, bucket + key and a known bundle type (else InvalidRevisionException). */
export function readRevision(params: Params): Params {
  const revision = params.optObj('revision');
  if (revision === undefined) throw cdError('RevisionRequiredException', 'The revision ID was not specified.');
  const revisionType = revision.optStr('revisionType');
  if (revisionType === undefined || !REVISION_TYPES.includes(revisionType)) throw cdError('InvalidRevisionException', 'The revision was specified in an invalid format.');
  if (revisionType === 'S3') {
    const s3 = revision.optObj('s3Location');
    if (s3 === undefined || !s3.has('bucket') || !s3.has('key')) throw cdError('InvalidRevisionException', 'The revision was specified in an invalid format.');
    const bundleType = s3.optStr('bundleType');
    if (bundleType !== undefined && !BUNDLE_TYPES.includes(bundleType)) throw cdError('InvalidRevisionException', `Invalid bundle type: ${bundleType}`);
  }
  return revision;
}

export function readDescription(params: Params): string | undefined {
  const description = params.optStr('description');
  if (description !== undefined && description.length > 256) throw cdError('DescriptionTooLongException', 'The description is too long.');
  return description;
}

const registerApplicationRevision: Handler<Record<string, never>> = (params, ctx) => {
  const application = findApplication(ctx.state, readApplicationName(params));
  const revision = readRevision(params);
  const description = readDescription(params);
  ctx.state.codedeploy.revisions.push({
    application: application.name,
    revision: revision.raw as Json,
    registeredAt: ctx.now(),
    ...(description === undefined ? {} : { description }),
  });
  return {};
};

export const revisionOperations = { RegisterApplicationRevision: registerApplicationRevision };
