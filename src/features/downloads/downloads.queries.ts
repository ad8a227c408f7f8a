// SQL of demo downloads.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { DownloadsTable } from './downloads.tables.ts';

export async function insertDownload(db: Kysely<Database>, row: DownloadsTable): Promise<void> {
  await db.insertInto('downloads').values(row).execute();
}
