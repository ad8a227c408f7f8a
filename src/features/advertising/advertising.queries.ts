// SQL of advertising objections.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

type Db = Kysely<Database>;

export async function findObjection(db: Db, userId: string) {
  return db.selectFrom('advertising_objections').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function recordObjection(db: Db, userId: string, now: number, via: 'account' | 'mail'): Promise<void> {
  await db.insertInto('advertising_objections').values({ user_id: userId, objected_at: now, via }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
}

export async function withdrawObjection(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('advertising_objections').where('user_id', '=', userId).execute();
}

export async function listObjectors(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('advertising_objections').select('user_id').execute()).map((r) => r.user_id));
}
