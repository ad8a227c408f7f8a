// Newsletter campaigns and their recipients (issue 13). A recipient row is written in the same transaction as its
// outbox row, keyed by (campaign, subscription) so a page rebuilt after a crash cannot add anyone twice.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCampaigns: Migration = {
  id: 'campaigns.001-campaigns',
  async up(db) {
    await db.schema
      .createTable('campaigns')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('subject_en', types.short, (c) => c.notNull())
      .addColumn('subject_de', types.short, (c) => c.notNull())
      .addColumn('body_en', types.text, (c) => c.notNull())
      .addColumn('body_de', types.text, (c) => c.notNull())
      .addColumn('topic', types.short)
      .addColumn('lang', types.short)
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('scheduled_at', types.time)
      .addColumn('created_by', types.id)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .addColumn('started_at', types.time)
      .addColumn('built_at', types.time)
      .addColumn('finished_at', types.time)
      .addColumn('audience_after', types.id)
      .addColumn('built_count', types.int, (c) => c.notNull().defaultTo(0))
      .addColumn('paused_from', types.short)
      .execute();
    await db.schema.createIndex('campaigns_status').on('campaigns').columns(['status', 'scheduled_at']).execute();
    await db.schema.createIndex('campaigns_created').on('campaigns').columns(['created_at', 'id']).execute();
    await db.schema
      .createTable('campaign_recipients')
      .addColumn('campaign_id', types.id, (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
      .addColumn('subscription_id', types.id, (c) => c.notNull())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('user_id', types.id)
      .addColumn('outbox_id', types.id, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('done_at', types.time)
      .addPrimaryKeyConstraint('campaign_recipients_pk', ['campaign_id', 'subscription_id'])
      .execute();
    await db.schema
      .createIndex('campaign_recipients_status')
      .on('campaign_recipients')
      .columns(['campaign_id', 'status', 'subscription_id'])
      .execute();
    await db.schema.createIndex('campaign_recipients_email').on('campaign_recipients').column('email').execute();
    await db.schema.createIndex('campaign_recipients_done').on('campaign_recipients').column('done_at').execute();
  },
};
