/**
 * The revisions cd-wizard uploads to the revision bucket, and how they are told apart from objects someone else put
 * there. The rule, shared by the command that uploads (deploy) and the one that deletes (teardown):
 *
 *   - the key starts with `<application>/` (revisionKeyPrefix), and
 *   - the object carries the user metadata `managed-by: cd-wizard` (S3 sends it as `x-amz-meta-managed-by`).
 *
 * Both, not either: a prefix alone is what a person uploading by hand may well choose too, and metadata alone could
 * come from another application's uploads into a shared bucket. Teardown deletes the objects of a bucket setup created
 * only when every object matches; otherwise it keeps the bucket unless --delete-bucket-contents is given.
 */

/** The user metadata cd-wizard puts on every object it uploads (keys are lower case, as S3 returns them). */
export const UPLOAD_METADATA: Readonly<Record<string, string>> = { 'managed-by': 'cd-wizard' };

/** Where an application's revisions go in the bucket. */
export function revisionKeyPrefix(application: string): string {
  return `${application}/`;
}

/** Whether cd-wizard uploaded this object for `application` (metadata keys compared case-insensitively). */
export function isUploadedByCdWizard(object: { key: string; metadata: Readonly<Record<string, string>> }, application: string): boolean {
  if (!object.key.startsWith(revisionKeyPrefix(application))) return false;
  const metadata = Object.fromEntries(Object.entries(object.metadata).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(UPLOAD_METADATA).every(([key, value]) => metadata[key] === value);
}
