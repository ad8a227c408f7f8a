import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createBaskets: Migration = {
  id: 'basket.001-baskets',
  async up(db) {
    await db.schema
      .createTable('baskets')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.unique().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', types.id, (c) => c.unique())
      .addColumn('lines', types.json, (c) => c.notNull().defaultTo('[]'))
      .addColumn('version', types.int, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('baskets_updated').on('baskets').column('updated_at').execute();
  },
};
