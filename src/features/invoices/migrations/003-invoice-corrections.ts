// Cancellation invoices (Stornorechnungen, decision 0048): one row per reversal of an invoice, numbered from the
// invoices' own sequence. At most one per refund (`refund_id` unique) and one cancel per invoice (`cancel_of`
// unique: the invoice's id when the order was cancelled, null for a refund), so a rerun issues nothing twice.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createInvoiceCorrections: Migration = {
  id: 'invoices.003-invoice-corrections',
  async up(db) {
    await db.schema
      .createTable('invoice_corrections')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('number', types.short, (c) => c.notNull().unique())
      .addColumn('invoice_id', types.id, (c) => c.notNull())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('refund_id', types.id, (c) => c.unique())
      .addColumn('cancel_of', types.id, (c) => c.unique())
      .addColumn('lines', types.json, (c) => c.notNull())
      .addColumn('total_cents', types.int, (c) => c.notNull())
      .addColumn('vat_cents', types.int, (c) => c.notNull())
      .addColumn('issued_at', types.time, (c) => c.notNull())
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('invoice_corrections_order').on('invoice_corrections').column('order_id').execute();
    await db.schema.createIndex('invoice_corrections_user').on('invoice_corrections').column('user_id').execute();
  },
};
