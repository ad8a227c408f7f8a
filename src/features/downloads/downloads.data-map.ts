// Demo downloads: which signed-in customer downloaded which demo, and when; deleted after two years.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const downloadsDataMap: DataMapPart = {
  activities: [
    {
      id: 'downloads.demos',
      name: { en: 'Demo downloads', de: 'Demo-Downloads' },
      purpose: {
        en: 'Letting signed-in customers download demo versions, and recording which demo they downloaded and when.',
        de:
          'Angemeldete Kunden laden Demoversionen herunter; ' +
          'wir speichern, welche Demo sie wann heruntergeladen haben.',
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
          basis: {
            en: 'to help you with questions about a demo you tried; we chose two years, after which such questions hardly arise',
            de: 'um Ihnen bei Fragen zu einer ausprobierten Demo zu helfen; wir haben zwei Jahre gewählt, danach kommen solche Fragen kaum noch vor',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
