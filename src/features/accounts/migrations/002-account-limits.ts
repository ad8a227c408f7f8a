// Per-address counters for the sign-in throttle (when no REDIS_URL is set) and for coalescing account mails.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createAccountLimits: Migration = {
  id: 'accounts.002-account-limits',
  async up(db) {
    await db.schema
      .createTable('account_limits')
      .addColumn('key_hash', types.id, (c) => c.primaryKey())
      .addColumn('count', types.int, (c) => c.notNull())
      .addColumn('last_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('account_limits_last_at').on('account_limits').column('last_at').execute();
  },
};
