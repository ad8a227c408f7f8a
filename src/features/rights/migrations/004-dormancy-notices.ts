// The notices sent to dormant accounts (policy 9c): one row per notice, so that the erasure follows 30 days after
// its notice only, and an account that cannot be erased for dormancy is told once per dormancy period.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createDormancyNotices: Migration = {
  id: 'rights.004-dormancy-notices',
  async up(db) {
    await db.schema
      .createTable('dormancy_notices')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('kind', types.short, (c) => c.notNull())
      .addColumn('notified_at', types.time, (c) => c.notNull())
      .addColumn('erasure_at', types.time)
      .addColumn('request_id', types.id)
      .execute();
    await db.schema
      .createIndex('dormancy_notices_user')
      .on('dormancy_notices')
      .columns(['user_id', 'notified_at'])
      .execute();
  },
};
