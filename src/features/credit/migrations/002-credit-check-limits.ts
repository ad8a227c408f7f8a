// Daily credit-check allowances, one counter row per pseudonymous key (an account, or a billing name and address),
// so that reserving a check is one atomic statement on both databases (issue 8, point 11; review finding 9).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCreditCheckLimits: Migration = {
  id: 'credit.002-credit-check-limits',
  async up(db) {
    await db.schema
      .createTable('credit_check_limits')
      .addColumn('key_hash', types.short, (c) => c.primaryKey())
      .addColumn('window_start', types.time, (c) => c.notNull())
      .addColumn('used', types.int, (c) => c.notNull())
      .execute();
  },
};
