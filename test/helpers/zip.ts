/**
 * Reads a zip back (yauzl): every entry's name, unix mode bits and content, in the archive's order.
 */
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  mode: number;
  text: string;
}

/** Every entry of a zip: its name, its unix mode bits, its content. */
export function readZip(bytes: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          void buffer(stream).then((content) => {
            entries.push({ name: entry.fileName, mode: (entry.externalFileAttributes >>> 16) & 0o7777, text: content.toString('utf8') });
            zip.readEntry();
          }, reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
