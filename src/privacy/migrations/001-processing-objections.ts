import type { Kysely } from 'kysely';
import { types } from '../../platform/db/dialect.ts';
import type { Migration } from '../../platform/db/migrate.ts';

/**
 * Creates the objections table unless it is there: a feature that moves its own objection records into it may
 * run first (manifest order puts the privacy engine last), and both must end with the same schema.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
export async function ensureProcessingObjections(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('processing_objections')
    .ifNotExists()
    .addColumn('user_id', types.id, (c) => c.notNull())
    .addColumn('activity', types.short, (c) => c.notNull())
    .addColumn('kind', types.short, (c) => c.notNull())
    .addColumn('recorded_at', types.time, (c) => c.notNull())
    .addColumn('via', types.short, (c) => c.notNull())
    .addPrimaryKeyConstraint('processing_objections_pk', ['user_id', 'activity', 'kind'])
    .execute();
  await db.schema
    .createIndex('processing_objections_activity')
    .ifNotExists()
    .on('processing_objections')
    .columns(['activity', 'user_id'])
    .execute();
}

export const createProcessingObjections: Migration = {
  id: 'privacy.001-processing-objections',
  up: (db) => ensureProcessingObjections(db),
};
