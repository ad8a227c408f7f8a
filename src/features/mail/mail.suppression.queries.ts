// SQL of the suppression list: keyed hashes of addresses, per list ('*' for every marketing list).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { MailSuppressionsTable } from './mail.tables.ts';

type Db = Kysely<Database>;

export async function insertSuppression(db: Db, row: MailSuppressionsTable): Promise<void> {
  await db
    .insertInto('mail_suppressions')
    .values(row)
    .onConflict((oc) => oc.columns(['hash', 'list']).doNothing())
    .execute();
}

export async function deleteSuppressions(db: Db, hash: string, lists: string[]): Promise<void> {
  await db.deleteFrom('mail_suppressions').where('hash', '=', hash).where('list', 'in', lists).execute();
}

/** The suppression rows of these hashes that block `list` (its own or '*'). */
export async function findSuppressedHashes(db: Db, hashes: string[], list: string): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('mail_suppressions')
    .select('hash')
    .where('hash', 'in', hashes)
    .where('list', 'in', [list, '*'])
    .execute();
  return new Set(rows.map((r) => r.hash));
}

/** The suppression rows of these hashes for any of these lists or '*' (one query for a batch of mixed lists). */
export async function findSuppressionsAmong(
  db: Db,
  hashes: string[],
  lists: string[],
): Promise<{ hash: string; list: string }[]> {
  if (hashes.length === 0) return [];
  return db
    .selectFrom('mail_suppressions')
    .select(['hash', 'list'])
    .where('hash', 'in', hashes)
    .where('list', 'in', [...new Set([...lists, '*'])])
    .execute();
}

export async function listSuppressionsOf(db: Db, hash: string): Promise<MailSuppressionsTable[]> {
  return db.selectFrom('mail_suppressions').selectAll().where('hash', '=', hash).execute();
}
