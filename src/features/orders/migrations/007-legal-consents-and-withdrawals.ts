// Issue 11, point 4: an order records the versions of the terms and withdrawal policy its customer accepted and the
// times of the acceptance and of the consent for digital content (§ 356(5) BGB); withdrawals made with the account's
// withdrawal function get a table. The id is recorded in databases: never change it.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addLegalConsentsAndWithdrawals: Migration = {
  id: 'orders.007-legal-consents-and-withdrawals',
  async up(db) {
    await db.schema.alterTable('orders').addColumn('legal_versions', types.json).execute();
    await db.schema.alterTable('orders').addColumn('terms_accepted_at', types.time).execute();
    await db.schema.alterTable('orders').addColumn('digital_consent_at', types.time).execute();
    await db.schema
      .createTable('order_withdrawals')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('lines', types.json, (c) => c.notNull())
      .addColumn('statement', types.text)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('order_withdrawals_order').on('order_withdrawals').column('order_id').execute();
    await db.schema.createIndex('order_withdrawals_user').on('order_withdrawals').column('user_id').execute();
  },
};
