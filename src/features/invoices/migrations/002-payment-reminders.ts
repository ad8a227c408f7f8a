// The payment reminders sent for unpaid invoices: one row per reminder, at most one per order and step, so that
// a rerun of the job (or a second worker) cannot send a reminder twice. The id is recorded in databases.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createPaymentReminders: Migration = {
  id: 'invoices.002-payment-reminders',
  async up(db) {
    await db.schema
      .createTable('payment_reminders')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('level', types.int, (c) => c.notNull())
      .addColumn('sent_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .addUniqueConstraint('payment_reminders_order_level', ['order_id', 'level'])
      .execute();
    await db.schema.createIndex('payment_reminders_user').on('payment_reminders').column('user_id').execute();
  },
};
