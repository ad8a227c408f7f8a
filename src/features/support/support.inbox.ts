// The inbox folder (DATA_DIR/inbox/*.eml): for operators whose mail server delivers the support mailbox to files rather
// than over SMTP. Every few seconds each file is read into its ticket (or dropped or refused, as over SMTP) and
// deleted; a file that fails (a database error, an unreadable file) stays, behind the others, for a later run. The
// folder is only read, never created.
import { lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../../feature.ts';
import { MINUTE } from '../../platform/clock.ts';
import { receiveInboundMail, type InboundDeps } from './support.inbound.ts';

export const INBOX_DIRECTORY = 'inbox';

/** A file that failed is tried again after this long; until then the others go first. */
export const INBOX_RETRY_AFTER = MINUTE;

/** The files that failed in this process (path → when it last failed, how often): tried after the others. */
const failures = new Map<string, { at: number; count: number }>();

/**
 * Reads up to `limit` .eml files of the inbox folder, oldest first; returns how many were taken off it. A file that
 * fails (a database error, a file that cannot be read) stays for a later run, but goes behind the others and waits
 * INBOX_RETRY_AFTER, so files that keep failing never block good ones.
 */
export async function readInbox(deps: InboundDeps, limit = 200): Promise<number> {
  const dir = join(deps.config.dataDir, INBOX_DIRECTORY);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
  } catch {
    return 0; // no folder: nothing delivered this way
  }
  const now = deps.clock.now();
  const paths = new Set(names.map((n) => join(dir, n)));
  for (const path of failures.keys()) if (path.startsWith(dir) && !paths.has(path)) failures.delete(path);
  const fresh: { path: string; name: string; mtime: number }[] = [];
  const failed: { path: string; at: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const failure = failures.get(path);
    if (failure) {
      if (now - failure.at >= INBOX_RETRY_AFTER) failed.push({ path, at: failure.at });
      continue;
    }
    let mtime = 0;
    try {
      mtime = lstatSync(path).mtimeMs;
    } catch {
      // gone meanwhile, or unreadable: tried (and failing) below
    }
    fresh.push({ path, name, mtime });
  }
  fresh.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  failed.sort((a, b) => a.at - b.at);
  const maxBytes = deps.config.inboundMaxMb * 1024 * 1024;
  let done = 0;
  for (const path of [...fresh.map((f) => f.path), ...failed.map((f) => f.path)].slice(0, limit)) {
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      if (stat.size > maxBytes) {
        deps.log.info({ inbound: 'refused', reason: 'too-big' }, 'inbound support mail refused');
      } else {
        await receiveInboundMail(deps, readFileSync(path), null);
      }
    } catch (err) {
      const count = (failures.get(path)?.count ?? 0) + 1;
      failures.set(path, { at: deps.clock.now(), count });
      deps.log.error(
        { err, inbound: 'failed', failures: count },
        'inbound support mail file could not be read; left for a later run',
      );
      continue;
    }
    failures.delete(path);
    rmSync(path, { force: true });
    done++;
  }
  return done;
}

export const readInboxJob: Job<'db' | 'clock' | 'config' | 'log'> = {
  name: 'support.read-inbox',
  everyMs: 5_000,
  run: async (deps) => {
    await readInbox(deps);
  },
};
