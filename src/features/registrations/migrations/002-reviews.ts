// The staff review queue of disputed registrations (moved here unchanged from index.ts; same id, so no re-run).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createRegistrationReviews: Migration = {
  id: 'registrations.002-reviews',
  async up(db) {
    await db.schema
      .createTable('registration_reviews')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('serial', types.short, (c) => c.notNull())
      .addColumn('reason', types.short, (c) => c.notNull())
      .addColumn('order_number', types.short)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('resolved_at', types.time)
      .addColumn('resolution', types.short)
      .execute();
    await db.schema.createIndex('registration_reviews_user').on('registration_reviews').column('user_id').execute();
    await db.schema.createIndex('registration_reviews_serial').on('registration_reviews').column('serial').execute();
  },
};
