// Hardware product registration (policy 6b), with a staff review queue for disputed serial numbers.
import { sql } from 'kysely';
import { types } from '../../platform/db/dialect.ts';
import { defineFeature } from '../../platform/feature.ts';
import { registerRegistrationRoutes } from './registrations.routes.ts';

export { registrationsSection } from './registrations.pages.ts';
export { listActiveRegistrations } from './registrations.queries.ts';
export { registrationRows } from './registrations.routes.ts';
export { underReviewText } from './registrations.service.ts';

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
    {
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
    },
  ],
  dataMap: {
    activities: [
      {
        id: 'registrations.hardware',
        name: { en: 'Hardware registration', de: 'Hardware-Registrierung' },
        purpose: {
          en: 'Registering the serial numbers of your devices to your account, for support, warranty and updates. A device we sold is registered by its buyer (we record the serial numbers when we ship); our staff check disputed registrations.',
          de: 'Registrierung der Seriennummern Ihrer Geräte in Ihrem Konto, für Support, Gewährleistung und Updates. Ein von uns verkauftes Gerät registriert sein Käufer (wir erfassen die Seriennummern beim Versand); strittige Registrierungen prüfen unsere Mitarbeiter.',
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
      {
        table: 'registration_reviews',
        activity: 'registrations.hardware',
        subject: { via: 'user-id', column: 'user_id' },
        columns: { id: 'not-personal', user_id: 'account', product_id: 'purchases', serial: 'device', reason: 'purchases', order_number: 'purchases', created_at: 'purchases', resolved_at: 'purchases', resolution: 'purchases' },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'registrations.delete-decided-reviews',
            what: { en: 'Decided reviews of disputed registrations', de: 'Entschiedene Prüfungen strittiger Registrierungen' },
            after: { days: 90 },
            from: 'resolved_at',
            fromEvent: { en: 'the decision', de: 'der Entscheidung' },
            action: { kind: 'delete' },
          },
          {
            id: 'registrations.delete-old-reviews',
            what: { en: 'Reviews of disputed registrations, decided or not', de: 'Prüfungen strittiger Registrierungen, entschieden oder nicht' },
            after: { days: 365 },
            from: 'created_at',
            fromEvent: { en: 'the request', de: 'der Anfrage' },
            action: { kind: 'delete' },
          },
        ],
      },
    ],
  },
  routes: registerRegistrationRoutes,
});
