// SQL of the staff home's stock figure.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** Hardware products with `limit` units or fewer in stock. */
export async function countLowStock(db: Kysely<Database>, limit: number): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'hardware')
    .where('stock', 'is not', null)
    .where('stock', '<=', limit)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
