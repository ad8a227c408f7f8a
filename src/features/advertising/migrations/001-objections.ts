import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createObjections: Migration = {
  id: 'advertising.001-objections',
  async up(db) {
    await db.schema
      .createTable('advertising_objections')
      .addColumn('user_id', types.id, (c) => c.primaryKey())
      .addColumn('objected_at', types.time, (c) => c.notNull())
      .addColumn('via', types.short, (c) => c.notNull())
      .execute();
  },
};
