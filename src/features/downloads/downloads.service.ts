// Demo downloads for signed-in customers: every download is recorded.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { insertDownload } from './downloads.queries.ts';
import type { DownloadsTable } from './downloads.tables.ts';

export async function recordDownload(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  productId: string,
): Promise<DownloadsTable> {
  const now = deps.clock.now();
  const row: DownloadsTable = { id: randomUUID(), user_id: userId, product_id: productId, downloaded_at: now };
  await insertDownload(deps.db, row);
  return row;
}
