// SQL of withdrawals: inserted once (with the order row locked), read by the customer (their own) and by staff.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { OrderStatus } from './orders.tables.ts';
import type { OrderWithdrawalsTable } from './withdrawals.tables.ts';

type Db = Kysely<Database>;

export async function insertWithdrawal(db: Db, row: OrderWithdrawalsTable): Promise<void> {
  await db.insertInto('order_withdrawals').values(row).execute();
}

export async function listWithdrawalsOfOrder(db: Db, orderId: string): Promise<OrderWithdrawalsTable[]> {
  return db
    .selectFrom('order_withdrawals')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'asc')
    .execute();
}

export async function listWithdrawalsOfUser(db: Db, userId: string): Promise<OrderWithdrawalsTable[]> {
  return db
    .selectFrom('order_withdrawals')
    .selectAll()
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findWithdrawalOfUser(
  db: Db,
  userId: string,
  id: string,
): Promise<OrderWithdrawalsTable | undefined> {
  return db
    .selectFrom('order_withdrawals')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Locks an order's row until the transaction ends, with an update that changes nothing (works on SQLite and
 * PostgreSQL alike, where SELECT … FOR UPDATE does not). False when there is no such order.
 */
export async function lockOrderRow(db: Db, orderId: string): Promise<boolean> {
  const r = await db
    .updateTable('orders')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', orderId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Withdrawals of orders in one of `statuses` (not refunded, not cancelled), oldest first (then by id), with their
 * order; `after` is the last row of the page before (keyset). Asks for `limit` rows: pass one more than a page.
 */
export async function listWithdrawalsOfOpenOrders(
  db: Db,
  statuses: OrderStatus[],
  limit: number,
  after?: { createdAt: number; id: string },
): Promise<(OrderWithdrawalsTable & { order_number: string; order_status: OrderStatus })[]> {
  let q = db
    .selectFrom('order_withdrawals')
    .innerJoin('orders', 'orders.id', 'order_withdrawals.order_id')
    .selectAll('order_withdrawals')
    .select(['orders.number as order_number', 'orders.status as order_status'])
    .where('orders.status', 'in', statuses)
    .where('order_withdrawals.restricted_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('order_withdrawals.created_at', '>', after.createdAt),
        eb.and([eb('order_withdrawals.created_at', '=', after.createdAt), eb('order_withdrawals.id', '>', after.id)]),
      ]),
    );
  return q.orderBy('order_withdrawals.created_at', 'asc').orderBy('order_withdrawals.id', 'asc').limit(limit).execute();
}
