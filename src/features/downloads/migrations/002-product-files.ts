// Files of purchased products, their activation how-to, and the log of who downloaded which file when.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createProductFiles: Migration = {
  id: 'downloads.002-product-files',
  async up(db) {
    await db.schema
      .createTable('product_files')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('label', types.short, (c) => c.notNull())
      .addColumn('version', types.short, (c) => c.notNull())
      .addColumn('file_name', types.short, (c) => c.notNull())
      .addColumn('content_type', types.short, (c) => c.notNull())
      .addColumn('size_bytes', types.time, (c) => c.notNull())
      .addColumn('sha256', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('product_files_product').on('product_files').column('product_id').execute();
    await db.schema
      .createTable('product_instructions')
      .addColumn('product_id', types.id, (c) => c.primaryKey())
      .addColumn('how_to_en', types.text, (c) => c.notNull())
      .addColumn('how_to_de', types.text, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('file_downloads')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('file_id', types.id, (c) => c.notNull())
      .addColumn('downloaded_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('file_downloads_user').on('file_downloads').column('user_id').execute();
    await db.schema.createIndex('file_downloads_time').on('file_downloads').column('downloaded_at').execute();
  },
};
