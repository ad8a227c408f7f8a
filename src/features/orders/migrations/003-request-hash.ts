// The hash of the request that used an Idempotency-Key: a repeat with another body is refused, not answered
// with the earlier order. Orders made before this have none and are matched by the key alone.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addRequestHash: Migration = {
  id: 'orders.003-request-hash',
  async up(db) {
    await db.schema.alterTable('orders').addColumn('request_hash', types.id).execute();
  },
};
