// Money columns are 64-bit on both databases: a total above 2^31−1 cents (€21.4 million) overflowed PostgreSQL's
// `integer`. SQLite's INTEGER is already 64-bit, so only PostgreSQL changes.
import type { Migration } from '../../../platform/db/migrate.ts';

export const widenOrderMoney: Migration = {
  id: 'orders.002-money-bigint',
  async up(db, kind) {
    if (kind !== 'postgres') return;
    await db.schema
      .alterTable('orders')
      .alterColumn('total_cents', (c) => c.setDataType('bigint'))
      .alterColumn('vat_cents', (c) => c.setDataType('bigint'))
      .execute();
  },
};
