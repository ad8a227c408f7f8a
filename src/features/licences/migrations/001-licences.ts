import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createLicences: Migration = {
  id: 'licences.001-licences-activations',
  async up(db) {
    await db.schema
      .createTable('licences')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('licence_key', types.short, (c) => c.notNull().unique())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('order_id', types.id, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('max_activations', types.int, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('licences_user').on('licences').column('user_id').execute();
    await db.schema
      .createTable('activations')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('licence_id', types.id, (c) => c.notNull().references('licences.id').onDelete('cascade'))
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('machine_hash', types.short, (c) => c.notNull())
      .addColumn('activated_at', types.time, (c) => c.notNull())
      .addColumn('deactivated_at', types.time)
      .execute();
    await db.schema.createIndex('activations_licence').on('activations').column('licence_id').execute();
  },
};
