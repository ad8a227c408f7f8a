// The disclosure log and the hand-off queue. The id is recorded in databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createDisclosureLog: Migration = {
  id: 'disclosures.001-log-and-handoffs',
  async up(db) {
    await db.schema
      .createTable('handoffs')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('recipient', types.short, (c) => c.notNull())
      .addColumn('payload', types.json, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('delivered_at', types.time)
      .execute();
    await db.schema
      .createIndex('handoffs_undelivered')
      .on('handoffs')
      .columns(['delivered_at', 'created_at'])
      .execute();
    await db.schema
      .createTable('disclosures')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('activity', types.short, (c) => c.notNull())
      .addColumn('recipient', types.short, (c) => c.notNull())
      .addColumn('fields', types.json, (c) => c.notNull())
      .addColumn('handoff_id', types.id)
      .addColumn('disclosed_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disclosures_user').on('disclosures').column('user_id').execute();
  },
};
