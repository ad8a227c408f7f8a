// Hardware registrations: one row per serial number registered to an account, released on resale.
import { sql } from 'kysely';
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createHardwareRegistrations: Migration = {
  id: 'registrations.001-hardware',
  async up(db) {
    await db.schema
      .createTable('hardware_registrations')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('serial', types.short, (c) => c.notNull())
      .addColumn('registered_at', types.time, (c) => c.notNull())
      .addColumn('released_at', types.time)
      .execute();
    // One active owner per serial; released rows may repeat it.
    await db.schema
      .createIndex('hardware_registrations_active_serial')
      .on('hardware_registrations')
      .column('serial')
      .unique()
      .where(sql.ref('released_at'), 'is', null)
      .execute();
    await db.schema.createIndex('hardware_registrations_user').on('hardware_registrations').column('user_id').execute();
  },
};
