// Subscriptions with the proof of their opt-in (issue 13). One row per address and list; the audience of a
// campaign is read in id order by list and status, so that index makes building it a range scan.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createSubscriptions: Migration = {
  id: 'newsletter.001-subscriptions',
  async up(db) {
    await db.schema
      .createTable('newsletter_subscriptions')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('user_id', types.id)
      .addColumn('list', types.short, (c) => c.notNull())
      .addColumn('topics', types.json, (c) => c.notNull().defaultTo('[]'))
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('origin', types.short, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('requested_at', types.time, (c) => c.notNull())
      .addColumn('confirmed_at', types.time)
      .addColumn('unsubscribed_at', types.time)
      .addColumn('pending_until', types.time)
      .addColumn('ip_prefix', types.short)
      .addColumn('consent_text', types.text, (c) => c.notNull())
      .addColumn('consent_version', types.short, (c) => c.notNull())
      .addColumn('source', types.short, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('newsletter_subscriptions_email_list')
      .unique()
      .on('newsletter_subscriptions')
      .columns(['email', 'list'])
      .execute();
    await db.schema
      .createIndex('newsletter_subscriptions_audience')
      .on('newsletter_subscriptions')
      .columns(['list', 'status', 'id'])
      .execute();
    await db.schema
      .createIndex('newsletter_subscriptions_user')
      .on('newsletter_subscriptions')
      .column('user_id')
      .execute();
    await db.schema
      .createIndex('newsletter_subscriptions_pending')
      .on('newsletter_subscriptions')
      .column('pending_until')
      .execute();
  },
};
