// The test provider's refunds, one row per idempotency key (the shop's refund id): the same key answers the same
// and moves the money once, so a retry after a timeout never pays twice (issue 12 review). The id is recorded in
// databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addTestRefunds: Migration = {
  id: 'payments.006-test-refunds',
  async up(db) {
    await db.schema
      .createTable('test_payment_refunds')
      .addColumn('idempotency_key', types.id, (c) => c.primaryKey())
      .addColumn('charge_id', types.id, (c) => c.notNull())
      .addColumn('amount_cents', 'bigint', (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('test_payment_refunds_charge').on('test_payment_refunds').column('charge_id').execute();
  },
};
