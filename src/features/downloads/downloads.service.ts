// Demo downloads for signed-in customers: every download is recorded.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { insertDownload } from './downloads.queries.ts';
import type { DownloadsTable } from './downloads.tables.ts';

export async function recordDownload(deps: Deps, userId: string, productId: string): Promise<DownloadsTable> {
  const row: DownloadsTable = { id: randomUUID(), user_id: userId, product_id: productId, downloaded_at: deps.clock.now() };
  await insertDownload(deps.db, row);
  return row;
}
