// CSV imports of products: one row per import, its stored file, its progress and the report of rejected rows.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createProductImports: Migration = {
  id: 'catalog.008-product-imports',
  async up(db) {
    await db.schema
      .createTable('product_imports')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('total', types.int, (c) => c.notNull())
      .addColumn('done', types.int, (c) => c.notNull())
      .addColumn('created_count', types.int, (c) => c.notNull())
      .addColumn('updated_count', types.int, (c) => c.notNull())
      .addColumn('rejected', types.text, (c) => c.notNull())
      .addColumn('source', types.text)
      .addColumn('created_by', types.id)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('product_imports_created')
      .on('product_imports')
      .columns(['created_at', 'id'])
      .execute();
  },
};
