// SQL of orders.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { OrdersTable } from './orders.tables.ts';

type Db = Kysely<Database>;

export async function insertOrder(db: Db, order: OrdersTable): Promise<void> {
  await db.insertInto('orders').values(order).execute();
}

export async function findOrderByIdempotencyKey(db: Db, userId: string, key: string): Promise<OrdersTable | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Only the owner's order: another customer's id finds nothing. */
export async function findOrderOfUser(db: Db, userId: string, id: string): Promise<OrdersTable | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** The order history: orders whose payment is pending or failed are not part of it. */
export async function listOrdersOfUser(db: Db, userId: string): Promise<OrdersTable[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .where('status', 'not in', ['pending_payment', 'payment_failed'])
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listPaymentAttemptsOfUser(db: Db, userId: string, since: number): Promise<OrdersTable[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending_payment'),
        eb.and([eb('status', '=', 'payment_failed'), eb('payment_failed_at', '>=', since)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(5)
    .execute();
}

/** The customer's orders waiting for their payment (or, on invoice, for the credit check). */
export async function listPendingOrdersOfUser(db: Db, userId: string): Promise<OrdersTable[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', '=', 'pending_payment')
    .orderBy('created_at')
    .execute();
}

/** Removes an order that never became one (an invoice order the credit check refused); false when no longer pending. */
export async function deletePendingOrder(db: Db, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('orders')
    .where('id', '=', id)
    .where('status', '=', 'pending_payment')
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function listOrdersInStatus(db: Db, status: OrdersTable['status'], limit: number): Promise<OrdersTable[]> {
  return db.selectFrom('orders').selectAll().where('status', '=', status).orderBy('created_at').limit(limit).execute();
}

/** One page of the orders in a status, by (created_at, id), after the cursor (the last row of the page before). */
export async function listOrdersInStatusAfter(
  db: Db,
  status: OrdersTable['status'],
  after: { created_at: number; id: string } | null,
  limit: number,
): Promise<OrdersTable[]> {
  let query = db.selectFrom('orders').selectAll().where('status', '=', status);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.created_at),
        eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)]),
      ]),
    );
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function findOrderById(db: Db, id: string): Promise<OrdersTable | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes the status only if it is still `from`: two staff members cannot apply conflicting changes. */
export async function updateOrderIfStatus(
  db: Db,
  id: string,
  from: OrdersTable['status'],
  changes: Partial<OrdersTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('orders')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Writes the payment's outcome (only the payment columns) to an order that is still pending and not restricted:
 * an erasure request that arrived meanwhile wins, and nothing else in the row is overwritten.
 */
export async function settlePendingOrder(
  db: Db,
  id: string,
  changes: Pick<
    OrdersTable,
    'status' | 'history' | 'updated_at' | 'payment_reference' | 'card_brand' | 'card_last4' | 'card_exp_month'
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('orders')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending_payment')
    .where('restricted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Customers with at least one unrestricted order that was bought (not pending, failed, cancelled or refunded), and what they bought. */
export async function listPurchases(db: Db): Promise<{ user_id: string; lines: string }[]> {
  return db
    .selectFrom('orders')
    .select(['user_id', 'lines'])
    .where('restricted_at', 'is', null)
    .where('status', 'in', ['invoiced', 'paid', 'shipped', 'completed'])
    .execute();
}

/** One customer's bought orders (as listPurchases counts them), oldest first: what "My products" delivers. */
export async function listPurchasesOfUser(
  db: Db,
  userId: string,
): Promise<{ id: string; number: string; lines: string; created_at: number }[]> {
  return db
    .selectFrom('orders')
    .select(['id', 'number', 'lines', 'created_at'])
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .where('status', 'in', ['invoiced', 'paid', 'shipped', 'completed'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
