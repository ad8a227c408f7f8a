// SQL of the serial numbers recorded for shipped hardware units.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { OrderSerialsTable } from './serials.tables.ts';

type Db = Kysely<Database>;

export async function listSerialsOfOrder(db: Db, orderId: string): Promise<OrderSerialsTable[]> {
  return db
    .selectFrom('order_serials')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .orderBy('serial')
    .execute();
}

export async function deleteSerialsOfOrder(db: Db, orderId: string): Promise<void> {
  await db.deleteFrom('order_serials').where('order_id', '=', orderId).execute();
}

export async function insertSerials(db: Db, rows: OrderSerialsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('order_serials').values(rows).execute();
}

/** Where a serial number is recorded, with its order's number and status. */
export async function findSerialWithOrder(db: Db, serial: string) {
  return db
    .selectFrom('order_serials')
    .innerJoin('orders', 'orders.id', 'order_serials.order_id')
    .select([
      'order_serials.id',
      'order_serials.order_id',
      'order_serials.user_id',
      'order_serials.product_id',
      'orders.number',
      'orders.status',
      'orders.restricted_at as order_restricted_at',
    ])
    .where('order_serials.serial', '=', serial)
    .executeTakeFirst();
}

export async function deleteSerialById(db: Db, id: string): Promise<void> {
  await db.deleteFrom('order_serials').where('id', '=', id).execute();
}
