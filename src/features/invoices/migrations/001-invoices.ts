import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createInvoices: Migration = {
  id: 'invoices.001-invoices',
  async up(db) {
    await db.schema
      .createTable('invoices')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('number', types.short, (c) => c.notNull().unique())
      .addColumn('order_id', types.id, (c) => c.notNull().unique())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('issued_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('invoices_user').on('invoices').column('user_id').execute();
    await db.schema
      .createTable('invoice_counters')
      .addColumn('year', types.int, (c) => c.primaryKey())
      .addColumn('last', types.int, (c) => c.notNull())
      .execute();
  },
};
