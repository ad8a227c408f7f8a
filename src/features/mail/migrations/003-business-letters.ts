// Kept copies of sent commercial letters (the order confirmation): 6 years under § 257 HGB, apart from the outbox.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createBusinessLetters: Migration = {
  id: 'mail.003-business-letters',
  async up(db) {
    await db.schema
      .createTable('business_letters')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('kind', types.short, (c) => c.notNull())
      .addColumn('ref', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('outbox_id', types.id, (c) => c.notNull())
      .addColumn('recipient', types.short, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('subject', types.text, (c) => c.notNull())
      .addColumn('body', types.text, (c) => c.notNull())
      .addColumn('html', types.text)
      .addColumn('attachments', types.json, (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('business_letters_user').on('business_letters').column('user_id').execute();
    await db.schema.createIndex('business_letters_created').on('business_letters').column('created_at').execute();
    await db.schema.createIndex('business_letters_ref').on('business_letters').columns(['kind', 'ref']).execute();
  },
};
