/**
 * The floor for the deploy benchmark: a folder's files (the same list deploy makes) through the same zip code and
 * library (yazl) into /dev/null. No lint, no S3, no network: what bundling alone costs.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { listBundleFiles } from '../src/revision/files.js';
import { zipBundle } from '../src/revision/zip.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: deploy-floor <dir>');
await pipeline(zipBundle(listBundleFiles(dir)), createWriteStream('/dev/null'));
