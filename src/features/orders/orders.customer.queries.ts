// SQL of the orders' section on the staff customer page: a customer's newest orders and the owner of an order
// number. Orders restricted after an erasure request are kept only for the law and are not shown or searched.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { OrdersTable } from './orders.tables.ts';

type Db = Kysely<Database>;

export async function listNewestOrdersOfCustomer(
  db: Db,
  userId: string,
  limit: number,
): Promise<Pick<OrdersTable, 'id' | 'number' | 'status' | 'created_at' | 'total_cents' | 'lines'>[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'number', 'status', 'created_at', 'total_cents', 'lines'])
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countOrdersOfCustomer(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account that placed the order with this number (unique), if any. */
export async function findOwnerOfOrderNumber(db: Db, number: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('user_id')
    .where('number', '=', number)
    .where('restricted_at', 'is', null)
    .executeTakeFirst();
  return row?.user_id;
}
