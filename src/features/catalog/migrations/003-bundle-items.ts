import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createBundleItems: Migration = {
  id: 'catalog.003-bundle-items',
  async up(db) {
    await db.schema
      .createTable('bundle_items')
      .addColumn('bundle_id', types.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
      .addColumn('product_id', types.id, (c) => c.notNull().references('products.id'))
      .addColumn('position', types.int, (c) => c.notNull())
      .addPrimaryKeyConstraint('bundle_items_pk', ['bundle_id', 'product_id'])
      .execute();
  },
};
