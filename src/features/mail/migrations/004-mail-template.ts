// The mail console (issue 12): which template made each mail (a name such as `account-reset-password`, set by the
// `*.emails.ts` function that composed it; null for older mail), and an index for paging the list newest first.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addMailTemplate: Migration = {
  id: 'mail.004-mail-template',
  async up(db) {
    await db.schema.alterTable('outbox').addColumn('template', types.short).execute();
    await db.schema.createIndex('outbox_created').on('outbox').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('outbox_template').on('outbox').columns(['template', 'created_at']).execute();
  },
};
