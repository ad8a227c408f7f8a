// Charge amounts are 64-bit on both databases (SQLite's INTEGER already is; PostgreSQL's `integer` is not).
import type { Migration } from '../../../platform/db/migrate.ts';

export const widenChargeAmount: Migration = {
  id: 'payments.002-money-bigint',
  async up(db, kind) {
    if (kind !== 'postgres') return;
    await db.schema
      .alterTable('test_payment_charges')
      .alterColumn('amount_cents', (c) => c.setDataType('bigint'))
      .execute();
  },
};
