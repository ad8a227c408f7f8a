// Demo downloads: which signed-in customer downloaded which demo, and when; deleted after two years. Purchased
// downloads: the product files (product data, not personal) and which buyer downloaded which file when (personal,
// kept for the limitation period of claims about the delivery).
import type { DataMapPart } from '../../privacy/data-map.ts';

const notPersonal = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, 'not-personal' as const]));

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
    {
      id: 'downloads.purchased',
      name: { en: 'Downloads of products you bought', de: 'Downloads gekaufter Produkte' },
      purpose: {
        en: 'Delivering the files of software you bought through personal download links that expire, and recording which file you downloaded when, so that we can show that we delivered it and help you if a download failed.',
        de: 'Auslieferung der Dateien gekaufter Software über persönliche, ablaufende Download-Links, und Aufzeichnung, welche Datei Sie wann heruntergeladen haben, damit wir die Lieferung belegen und Ihnen bei einem fehlgeschlagenen Download helfen können.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who bought software', de: 'Kunden, die Software gekauft haben' },
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
    {
      table: 'product_files',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal([
        'id',
        'product_id',
        'label',
        'version',
        'file_name',
        'original_name',
        'content_type',
        'size_bytes',
        'sha256',
        'created_at',
      ]),
      erasure: null,
      retention: [],
    },
    {
      table: 'product_instructions',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['product_id', 'how_to_en', 'how_to_de', 'updated_at']),
      erasure: null,
      retention: [],
    },
    {
      table: 'file_downloads',
      activity: 'downloads.purchased',
      subject: { via: 'user-id', column: 'user_id' },
      columns: { id: 'not-personal', user_id: 'account', file_id: 'purchases', downloaded_at: 'usage' },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'downloads.delete-old-file-downloads',
          what: {
            en: 'Records of downloads of purchased files',
            de: 'Aufzeichnungen über Downloads gekaufter Dateien',
          },
          after: { years: 3, fromEndOfYear: true },
          from: 'downloaded_at',
          fromEvent: { en: 'the download', de: 'dem Download' },
          basis: {
            en: 'to show that we delivered what you bought for as long as claims about the delivery can be raised: the regular limitation period of three years from the end of the year under §§ 195 and 199 BGB',
            de: 'um die Lieferung des Gekauften belegen zu können, solange Ansprüche dazu geltend gemacht werden können: die regelmäßige Verjährungsfrist von drei Jahren ab Jahresende nach §§ 195 und 199 BGB',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
  files: [
    {
      // DATA_DIR/downloads/<product id>/<file id>: what staff uploaded, deleted with its product_files row.
      id: 'downloads.product-files',
      directory: 'downloads/*',
      names: /^([0-9a-f-]{36})$/,
      activity: 'platform.operation',
      contents: ['not-personal'],
      subject: null,
      erasure: null,
      retention: [],
    },
  ],
};
