// The test provider's hosted payment page: sessions, tokens bound to a customer and used once, refunds.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addHostedPayment: Migration = {
  id: 'payments.003-hosted-payment',
  async up(db) {
    await db.schema.alterTable('test_payment_tokens').addColumn('customer_ref', types.id).execute();
    await db.schema.alterTable('test_payment_tokens').addColumn('used_at', types.time).execute();
    await db.schema.alterTable('test_payment_charges').addColumn('refunded_at', types.time).execute();
    await db.schema
      .createTable('test_payment_sessions')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('customer_ref', types.id, (c) => c.notNull())
      .addColumn('order_ref', types.id, (c) => c.notNull())
      .addColumn('amount_cents', 'bigint', (c) => c.notNull())
      .addColumn('currency', types.short, (c) => c.notNull())
      .addColumn('return_url', types.text, (c) => c.notNull())
      .addColumn('completed_at', types.time)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
  },
};
