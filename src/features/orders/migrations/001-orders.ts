import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createOrders: Migration = {
  id: 'orders.001-orders',
  async up(db) {
    // No foreign key to users: orders outlive an erased account for the statutory period.
    await db.schema
      .createTable('orders')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('number', types.short, (c) => c.notNull().unique())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('lines', types.json, (c) => c.notNull())
      .addColumn('billing', types.json, (c) => c.notNull())
      .addColumn('shipping', types.json, (c) => c.notNull())
      .addColumn('payment_method', types.short, (c) => c.notNull())
      .addColumn('payment_token', types.short)
      .addColumn('card_brand', types.short)
      .addColumn('card_last4', types.short)
      .addColumn('card_exp_month', types.int)
      .addColumn('payment_reference', types.short)
      .addColumn('total_cents', types.int, (c) => c.notNull())
      .addColumn('vat_cents', types.int, (c) => c.notNull())
      .addColumn('currency', types.short, (c) => c.notNull())
      .addColumn('idempotency_key', types.short, (c) => c.notNull())
      .addColumn('history', types.json, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .addUniqueConstraint('orders_user_idempotency', ['user_id', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('orders_user_created').on('orders').columns(['user_id', 'created_at']).execute();
  },
};
