// Policy 8: the record of disclosures to processors and the queue of hand-offs (rows and files).
import type { DataMapPart } from '../data-map.ts';

/** Hand-offs, rows and files, are kept this long after delivery, to answer "what did you send them?". */
const HANDOFF_DAYS = 30;

export const disclosuresDataMap: DataMapPart = {
  activities: [
    {
      id: 'disclosures.accountability',
      name: { en: 'Record of disclosures', de: 'Protokoll der Weitergaben' },
      purpose: {
        en: 'Recording which data we passed to whom and when, so that we can tell you in an access request.',
        de: 'Aufzeichnung, welche Daten wir wann an wen weitergegeben haben, damit wir Ihnen bei einer Auskunft Bescheid geben können.',
      },
      legalBasis: 'legal-obligation',
      basisDetail: { en: 'Art. 5(2) and Art. 15(1)(c) GDPR.', de: 'Art. 5 Abs. 2 und Art. 15 Abs. 1 lit. c DSGVO.' },
      subjects: { en: 'customers whose data was passed on', de: 'Kunden, deren Daten weitergegeben wurden' },
      recipients: [],
      role: 'disclosure-record',
    },
  ],
  tables: [
    {
      table: 'disclosures',
      activity: 'disclosures.accountability',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        user_id: 'account',
        activity: 'account',
        recipient: 'account',
        fields: 'account',
        handoff_id: 'not-personal',
        disclosed_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-old-records',
          what: { en: 'Records of disclosures', de: 'Aufzeichnungen über Weitergaben' },
          after: { days: 3 * 365 },
          from: 'disclosed_at',
          fromEvent: { en: 'the disclosure', de: 'der Weitergabe' },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      table: 'handoffs',
      activity: 'disclosures.accountability',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        user_id: 'account',
        recipient: 'account',
        payload: 'address',
        created_at: 'account',
        delivered_at: 'account',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-delivered-handoffs',
          what: {
            en: 'Copies of data handed to processors',
            de: 'Kopien der an Auftragsverarbeiter übergebenen Daten',
          },
          after: { days: HANDOFF_DAYS },
          from: 'delivered_at',
          fromEvent: { en: 'the hand-off', de: 'der Übergabe' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
  files: [
    {
      // DATA_DIR/handoffs/<recipient>/<hand-off id>.json: what the processor's import picks up.
      id: 'disclosures.handoff-files',
      directory: 'handoffs/*',
      names: /^([0-9a-f-]{36})\.json$/,
      activity: 'disclosures.accountability',
      contents: ['identity', 'address', 'purchases'],
      subject: { table: 'handoffs', keyColumn: 'id' },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-handoff-files',
          what: { en: 'Hand-off files for processors', de: 'Übergabedateien für Auftragsverarbeiter' },
          after: { days: HANDOFF_DAYS },
          fromEvent: { en: 'the hand-off', de: 'der Übergabe' },
        },
      ],
    },
  ],
};
