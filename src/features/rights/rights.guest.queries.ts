// SQL of requests without an account: the rows that wait for their address to be proven.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { PrivacyRequestLinksTable } from './rights.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertRequestLink(db: Db, row: PrivacyRequestLinksTable): Promise<void> {
  await db.insertInto('privacy_request_links').values(row).execute();
}

export async function selectRequestLink(db: Db, id: string): Promise<PrivacyRequestLinksTable | undefined> {
  return db.selectFrom('privacy_request_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes the row; 1 when this call deleted it (a second, racing confirmation gets 0). */
export async function deleteRequestLink(db: Db, id: string): Promise<number> {
  const r = await db.deleteFrom('privacy_request_links').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Links to this address that still work, and when the newest was made (the per-address limit). */
export async function selectLiveLinksOf(
  db: Db,
  email: string,
  now: number,
): Promise<{ count: number; newest: number | null }> {
  const row = await db
    .selectFrom('privacy_request_links')
    .select((eb) => [eb.fn.countAll<string | number>().as('count'), eb.fn.max('created_at').as('newest')])
    .where('email', '=', email)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), newest: row?.newest == null ? null : Number(row.newest) };
}
