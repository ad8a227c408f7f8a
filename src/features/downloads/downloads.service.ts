// Demo downloads for signed-in customers; every download is recorded and announced to listeners.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { insertDownload } from './downloads.queries.ts';
import type { DownloadsTable } from './downloads.tables.ts';

/**
 * Called after every recorded demo download. The newsletter feature (a later issue) registers its automatic
 * subscription here; until it exists nothing listens, and nothing is subscribed.
 */
export type DownloadListener = (deps: Deps, download: DownloadsTable) => Promise<void>;
export const downloadListeners: DownloadListener[] = [];

export async function recordDownload(deps: Deps, userId: string, productId: string): Promise<DownloadsTable> {
  const row: DownloadsTable = { id: randomUUID(), user_id: userId, product_id: productId, downloaded_at: deps.clock.now() };
  await insertDownload(deps.db, row);
  for (const listener of downloadListeners) await listener(deps, row);
  return row;
}
