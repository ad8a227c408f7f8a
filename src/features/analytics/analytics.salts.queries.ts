// SQL of the daily salts: one row per UTC day, shared by every process; the first process to need it makes it.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { AnalyticsSaltsTable } from './analytics.tables.ts';

export async function findSalt(db: Kysely<Database>, day: string): Promise<string | undefined> {
  const row = await db.selectFrom('analytics_salts').select('salt').where('day', '=', day).executeTakeFirst();
  return row?.salt;
}

/** Inserts the day's salt unless another process was first (then its salt is the one). */
export async function insertSalt(db: Kysely<Database>, row: AnalyticsSaltsTable): Promise<void> {
  await db
    .insertInto('analytics_salts')
    .values(row)
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
}
