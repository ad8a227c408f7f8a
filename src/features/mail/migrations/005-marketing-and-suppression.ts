// Marketing mail (issue 13): the outbox row says which list a marketing mail belongs to (null for transactional
// mail), so delivery can honour the suppression list; the suppression list holds keyed hashes of addresses that
// must get no marketing mail (unsubscribed, bounced, erased), never a readable address.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addMarketingAndSuppression: Migration = {
  id: 'mail.005-marketing-and-suppression',
  async up(db) {
    await db.schema.alterTable('outbox').addColumn('list', types.short).execute();
    await db.schema
      .createTable('mail_suppressions')
      .addColumn('hash', types.short, (c) => c.notNull())
      .addColumn('list', types.short, (c) => c.notNull())
      .addColumn('reason', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('mail_suppressions_pk', ['hash', 'list'])
      .execute();
  },
};
