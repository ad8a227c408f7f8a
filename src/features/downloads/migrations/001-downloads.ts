import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createDownloads: Migration = {
  id: 'downloads.001-downloads',
  async up(db) {
    await db.schema
      .createTable('downloads')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('downloaded_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('downloads_user').on('downloads').column('user_id').execute();
  },
};
