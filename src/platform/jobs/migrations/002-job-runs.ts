import { types } from '../../db/dialect.ts';
import type { Migration } from '../../db/migrate.ts';

/** One row per job run (issue 17): the console's job page and the 30-day retention read it by job and by time. */
export const createJobRuns: Migration = {
  id: 'jobs.002-job-runs',
  async up(db) {
    await db.schema
      .createTable('job_runs')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('job', types.short, (c) => c.notNull())
      .addColumn('holder', types.id, (c) => c.notNull())
      .addColumn('started_at', types.time, (c) => c.notNull())
      .addColumn('ended_at', types.time)
      .addColumn('outcome', types.short)
      .addColumn('items', types.int)
      .addColumn('error', types.short)
      .execute();
    await db.schema.createIndex('job_runs_job_started').on('job_runs').columns(['job', 'started_at']).execute();
    await db.schema.createIndex('job_runs_started').on('job_runs').column('started_at').execute();
  },
};
