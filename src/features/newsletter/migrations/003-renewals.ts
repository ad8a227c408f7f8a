// A new sign-up of an unsubscribed address waits beside the row instead of rewriting it (review of issue 13,
// finding 5): the former consent's proof stays until its 3 years end; the request's proof replaces it only once
// confirmed, and goes alone when its link expires.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addRenewals: Migration = {
  id: 'newsletter.003-renewals',
  async up(db) {
    await db.schema.alterTable('newsletter_subscriptions').addColumn('renewal', types.json).execute();
    await db.schema.alterTable('newsletter_subscriptions').addColumn('renewal_until', types.time).execute();
    await db.schema
      .createIndex('newsletter_subscriptions_renewal')
      .on('newsletter_subscriptions')
      .column('renewal_until')
      .execute();
  },
};
