// SQL of the staff order list (issue 12, point 2): one page of orders in keyset order (created_at desc, id desc)
// with their customer, filtered and searched; the customers and serials a search term finds. Restricted orders
// (erasure requested, kept for the law only) are never listed.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { userMatches } from '../accounts/index.ts';
import type { OrdersTable, OrderStatus, PaymentMethod } from './orders.tables.ts';

type Db = Kysely<Database>;

/** The filters of the list, already checked and turned into instants (orders.console.ts). */
export interface OrderListFilter {
  statuses: OrderStatus[];
  method: PaymentMethod | null;
  /** created_at ≥ from. */
  from: number | null;
  /** created_at < to. */
  to: number | null;
  /** Only orders on invoice still unpaid, placed before this instant (their due date has passed). */
  overdueBefore: number | null;
  /** A search: the order number, the customers whose email or name matched, the orders that sold a serial. */
  search: { number: string; userIds: string[] | { term: string }; orderIds: string[] } | null;
}

/** A position in the list: the row of a page's edge. */
export interface ListKey {
  created_at: number;
  id: string;
}

export type OrderListRow = Pick<
  OrdersTable,
  'id' | 'number' | 'user_id' | 'status' | 'lines' | 'payment_method' | 'total_cents' | 'created_at'
> & { customer_name: string | null; customer_email: string | null };

/** The order that sold the unit with this serial number (none or one: a serial belongs to one unit). */
export async function findOrderIdsBySerial(db: Db, serial: string): Promise<string[]> {
  const rows = await db.selectFrom('order_serials').select('order_id').where('serial', '=', serial).execute();
  return rows.map((r) => r.order_id);
}

/**
 * One page of the list: `limit` rows after `after` (older) or before `before` (newer), newest first either way.
 * Ask for one more than a page to learn whether another follows.
 */
export async function listOrdersPage(
  db: Db,
  filter: OrderListFilter,
  position: { after: ListKey } | { before: ListKey } | null,
  limit: number,
): Promise<OrderListRow[]> {
  let q = db
    .selectFrom('orders')
    .leftJoin('users', 'users.id', 'orders.user_id')
    .select([
      'orders.id',
      'orders.number',
      'orders.user_id',
      'orders.status',
      'orders.lines',
      'orders.payment_method',
      'orders.total_cents',
      'orders.created_at',
      'users.name as customer_name',
      'users.email as customer_email',
    ])
    .where('orders.restricted_at', 'is', null);
  if (filter.statuses.length === 1) q = q.where('orders.status', '=', filter.statuses[0]!);
  else if (filter.statuses.length > 1) q = q.where('orders.status', 'in', filter.statuses);
  if (filter.method) q = q.where('orders.payment_method', '=', filter.method);
  if (filter.from !== null) q = q.where('orders.created_at', '>=', filter.from);
  if (filter.to !== null) q = q.where('orders.created_at', '<', filter.to);
  if (filter.overdueBefore !== null)
    q = q.where('orders.status', '=', 'invoiced').where('orders.created_at', '<', filter.overdueBefore);
  const search = filter.search;
  if (search)
    q = q.where((eb) => {
      const any = [eb('orders.number', '=', search.number)];
      if (Array.isArray(search.userIds)) {
        if (search.userIds.length > 0) any.push(eb('orders.user_id', 'in', search.userIds));
      } else {
        // Too many customers matched to list their ids: the database matches them itself.
        any.push(
          eb(
            'orders.user_id',
            'in',
            eb
              .selectFrom('users as u')
              .select('u.id')
              .where(userMatches(db, search.userIds.term, 'u')),
          ),
        );
      }
      if (search.orderIds.length > 0) any.push(eb('orders.id', 'in', search.orderIds));
      return eb.or(any);
    });
  if (position && 'after' in position) {
    const k = position.after;
    q = q
      .where((eb) =>
        eb.or([
          eb('orders.created_at', '<', k.created_at),
          eb.and([eb('orders.created_at', '=', k.created_at), eb('orders.id', '<', k.id)]),
        ]),
      )
      .orderBy('orders.created_at', 'desc')
      .orderBy('orders.id', 'desc');
  } else if (position) {
    const k = position.before;
    q = q
      .where((eb) =>
        eb.or([
          eb('orders.created_at', '>', k.created_at),
          eb.and([eb('orders.created_at', '=', k.created_at), eb('orders.id', '>', k.id)]),
        ]),
      )
      .orderBy('orders.created_at', 'asc')
      .orderBy('orders.id', 'asc');
  } else q = q.orderBy('orders.created_at', 'desc').orderBy('orders.id', 'desc');
  const rows = await q.limit(limit).execute();
  const list = rows.map((r) => ({ ...r, total_cents: Number(r.total_cents), created_at: Number(r.created_at) }));
  return position && 'before' in position ? list.reverse() : list;
}

/** The full rows of the chosen orders (bulk actions), unrestricted ones only, in the order of the list. */
export async function findOrdersByIds(db: Db, ids: readonly string[]): Promise<OrdersTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('orders')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('restricted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Name, email and language of the customers of the chosen orders (absent when an account is gone). */
export async function findCustomers(
  db: Db,
  userIds: readonly string[],
): Promise<{ id: string; name: string; email: string; lang: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'lang'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
}
