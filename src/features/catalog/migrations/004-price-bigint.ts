// Prices are 64-bit on both databases like every money column (SQLite's INTEGER already is).
import type { Migration } from '../../../platform/db/migrate.ts';

export const widenPrice: Migration = {
  id: 'catalog.004-price-bigint',
  async up(db, kind) {
    if (kind !== 'postgres') return;
    await db.schema
      .alterTable('products')
      .alterColumn('price_cents', (c) => c.setDataType('bigint'))
      .execute();
  },
};
