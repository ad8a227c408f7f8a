// Reading a ZIP in tests (yauzl): every entry of an archive, by name.
import yauzl from 'yauzl';

/** Every entry of a ZIP, by name, from its file's path or its bytes. */
export function readZip(source: string | Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const opened = (err: Error | null, zip: yauzl.ZipFile | undefined) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    };
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true }, opened);
    else yauzl.fromBuffer(source, { lazyEntries: true }, opened);
  });
}
