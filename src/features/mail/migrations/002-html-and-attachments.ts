// HTML mail and attachments (issue 11, point 14): the outbox keeps the HTML part beside the text part, and the
// attachments as references that delivery renders (no file copies in the database).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addHtmlAndAttachments: Migration = {
  id: 'mail.002-html-and-attachments',
  async up(db) {
    await db.schema.alterTable('outbox').addColumn('html', types.text).execute();
    await db.schema
      .alterTable('outbox')
      .addColumn('attachments', types.json, (c) => c.notNull().defaultTo('[]'))
      .execute();
  },
};
