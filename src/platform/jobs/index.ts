// The platform's own feature: the scheduler lease table. Holds no personal data.
import { types } from '../db/dialect.ts';
import { defineFeature } from '../feature.ts';

export { createScheduler, type Scheduler } from './scheduler.ts';

export const jobsFeature = defineFeature({
  name: 'jobs',
  migrations: [
    {
      id: 'jobs.001-leases',
      async up(db) {
        await db.schema
          .createTable('job_leases')
          .addColumn('name', types.short, (c) => c.primaryKey())
          .addColumn('holder', types.id, (c) => c.notNull())
          .addColumn('expires_at', types.time, (c) => c.notNull())
          .execute();
      },
    },
  ],
  dataMap: {
    activities: [],
    tables: [
      {
        table: 'job_leases',
        activity: 'platform.operation',
        subject: null,
        columns: { name: 'not-personal', holder: 'not-personal', expires_at: 'not-personal' },
        erasure: null,
        retention: [],
      },
    ],
  },
});
