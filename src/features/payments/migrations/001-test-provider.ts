// The TEST payment provider's stand-in tables (created only while PAYMENT_PROVIDER=test; see 004).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';
import { DROP_TEST_PROVIDER_ID } from './004-drop-test-provider.ts';

export const createTestProvider: Migration = {
  id: 'payments.001-test-provider',
  async up(db) {
    // Back in test mode after another provider dropped the tables: that drop may happen again later.
    await db.deleteFrom('schema_migrations').where('id', '=', DROP_TEST_PROVIDER_ID).execute();
    await db.schema
      .createTable('test_payment_tokens')
      .addColumn('token', types.id, (c) => c.primaryKey())
      .addColumn('brand', types.short, (c) => c.notNull())
      .addColumn('last4', types.short, (c) => c.notNull())
      .addColumn('exp_month', types.int, (c) => c.notNull())
      .addColumn('exp_year', types.int, (c) => c.notNull())
      .addColumn('outcome', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('test_payment_charges')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('token', types.id)
      .addColumn('method', types.short, (c) => c.notNull())
      .addColumn('amount_cents', types.int, (c) => c.notNull())
      .addColumn('currency', types.short, (c) => c.notNull())
      .addColumn('idempotency_key', types.short, (c) => c.notNull().unique())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
  },
};
