// Disclosures to processors (policy 8): the gate, the log, the hand-off queue and its delivery job.
import { types } from '../../platform/db/dialect.ts';
import { defineFeature } from '../../platform/feature.ts';
import { deliverHandoffs } from './gate.ts';

export { disclose, deliverHandoffs, handoffDirectory, stripToAllowed } from './gate.ts';

/** Hand-offs, rows and files, are kept this long after delivery, to answer "what did you send them?". */
const HANDOFF_DAYS = 30;
export type { DisclosureTables } from './disclosures.tables.ts';

export const disclosuresFeature = defineFeature({
  name: 'disclosures',
  migrations: [
    {
      id: 'disclosures.001-log-and-handoffs',
      async up(db) {
        await db.schema
          .createTable('handoffs')
          .addColumn('id', types.id, (c) => c.primaryKey())
          .addColumn('user_id', types.id, (c) => c.notNull())
          .addColumn('recipient', types.short, (c) => c.notNull())
          .addColumn('payload', types.json, (c) => c.notNull())
          .addColumn('created_at', types.time, (c) => c.notNull())
          .addColumn('delivered_at', types.time)
          .execute();
        await db.schema.createIndex('handoffs_undelivered').on('handoffs').columns(['delivered_at', 'created_at']).execute();
        await db.schema
          .createTable('disclosures')
          .addColumn('id', types.id, (c) => c.primaryKey())
          .addColumn('user_id', types.id, (c) => c.notNull())
          .addColumn('activity', types.short, (c) => c.notNull())
          .addColumn('recipient', types.short, (c) => c.notNull())
          .addColumn('fields', types.json, (c) => c.notNull())
          .addColumn('handoff_id', types.id)
          .addColumn('disclosed_at', types.time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('disclosures_user').on('disclosures').column('user_id').execute();
      },
    },
  ],
  dataMap: {
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
      },
    ],
    tables: [
      {
        table: 'disclosures',
        activity: 'disclosures.accountability',
        subject: { via: 'user-id', column: 'user_id' },
        columns: { id: 'not-personal', user_id: 'account', activity: 'account', recipient: 'account', fields: 'account', handoff_id: 'not-personal', disclosed_at: 'account' },
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
        columns: { id: 'not-personal', user_id: 'account', recipient: 'account', payload: 'address', created_at: 'account', delivered_at: 'account' },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'disclosures.delete-delivered-handoffs',
            what: { en: 'Copies of data handed to processors', de: 'Kopien der an Auftragsverarbeiter übergebenen Daten' },
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
  },
  jobs: [{ name: 'disclosures.deliver-handoffs', everyMs: 5000, run: async (deps) => void (await deliverHandoffs(deps)) }],
});
