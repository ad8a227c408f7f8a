// Demo downloads: signed-in customers download demos of software; each download is recorded.
import { types } from '../../platform/db/dialect.ts';
import { defineFeature } from '../../platform/feature.ts';
import { registerDownloadRoutes } from './downloads.routes.ts';

export const downloadsFeature = defineFeature({
  name: 'downloads',
  migrations: [
    {
      id: 'downloads.001-downloads',
      async up(db) {
        await db.schema
          .createTable('downloads')
          .addColumn('id', types.id, (c) => c.primaryKey())
          .addColumn('user_id', types.id, (c) => c.notNull())
          .addColumn('product_id', types.id, (c) => c.notNull())
          .addColumn('downloaded_at', types.time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('downloads_user').on('downloads').column('user_id').execute();
      },
    },
  ],
  dataMap: {
    activities: [
      {
        id: 'downloads.demos',
        name: { en: 'Demo downloads', de: 'Demo-Downloads' },
        purpose: {
          en: 'Letting signed-in customers download demo versions, and recording which demo they downloaded and when.',
          de: 'Angemeldete Kunden laden Demoversionen herunter; wir speichern, welche Demo sie wann heruntergeladen haben.',
        },
        legalBasis: 'contract',
        subjects: { en: 'customers who download demos', de: 'Kunden, die Demos herunterladen' },
        recipients: [],
      },
    ],
    tables: [
      {
        table: 'downloads',
        activity: 'downloads.demos',
        subject: { via: 'user-id', column: 'user_id' },
        columns: { id: 'not-personal', user_id: 'account', product_id: 'purchases', downloaded_at: 'usage' },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'downloads.delete-old-downloads',
            what: { en: 'Records of demo downloads', de: 'Aufzeichnungen über Demo-Downloads' },
            after: { days: 730 },
            from: 'downloaded_at',
            fromEvent: { en: 'the download', de: 'dem Download' },
            action: { kind: 'delete' },
          },
        ],
      },
    ],
  },
  routes: registerDownloadRoutes,
});
