import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { BundleList } from './files.js';

/**
 * The bundle as a zip stream (yazl): files in the list's order, each read only when its turn comes, so memory stays
 * flat whatever the tree's size. Unix permission bits are kept (hook scripts stay executable on the instance);
 * the modification times are the files' own, and files that are already compressed are stored as they are.
 * The same tree (paths, contents, modes, times) in the same time zone gives the same bytes.
 */

/** Deflating these again costs time and saves nothing. */
const STORED = new Set(['.zip', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.7z', '.jar', '.war', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.woff', '.woff2', '.mp4', '.mp3', '.br']);

const REGULAR_FILE = 0o100000;

export interface ZipProgress {
  /** Source bytes read so far. */
  read: number;
  /** The file being read. */
  file: string;
}

/**
 * Starts zipping; the returned stream must be consumed. A file that cannot be read mid-way destroys the stream with
 * that error (the upload then fails and is aborted).
 */
export function zipBundle(list: BundleList, onProgress?: (progress: ZipProgress) => void): Readable {
  const zip = new ZipFile();
  const output = new PassThrough();
  let read = 0;
  zip.on('error', (error: Error) => output.destroy(error));
  for (const file of list.files) {
    zip.addReadStreamLazy(
      file.path,
      { mtime: file.mtime, mode: REGULAR_FILE | file.mode, compress: !STORED.has(extname(file.path).toLowerCase()) },
      (callback) => {
        const source = createReadStream(file.absolute, { highWaterMark: 256 * 1024 });
        let fileBytes = 0;
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            fileBytes += chunk.length;
            read += chunk.length;
            onProgress?.({ read, file: file.path });
            done(null, chunk);
          },
          flush(done) {
            // A file written to while it is bundled would put a torn copy in the zip.
            if (fileBytes !== file.size) output.destroy(new Error(`${file.path} changed while it was being bundled (${file.size} bytes when listed, ${fileBytes} read).`));
            done();
          },
        });
        // yazl does not listen for errors on the streams it is given: the output carries them.
        source.on('error', (error) => {
          output.destroy(new Error(`Cannot read ${file.path} while bundling: ${error.message}`));
          counted.destroy();
        });
        callback(null, source.pipe(counted));
      },
    );
  }
  zip.end();
  zip.outputStream.on('error', (error: Error) => output.destroy(error));
  zip.outputStream.pipe(output);
  return output;
}
