// Issue 12, point 2 (the staff order page): staff's internal notes on an order, the refunds made from the console
// (full or per line, through the payment provider), and the payment of an invoice order as staff record it from the
// bank statement (the day and the statement's text). The id is recorded in databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addOrderNotesAndPayments: Migration = {
  id: 'orders.010-order-notes-and-payments',
  async up(db) {
    await db.schema
      .createTable('order_notes')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('author_id', types.id, (c) => c.notNull())
      .addColumn('body', types.text, (c) => c.notNull())
      .addColumn('order_created_at', types.time, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('order_notes_order').on('order_notes').columns(['order_id', 'created_at']).execute();
    await db.schema.createIndex('order_notes_user').on('order_notes').column('user_id').execute();
    await db.schema
      .createTable('order_refunds')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('author_id', types.id, (c) => c.notNull())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('amount_cents', types.time, (c) => c.notNull())
      .addColumn('lines', types.json, (c) => c.notNull())
      .addColumn('shipping_cents', types.time, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('settled_at', types.time)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('order_refunds_order').on('order_refunds').column('order_id').execute();
    await db.schema.createIndex('order_refunds_user').on('order_refunds').column('user_id').execute();
    await db.schema.alterTable('orders').addColumn('invoice_paid_on', types.short).execute();
    await db.schema.alterTable('orders').addColumn('invoice_paid_reference', types.short).execute();
  },
};
