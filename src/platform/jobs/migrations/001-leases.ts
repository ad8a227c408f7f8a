import { types } from '../../db/dialect.ts';
import type { Migration } from '../../db/migrate.ts';

export const createLeases: Migration = {
  id: 'jobs.001-leases',
  async up(db) {
    await db.schema
      .createTable('job_leases')
      .addColumn('name', types.short, (c) => c.primaryKey())
      .addColumn('holder', types.id, (c) => c.notNull())
      .addColumn('expires_at', types.time, (c) => c.notNull())
      .execute();
  },
};
