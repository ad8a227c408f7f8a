// SQL of the staff order page: internal notes, refunds, an invoice's recorded payment. Rules live in
// order-page.service.ts; these only read and write.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { OrderNotesTable, OrderRefundsTable } from './order-page.tables.ts';
import type { OrdersTable } from './orders.tables.ts';

type Db = Kysely<Database>;

export async function insertOrderNote(db: Db, note: OrderNotesTable): Promise<void> {
  await db.insertInto('order_notes').values(note).execute();
}

/** An order's notes with their authors' names, newest first (a deleted author's name is null). */
export async function listNotesOfOrder(
  db: Db,
  orderId: string,
): Promise<(OrderNotesTable & { author_name: string | null })[]> {
  return db
    .selectFrom('order_notes')
    .leftJoin('users', 'users.id', 'order_notes.author_id')
    .selectAll('order_notes')
    .select('users.name as author_name')
    .where('order_notes.order_id', '=', orderId)
    .where('order_notes.restricted_at', 'is', null)
    .orderBy('order_notes.created_at', 'desc')
    .orderBy('order_notes.id', 'desc')
    .execute();
}

export async function insertRefund(db: Db, refund: OrderRefundsTable): Promise<void> {
  await db.insertInto('order_refunds').values(refund).execute();
}

/** Every refund of an order, pending ones too, oldest first. */
export async function listRefundsOfOrder(db: Db, orderId: string): Promise<OrderRefundsTable[]> {
  return db
    .selectFrom('order_refunds')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Settles a refund the provider confirmed; false when it was settled or released already. */
/** The refunds of several orders (pending ones too), oldest first. */
export async function listRefundsOfOrders(db: Db, orderIds: string[]): Promise<OrderRefundsTable[]> {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('order_refunds')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Settles a refund the provider confirmed; false when it was settled or released already. */
export async function settleRefund(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('order_refunds')
    .set({ state: 'refunded', settled_at: at })
    .where('id', '=', id)
    .where('state', 'in', ['pending', 'unknown'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The provider did not answer: the reservation stays until orders.reconcile-refunds knows. */
export async function markRefundUnknown(db: Db, id: string): Promise<void> {
  await db
    .updateTable('order_refunds')
    .set({ state: 'unknown' })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
}

/** Drops the reservation of a refund the provider refused. */
export async function deletePendingRefund(db: Db, id: string): Promise<void> {
  await db.deleteFrom('order_refunds').where('id', '=', id).where('state', 'in', ['pending', 'unknown']).execute();
}

/** Refunds whose outcome is open: unknown ones, and pending ones older than `pendingBefore` (a crash mid-call). */
export async function listOpenRefunds(db: Db, pendingBefore: number, limit: number): Promise<OrderRefundsTable[]> {
  return db
    .selectFrom('order_refunds')
    .selectAll()
    .where((eb) =>
      eb.or([eb('state', '=', 'unknown'), eb.and([eb('state', '=', 'pending'), eb('created_at', '<', pendingBefore)])]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Locks the order's row for the rest of the transaction (an update of nothing), as withdrawals do. */
export async function lockOrder(db: Db, orderId: string): Promise<OrdersTable | undefined> {
  const r = await db
    .updateTable('orders')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}
