// Shipping with tracking (issue 11, point 8): the carrier (an id of the operator's list) and the tracking number
// the staff's ship action records, both null until the order ships. The id is recorded in databases.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addShippingTracking: Migration = {
  id: 'orders.009-shipping-tracking',
  async up(db) {
    await db.schema.alterTable('orders').addColumn('carrier', types.short).execute();
    await db.schema.alterTable('orders').addColumn('tracking_number', types.short).execute();
  },
};
