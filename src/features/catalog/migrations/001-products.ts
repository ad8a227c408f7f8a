import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createProducts: Migration = {
  id: 'catalog.001-products',
  async up(db) {
    await db.schema
      .createTable('products')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('slug', types.short, (c) => c.notNull().unique())
      .addColumn('kind', types.short, (c) => c.notNull())
      .addColumn('title_en', types.short, (c) => c.notNull())
      .addColumn('title_de', types.short, (c) => c.notNull())
      .addColumn('summary_en', types.text, (c) => c.notNull())
      .addColumn('summary_de', types.text, (c) => c.notNull())
      .addColumn('price_cents', types.int, (c) => c.notNull())
      .addColumn('stock', types.int)
      .addColumn('position', types.int, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('products_position').on('products').column('position').execute();
  },
};
