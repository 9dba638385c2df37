import { plural } from '../steps.js';
import { deletion, removal, type Builder, type Context } from './builder.js';

/**
 * The revision bucket setup created, and its objects: steps of their own, run only after their own confirmation,
 * and never while it holds objects cd-wizard did not upload unless the user asked for those too.
 */

export function planBucket(b: Builder, c: Context, deleteBucketContents: boolean): void {
  const record = c.input.state.bucket;
  if (!record) return;
  const observed = c.observed.bucket;
  if (b.triage('bucket', `revision bucket ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const foreign = observed.objects.filter((object) => !object.ours);
  if (foreign.length > 0 && !deleteBucketContents) {
    b.keep(
      `revision bucket ${record.name}`,
      `holds ${plural(foreign.length, 'object')} cd-wizard did not upload (${foreign[0]?.key ?? ''}${foreign.length > 1 ? ', …' : ''}); --delete-bucket-contents deletes ${foreign.length === 1 ? 'it' : 'them'} too`,
    );
    return;
  }
  if (observed.objects.length > 0) {
    const theirs = foreign.length > 0 ? `, ${foreign.length} of them not uploaded by cd-wizard (--delete-bucket-contents)` : '';
    b.bucketSteps.push(
      removal({
        id: 'bucket-objects',
        resource: 'bucket',
        summary: `Delete the ${plural(observed.objects.length, 'object')} in ${record.name}${theirs}`,
        title: `Emptying ${record.name}`,
        doneTitle: `Emptied ${record.name}`,
        calls: ['s3:DeleteObjects'],
        op: { type: 'empty-bucket', name: record.name, keys: observed.objects.map((object) => object.key) },
      }),
    );
  }
  b.bucketSteps.push(
    deletion({
      id: 'bucket',
      resource: 'bucket',
      what: `revision bucket ${record.name}`,
      calls: ['s3:DeleteBucket'],
      op: { type: 'delete-bucket', name: record.name },
    }),
  );
}
