// Key files made on the first start (DATA_DIR/secret, the licence signing key, …), safe when several processes
// start together on one data directory: the key is written to a temporary file and linked into place, so another
// process finds either no file or the whole key, and the process that loses the race reads the winner's.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temporary file older than this was left by a process that died between writing and linking it. */
const STALE_TEMP_MS = 60_000;

/** `<file>.<pid>-<8 hex>.tmp`: the data map classifies these as the key they hold (privacy/data-map.ts). */
const tempName = (file: string) => `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;

/** The file's content; made by `make` (mode 0600) when there is no file yet. */
export function readOrCreateKeyFile(file: string, make: () => string): string {
  removeStaleTemps(file);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dirname(file), { recursive: true });
  const temp = tempName(file);
  try {
    const content = make();
    writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return readFileSync(file, 'utf8');
      // A file system without hard links: create the file itself, exclusively (a concurrent start may then read a
      // file still being written, as before this module).
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code)) throw err;
      try {
        writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
  return readFileSync(file, 'utf8');
}

/** Removes what a process that died while making this key left behind (a second copy of a key, or a torn one). */
function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no directory yet
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/\.\d+-[0-9a-f]{8}\.tmp$/.test(name)) continue;
    const path = join(dir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
