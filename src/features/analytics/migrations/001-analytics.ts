// The analytics tables (issue 15). Raw events are not here: they live in daily tables made by the writer
// (analytics.queries.ts createEventPartition), so that retention drops a whole day at once.
import { sql } from 'kysely';
import { dbKindOf, types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createAnalytics: Migration = {
  id: 'analytics.001-analytics',
  async up(db) {
    await db.schema
      .createTable('analytics_daily')
      .addColumn('day', types.time, (c) => c.notNull())
      .addColumn('dimension', types.short, (c) => c.notNull())
      .addColumn('value', types.short, (c) => c.notNull())
      .addColumn('visitors', types.int, (c) => c.notNull())
      .addColumn('visits', types.int, (c) => c.notNull())
      .addColumn('pageviews', types.int, (c) => c.notNull())
      .addColumn('bounces', types.int, (c) => c.notNull())
      .addColumn('duration_ms', types.time, (c) => c.notNull())
      .addColumn('events', types.int, (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_daily_pk', ['dimension', 'day', 'value'])
      // SQLite: the rows stored in key order, so a dashboard's range of one dimension is read in one sweep
      // (PostgreSQL reads them through the primary key's index).
      .$call((b) => (dbKindOf(db) === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
      .execute();
    await db.schema.createIndex('analytics_daily_day').on('analytics_daily').column('day').execute();
    await db.schema
      .createTable('analytics_hourly')
      .addColumn('hour', types.time, (c) => c.primaryKey())
      .addColumn('visitors', types.int, (c) => c.notNull())
      .addColumn('visits', types.int, (c) => c.notNull())
      .addColumn('pageviews', types.int, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('analytics_salts')
      .addColumn('day', types.short, (c) => c.primaryKey())
      .addColumn('salt', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('analytics_bots')
      .addColumn('day', types.time, (c) => c.notNull())
      .addColumn('reason', types.short, (c) => c.notNull())
      .addColumn('count', types.int, (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_bots_pk', ['day', 'reason'])
      .execute();
    await db.schema
      .createTable('analytics_exclusions')
      .addColumn('pseudonym', types.short, (c) => c.primaryKey())
      .addColumn('reason', types.short, (c) => c.notNull())
      .addColumn('added_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('analytics_dirty_days')
      .addColumn('day', types.time, (c) => c.primaryKey())
      .addColumn('marked_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('analytics_experiments')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('key', types.short, (c) => c.notNull().unique())
      .addColumn('name', types.short, (c) => c.notNull())
      .addColumn('changes', types.text, (c) => c.notNull())
      .addColumn('goal_kind', types.short, (c) => c.notNull())
      .addColumn('goal_path', types.text)
      .addColumn('variants', types.json, (c) => c.notNull())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('started_at', types.time)
      .addColumn('stopped_at', types.time)
      .execute();
    await db.schema
      .createTable('analytics_assignments')
      .addColumn('experiment_id', types.id, (c) =>
        c.notNull().references('analytics_experiments.id').onDelete('cascade'),
      )
      .addColumn('pseudonym', types.short, (c) => c.notNull())
      .addColumn('variant', types.short, (c) => c.notNull())
      .addColumn('assigned_at', types.time, (c) => c.notNull())
      .addColumn('converted_at', types.time)
      .addPrimaryKeyConstraint('analytics_assignments_pk', ['experiment_id', 'pseudonym'])
      .execute();
    await db.schema
      .createIndex('analytics_assignments_pseudonym')
      .on('analytics_assignments')
      .column('pseudonym')
      .execute();
    await db.schema
      .createTable('analytics_experiment_results')
      .addColumn('experiment_id', types.id, (c) =>
        c.notNull().references('analytics_experiments.id').onDelete('cascade'),
      )
      .addColumn('variant', types.short, (c) => c.notNull())
      .addColumn('exposures', types.int, (c) => c.notNull())
      .addColumn('conversions', types.int, (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_experiment_results_pk', ['experiment_id', 'variant'])
      .execute();
  },
};
