// Indexes of the staff order list (issue 12, point 2): every page of the list is read in keyset order
// (created_at desc, id desc), with or without a status filter (one status, or the overdue invoices: status and age).
// orders_user_created (001) already serves the search by customer, the unique number and serial the others.
import type { Migration } from '../../../platform/db/migrate.ts';

export const addConsoleIndexes: Migration = {
  id: 'orders.011-console-indexes',
  async up(db) {
    await db.schema.createIndex('orders_created_id').on('orders').columns(['created_at', 'id']).execute();
    await db.schema
      .createIndex('orders_status_created_id')
      .on('orders')
      .columns(['status', 'created_at', 'id'])
      .execute();
  },
};
