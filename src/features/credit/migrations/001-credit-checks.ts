import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCreditChecks: Migration = {
  id: 'credit.001-credit-checks',
  async up(db) {
    await db.schema
      .createTable('credit_checks')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('agency', types.short, (c) => c.notNull())
      .addColumn('sent', types.json, (c) => c.notNull())
      .addColumn('requested_at', types.time, (c) => c.notNull())
      .addColumn('decision', types.short, (c) => c.notNull())
      .addColumn('reason', types.short, (c) => c.notNull())
      .addColumn('answered_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('credit_checks_user').on('credit_checks').column('user_id').execute();
  },
};
