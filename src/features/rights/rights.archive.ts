// The ZIP writer of exports: yazl, streamed to a file. Every entry is pulled lazily in order, a file's content is
// read from disk in chunks only when its turn comes (one file open at a time), and the output is written with
// back-pressure, so memory does not grow with the size of the attachments. The caller hears how many input bytes
// have gone in, for a progress bar.
import { closeSync, createReadStream, createWriteStream, fsyncSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { ZipFile } from 'yazl';

export type ArchiveEntry =
  | { name: string; text: string | Buffer; mtime: Date }
  /** `compress` absent: decided from a sample of the file's start (see worthCompressing). */
  | { name: string; file: string; size: number; mtime: Date; compress?: boolean };

export interface ArchiveResult {
  /** Bytes of the finished ZIP file. */
  size: number;
}

/** Input bytes of an entry (for progress). */
export function entryBytes(e: ArchiveEntry): number {
  return 'file' in e ? e.size : Buffer.byteLength(e.text);
}

/**
 * Writes `entries` as a ZIP to `target` (created or truncated), then fsyncs and closes it. `onBytes` is awaited
 * after each chunk with the input bytes so far (slow reporting slows the writer rather than buffering ahead).
 */
export async function writeZipFile(
  target: string,
  entries: readonly ArchiveEntry[],
  onBytes?: (done: number) => Promise<void>,
): Promise<ArchiveResult> {
  const zip = new ZipFile();
  let done = 0;
  const counted = async function* (source: AsyncIterable<Buffer> | Iterable<Buffer>) {
    for await (const chunk of source) {
      done += chunk.length;
      if (onBytes) await onBytes(done);
      yield chunk;
    }
  };
  for (const e of entries) {
    if ('file' in e) {
      zip.addReadStreamLazy(
        e.name,
        { mtime: e.mtime, size: e.size, compressionLevel: (e.compress ?? worthCompressing(e.file)) ? 1 : 0 },
        (cb) =>
          cb(
            null,
            Readable.from(counted(createReadStream(e.file, { highWaterMark: 256 * 1024 })), { objectMode: false }),
          ),
      );
    } else {
      const buffer = typeof e.text === 'string' ? Buffer.from(e.text, 'utf8') : e.text;
      // Deflate's fastest level: text shrinks almost as much as at the default, in a fraction of the time.
      zip.addReadStreamLazy(e.name, { mtime: e.mtime, size: buffer.length, compressionLevel: 1 }, (cb) =>
        cb(null, Readable.from(counted(chunksOf(buffer)), { objectMode: false })),
      );
    }
  }
  zip.end();
  const fd = openSync(target, 'w', 0o600);
  try {
    const out = createWriteStream('', { fd, autoClose: false });
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      out.on('error', reject);
      zip.outputStream.on('error', reject);
      zip.outputStream.on('data', (chunk: Buffer) => (size += chunk.length));
      out.on('finish', resolve);
      zip.outputStream.pipe(out);
    });
    fsyncSync(fd);
    return { size };
  } finally {
    closeSync(fd);
  }
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Whether deflating the file is worth it: its first 64 KiB, deflated fast, shrink by at least a tenth. Photos,
 * archives and PDFs do not (they are compressed already), and deflating them costs most of an export's time.
 */
export function worthCompressing(file: string): boolean {
  const sample = Buffer.alloc(SAMPLE_BYTES);
  let read = 0;
  const fd = openSync(file, 'r');
  try {
    read = readSync(fd, sample, 0, SAMPLE_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 512) return true;
  return deflateRawSync(sample.subarray(0, read), { level: 1 }).length < read * 0.9;
}

/** A buffer in chunks of 256 KiB, so that a large data set is counted (and deflated) step by step. */
function* chunksOf(buffer: Buffer): Generator<Buffer> {
  const step = 256 * 1024;
  for (let i = 0; i < buffer.length; i += step) yield buffer.subarray(i, i + step);
}
