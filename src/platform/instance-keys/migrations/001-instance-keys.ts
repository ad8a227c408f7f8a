import { types } from '../../db/dialect.ts';
import type { Migration } from '../../db/migrate.ts';

/** The fingerprints of the keys all processes must share (issue 17: several processes on one database). */
export const createInstanceKeys: Migration = {
  id: 'instance-keys.001-instance-keys',
  async up(db) {
    await db.schema
      .createTable('instance_keys')
      .addColumn('name', types.short, (c) => c.primaryKey())
      .addColumn('fingerprint', types.short, (c) => c.notNull())
      .addColumn('recorded_at', types.time, (c) => c.notNull())
      .execute();
  },
};
