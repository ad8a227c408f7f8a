import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createOutbox: Migration = {
  id: 'mail.001-outbox',
  async up(db) {
    await db.schema
      .createTable('outbox')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('recipient', types.short, (c) => c.notNull())
      .addColumn('subject', types.text, (c) => c.notNull())
      .addColumn('body', types.text, (c) => c.notNull())
      .addColumn('headers', types.json, (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('attempts', types.int, (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', types.time, (c) => c.notNull())
      .addColumn('locked_until', types.time)
      .addColumn('sent_at', types.time)
      .addColumn('failed_at', types.time)
      .addColumn('last_error', types.short)
      .execute();
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['sent_at', 'failed_at', 'next_attempt_at'])
      .execute();
    await db.schema.createIndex('outbox_recipient').on('outbox').column('recipient').execute();
  },
};
