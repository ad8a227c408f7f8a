// The records of data-subject requests and the export files they produce. A request record is proof that we
// answered (Art. 5(2), 12 GDPR): an erasure keeps it, restricted, until its period ends.
import type { DataMapPart, Text } from '../../privacy/data-map.ts';

export const REQUESTS_ACTIVITY = 'rights.requests';
/** Years after the end of the year of a request that its record is kept (the regular limitation period, § 195 BGB). */
export const REQUEST_RECORD_YEARS = 3;

const kept: Text = {
  en: `${REQUEST_RECORD_YEARS} years after the end of the calendar year of the request`,
  de: `${REQUEST_RECORD_YEARS} Jahre nach Ende des Kalenderjahres der Anfrage`,
};
const keptBasis: Text = {
  en: 'we must be able to show that and how we answered your request (Art. 5(2) and 12 GDPR) for as long as a claim about it can be brought (§ 195 BGB)',
  de: 'wir müssen nachweisen können, dass und wie wir Ihre Anfrage beantwortet haben (Art. 5 Abs. 2 und 12 DSGVO), solange deswegen ein Anspruch geltend gemacht werden kann (§ 195 BGB)',
};

export function rightsDataMap(o: { exportDays: number }): DataMapPart {
  return {
    activities: [
      {
        id: REQUESTS_ACTIVITY,
        name: { en: 'Handling your requests about your data', de: 'Bearbeitung Ihrer Anfragen zu Ihren Daten' },
        purpose: {
          en: 'Answering your requests for access, a copy, correction, erasure, restriction or objection within the legal deadline, proving who asked, and keeping a record that we did.',
          de: 'Beantwortung Ihrer Anfragen auf Auskunft, Kopie, Berichtigung, Löschung, Einschränkung oder Widerspruch innerhalb der gesetzlichen Frist, Prüfung, wer fragt, und Nachweis, dass wir es getan haben.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: { en: 'Art. 12 to 22 and Art. 5(2) GDPR.', de: 'Art. 12 bis 22 und Art. 5 Abs. 2 DSGVO.' },
        subjects: {
          en: 'people who asked us about their data, with or without an account',
          de: 'Personen, die uns zu ihren Daten angefragt haben, mit oder ohne Kundenkonto',
        },
        recipients: [],
      },
    ],
    tables: [
      {
        table: 'privacy_requests',
        activity: REQUESTS_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'subject' },
        columns: {
          id: 'not-personal',
          kind: 'communication',
          state: 'communication',
          channel: 'communication',
          subject: 'account',
          email: 'contact',
          lang: 'language',
          received_at: 'communication',
          due_at: 'communication',
          extended_at: 'communication',
          extension_reason: 'communication',
          identity_check: 'communication',
          identity_checked_at: 'communication',
          detail: 'communication',
          outcome: 'communication',
          refusal_reason: 'communication',
          done_at: 'communication',
          duplicate_of: 'not-personal',
          lease_until: 'not-personal',
          lease_owner: 'not-personal',
          attempts: 'not-personal',
          progress: 'not-personal',
          export_expires_at: 'communication',
          export_size: 'not-personal',
          restricted_at: 'communication',
        },
        erasure: { action: 'keep', until: kept, basis: keptBasis, restrictColumn: 'restricted_at' },
        retention: [
          {
            id: 'rights.delete-old-requests',
            what: {
              en: 'Records of your requests about your data',
              de: 'Aufzeichnungen Ihrer Anfragen zu Ihren Daten',
            },
            after: { years: REQUEST_RECORD_YEARS, fromEndOfYear: true },
            from: 'received_at',
            fromEvent: { en: 'the request', de: 'der Anfrage' },
            basis: keptBasis,
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'privacy_request_events',
        refersTo: ['privacy_requests'],
        activity: REQUESTS_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'subject' },
        columns: {
          id: 'not-personal',
          request_id: 'not-personal',
          subject: 'account',
          at: 'communication',
          actor: 'communication',
          actor_user_id: 'account',
          what: 'communication',
          note: 'communication',
          restricted_at: 'communication',
        },
        erasure: { action: 'keep', until: kept, basis: keptBasis, restrictColumn: 'restricted_at' },
        // Deleted with their request (ON DELETE CASCADE).
        retention: [],
        keptUntil: {
          en: 'The history of a request is deleted together with the record of the request.',
          de: 'Der Verlauf einer Anfrage wird zusammen mit der Aufzeichnung der Anfrage gelöscht.',
        },
      },
      {
        table: 'privacy_request_steps',
        refersTo: ['privacy_requests'],
        activity: REQUESTS_ACTIVITY,
        subject: null,
        columns: { request_id: 'not-personal', step: 'not-personal', done_at: 'not-personal', result: 'not-personal' },
        erasure: null,
        retention: [],
      },
    ],
    files: [
      {
        // DATA_DIR/exports/<request id>.zip (and .zip.part while it is built): a person's data export.
        id: 'rights.export-files',
        directory: 'exports',
        names: /^([0-9a-f-]{36})\.zip(?:\.part)?$/,
        activity: REQUESTS_ACTIVITY,
        contents: [
          'identity',
          'contact',
          'account',
          'address',
          'purchases',
          'payment',
          'communication',
          'preferences',
          'usage',
          'product-identifier',
          'system-profile',
          'access-record',
          'disclosure-record',
        ],
        subject: { table: 'privacy_requests', keyColumn: 'id' },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'rights.delete-export-files',
            what: { en: 'Data exports (ZIP files)', de: 'Datenexporte (ZIP-Dateien)' },
            after: { days: o.exportDays },
            fromEvent: { en: 'their creation', de: 'ihrer Erstellung' },
            basis: {
              en: 'the copy is made for you to download; after that it is no longer needed',
              de: 'die Kopie wird zum Herunterladen für Sie erstellt; danach wird sie nicht mehr benötigt',
            },
          },
        ],
      },
    ],
  };
}
