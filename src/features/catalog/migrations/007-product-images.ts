// Pictures of products (the files live under DATA_DIR/product-images; a row goes with its product).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createProductImages: Migration = {
  id: 'catalog.007-product-images',
  async up(db) {
    await db.schema
      .createTable('product_images')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('product_id', types.id, (c) => c.notNull().references('products.id').onDelete('cascade'))
      .addColumn('position', types.int, (c) => c.notNull())
      .addColumn('alt_en', types.short, (c) => c.notNull())
      .addColumn('alt_de', types.short, (c) => c.notNull())
      .addColumn('width', types.int, (c) => c.notNull())
      .addColumn('height', types.int, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('product_images_product')
      .on('product_images')
      .columns(['product_id', 'position'])
      .execute();
  },
};
