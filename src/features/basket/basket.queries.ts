// SQL of the basket.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { BasketsTable } from './basket.tables.ts';

type Db = Kysely<Database>;

export async function findBasketByUserId(db: Db, userId: string): Promise<BasketsTable | undefined> {
  return db.selectFrom('baskets').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function findBasketByTokenHash(db: Db, tokenHash: string): Promise<BasketsTable | undefined> {
  return db.selectFrom('baskets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function insertBasket(db: Db, basket: BasketsTable): Promise<void> {
  await db.insertInto('baskets').values(basket).execute();
}

/** Writes new lines only if nobody changed the basket since `version` was read. */
export async function updateBasketLines(
  db: Db,
  id: string,
  version: number,
  lines: string,
  now: number,
  addedNotice?: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('baskets')
    .set({
      lines,
      version: version + 1,
      updated_at: now,
      ...(addedNotice === undefined ? {} : { added_notice: addedNotice }),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteBasket(db: Db, id: string): Promise<void> {
  await db.deleteFrom('baskets').where('id', '=', id).execute();
}

export async function clearBasketOfUser(db: Db, userId: string, now: number): Promise<void> {
  await db
    .updateTable('baskets')
    .set((eb) => ({ lines: '[]', version: eb('version', '+', 1), updated_at: now }))
    .where('user_id', '=', userId)
    .execute();
}

/** Takes the basket's one-time notice: true only for the one request that cleared it (two tabs cannot both show it). */
export async function takeAddedNotice(db: Db, id: string, notice: string): Promise<boolean> {
  const r = await db
    .updateTable('baskets')
    .set({ added_notice: null })
    .where('id', '=', id)
    .where('added_notice', '=', notice)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
