import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';
import { GENESIS_HASH } from '../ledger.ts';

export const createConsentLedger: Migration = {
  id: 'consent.001-ledger-and-policy-versions',
  async up(db) {
    await db.schema
      .createTable('consent_records')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('seq', types.int, (c) => c.notNull().unique())
      .addColumn('consent_id', types.id, (c) => c.notNull())
      .addColumn('recorded_at', types.time, (c) => c.notNull())
      .addColumn('policy_hash', types.short, (c) => c.notNull())
      .addColumn('locale', types.short, (c) => c.notNull())
      .addColumn('banner_hash', types.short, (c) => c.notNull())
      .addColumn('choices', types.json, (c) => c.notNull())
      .addColumn('action', types.short, (c) => c.notNull())
      .addColumn('ip_anon', types.short)
      .addColumn('browser', types.short)
      .addColumn('user_id', types.id)
      .addColumn('prev_hash', types.short, (c) => c.notNull())
      .addColumn('hash', types.short, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('consent_records_consent').on('consent_records').column('consent_id').execute();
    await db.schema.createIndex('consent_records_user').on('consent_records').column('user_id').execute();
    await db.schema.createIndex('consent_records_recorded').on('consent_records').column('recorded_at').execute();
    await db.schema
      .createTable('consent_chain')
      .addColumn('id', types.int, (c) => c.primaryKey())
      .addColumn('seq', types.int, (c) => c.notNull())
      .addColumn('last_hash', types.short, (c) => c.notNull())
      .addColumn('last_at', types.time, (c) => c.notNull())
      .execute();
    await db.insertInto('consent_chain').values({ id: 1, seq: 0, last_hash: GENESIS_HASH, last_at: 0 }).execute();
    // The policy versions table it once created here is the privacy engine's now (privacy.003-policy-versions,
    // same schema); the id stays, since databases have recorded it.
  },
};
