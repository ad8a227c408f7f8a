// The inbox folder (DATA_DIR/inbox/*.eml): for operators whose mail server delivers the support mailbox to files
// rather than over SMTP. Every few seconds each file is read into its ticket (or dropped or refused, as over SMTP) and
// deleted; a file that meets a database error stays for the next run. The folder is only read, never created.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../../feature.ts';
import { receiveInboundMail, type InboundDeps } from './support.inbound.ts';

export const INBOX_DIRECTORY = 'inbox';

/** Reads every .eml file in the inbox folder; returns how many were taken off it. */
export async function readInbox(deps: InboundDeps, limit = 200): Promise<number> {
  const dir = join(deps.config.dataDir, INBOX_DIRECTORY);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.eml'))
      .sort();
  } catch {
    return 0; // no folder: nothing delivered this way
  }
  const maxBytes = deps.config.inboundMaxMb * 1024 * 1024;
  let done = 0;
  for (const name of names.slice(0, limit)) {
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      if (stat.size > maxBytes) {
        deps.log.info({ inbound: 'refused', reason: 'too-big' }, 'inbound support mail refused');
      } else {
        await receiveInboundMail(deps, readFileSync(path), null);
      }
    } catch (err) {
      deps.log.error({ err, inbound: 'failed' }, 'inbound support mail file could not be read; left for the next run');
      continue;
    }
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
