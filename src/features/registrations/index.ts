// Hardware product registration (policy 6b).
import { sql } from 'kysely';
import { types } from '../../platform/db/dialect.ts';
import { defineFeature } from '../../platform/feature.ts';
import { registerRegistrationRoutes } from './registrations.routes.ts';

export { registrationsSection } from './registrations.pages.ts';
export { listActiveRegistrations } from './registrations.queries.ts';
export { registrationRows } from './registrations.routes.ts';
export type { RegistrationTables } from './registrations.tables.ts';

export const registrationsFeature = defineFeature({
  name: 'registrations',
  migrations: [
    {
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
        await db.schema.createIndex('hardware_registrations_active_serial').on('hardware_registrations').column('serial').unique().where(sql.ref('released_at'), 'is', null).execute();
        await db.schema.createIndex('hardware_registrations_user').on('hardware_registrations').column('user_id').execute();
      },
    },
  ],
  dataMap: {
    activities: [
      {
        id: 'registrations.hardware',
        name: { en: 'Hardware registration', de: 'Hardware-Registrierung' },
        purpose: {
          en: 'Registering the serial numbers of your devices to your account, for support, warranty and updates.',
          de: 'Registrierung der Seriennummern Ihrer Geräte in Ihrem Konto, für Support, Gewährleistung und Updates.',
        },
        legalBasis: 'contract',
        subjects: { en: 'customers who register hardware', de: 'Kunden, die Hardware registrieren' },
        recipients: [],
      },
    ],
    tables: [
      {
        table: 'hardware_registrations',
        activity: 'registrations.hardware',
        subject: { via: 'user-id', column: 'user_id' },
        columns: { id: 'not-personal', user_id: 'account', product_id: 'purchases', serial: 'device', registered_at: 'purchases', released_at: 'purchases' },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'registrations.delete-released',
            what: { en: 'Released registrations', de: 'Freigegebene Registrierungen' },
            after: { days: 30 },
            from: 'released_at',
            fromEvent: { en: 'release', de: 'der Freigabe' },
            action: { kind: 'delete' },
          },
        ],
      },
    ],
  },
  routes: registerRegistrationRoutes,
});
