import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCategories: Migration = {
  id: 'catalog.002-categories',
  async up(db) {
    await db.schema
      .createTable('categories')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('slug', types.short, (c) => c.notNull().unique())
      .addColumn('name_en', types.short, (c) => c.notNull())
      .addColumn('name_de', types.short, (c) => c.notNull())
      .addColumn('position', types.int, (c) => c.notNull())
      .execute();
    await db.schema.alterTable('products').addColumn('category_id', types.id).execute();
    await db.schema.createIndex('products_category').on('products').column('category_id').execute();
  },
};
