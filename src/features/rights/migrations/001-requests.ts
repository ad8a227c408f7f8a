import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createPrivacyRequests: Migration = {
  id: 'rights.001-requests',
  async up(db) {
    await db.schema
      .createTable('privacy_requests')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('kind', types.short, (c) => c.notNull())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('channel', types.short, (c) => c.notNull())
      .addColumn('subject', types.short, (c) => c.notNull())
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('received_at', types.time, (c) => c.notNull())
      .addColumn('due_at', types.time, (c) => c.notNull())
      .addColumn('extended_at', types.time)
      .addColumn('extension_reason', types.text)
      .addColumn('identity_check', types.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('identity_checked_at', types.time)
      .addColumn('detail', types.json)
      .addColumn('outcome', types.json)
      .addColumn('refusal_reason', types.text)
      .addColumn('done_at', types.time)
      .addColumn('duplicate_of', types.id)
      .addColumn('lease_until', types.time)
      .addColumn('lease_owner', types.short)
      .addColumn('attempts', types.int, (c) => c.notNull().defaultTo(0))
      .addColumn('progress', types.int, (c) => c.notNull().defaultTo(0))
      .addColumn('export_expires_at', types.time)
      .addColumn('export_size', types.time)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema
      .createIndex('privacy_requests_subject')
      .on('privacy_requests')
      .columns(['subject', 'received_at'])
      .execute();
    await db.schema.createIndex('privacy_requests_state').on('privacy_requests').columns(['state', 'due_at']).execute();
    await db.schema.createIndex('privacy_requests_email').on('privacy_requests').column('email').execute();
    await db.schema
      .createTable('privacy_request_events')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('request_id', types.id, (c) => c.notNull().references('privacy_requests.id').onDelete('cascade'))
      .addColumn('subject', types.short, (c) => c.notNull())
      .addColumn('at', types.time, (c) => c.notNull())
      .addColumn('actor', types.short, (c) => c.notNull())
      .addColumn('actor_user_id', types.id)
      .addColumn('what', types.short, (c) => c.notNull())
      .addColumn('note', types.text)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema
      .createIndex('privacy_request_events_request')
      .on('privacy_request_events')
      .columns(['request_id', 'at'])
      .execute();
    await db.schema
      .createIndex('privacy_request_events_subject')
      .on('privacy_request_events')
      .column('subject')
      .execute();
    await db.schema
      .createTable('privacy_request_steps')
      .addColumn('request_id', types.id, (c) => c.notNull().references('privacy_requests.id').onDelete('cascade'))
      .addColumn('step', types.short, (c) => c.notNull())
      .addColumn('done_at', types.time, (c) => c.notNull())
      .addColumn('result', types.json)
      .addPrimaryKeyConstraint('privacy_request_steps_pk', ['request_id', 'step'])
      .execute();
  },
};
