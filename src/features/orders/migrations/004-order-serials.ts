import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createOrderSerials: Migration = {
  id: 'orders.004-order-serials',
  async up(db) {
    // One row per shipped hardware unit; a serial number is recorded for one unit of one order only.
    await db.schema
      .createTable('order_serials')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('line_no', types.int, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('serial', types.short, (c) => c.notNull().unique())
      .addColumn('recorded_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('order_serials_order').on('order_serials').column('order_id').execute();
    await db.schema.createIndex('order_serials_user').on('order_serials').column('user_id').execute();
  },
};
