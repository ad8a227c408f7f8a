// How many confirmation mails went to a sign-up and when: repeated sign-ups of one address are throttled from the
// database (not process memory), so every app instance sees the same count (issue 13).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addConfirmationMails: Migration = {
  id: 'newsletter.002-confirmation-mails',
  async up(db) {
    await db.schema.alterTable('newsletter_subscriptions').addColumn('confirm_sent_at', types.time).execute();
    await db.schema.alterTable('newsletter_subscriptions').addColumn('confirm_window_from', types.time).execute();
    await db.schema
      .alterTable('newsletter_subscriptions')
      .addColumn('confirm_count', types.int, (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
