// What the last "add to basket" form added, shown once on the next page (a redirect carries no message).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addAddedNotice: Migration = {
  id: 'basket.002-added-notice',
  async up(db) {
    await db.schema.alterTable('baskets').addColumn('added_notice', types.json).execute();
  },
};
