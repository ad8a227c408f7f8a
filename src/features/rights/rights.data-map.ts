// The records of data-subject requests and the export files they produce. A request record is proof that we
// answered (Art. 5(2), 12 GDPR): an erasure keeps it, restricted, until its period ends.
import type { DataMapPart, Text } from '../../privacy/data-map.ts';

export const REQUESTS_ACTIVITY = 'rights.requests';
/** The end of dormant accounts (policy 9c): their notices. */
export const DORMANCY_ACTIVITY = 'rights.dormant-accounts';
/** Years after the end of the year of a request that its record is kept (the regular limitation period, § 195 BGB). */
export const REQUEST_RECORD_YEARS = 3;

const kept: Text = {
  en: `${REQUEST_RECORD_YEARS} years after the end of the calendar year of the request`,
  de: `${REQUEST_RECORD_YEARS} Jahre nach Ende des Kalenderjahres der Anfrage`,
};
const keptBasis: Text = {
  en: 'we must be able to show that and how we answered your request, under Art. 5 para. 2 and Art. 12 GDPR, for as long as a claim about it can be brought, which is three years under § 195 BGB',
  de: 'wir müssen nachweisen können, dass und wie wir Ihre Anfrage beantwortet haben, nach Art. 5 Abs. 2 und Art. 12 DSGVO, solange deswegen ein Anspruch geltend gemacht werden kann, nach § 195 BGB drei Jahre',
};

export const AUTHORITY_DISCLOSURES_ACTIVITY = 'rights.authority-disclosures';
/** Years after the end of the year of a disclosure to an authority that its record is kept (§ 195 BGB). */
export const AUTHORITY_DISCLOSURE_YEARS = 3;
const disclosureKept: Text = {
  en: `${AUTHORITY_DISCLOSURE_YEARS} years after the end of the calendar year of the disclosure`,
  de: `${AUTHORITY_DISCLOSURE_YEARS} Jahre nach Ende des Kalenderjahres der Weitergabe`,
};
const disclosureKeptBasis: Text = {
  en: 'the record documents a disclosure the law obliged us to make; under Art. 5(2) and 15(1)(c) GDPR we must be able to show it and tell you of it, for as long as a claim about it can be brought under § 195 BGB',
  de: 'die Aufzeichnung belegt eine Weitergabe, zu der uns das Gesetz verpflichtete; nach Art. 5 Abs. 2 und Art. 15 Abs. 1 lit. c DSGVO müssen wir sie nachweisen und Ihnen mitteilen können, solange deswegen nach § 195 BGB ein Anspruch geltend gemacht werden kann',
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
      {
        id: AUTHORITY_DISCLOSURES_ACTIVITY,
        name: { en: 'Record of disclosures to authorities', de: 'Aufzeichnung der Weitergaben an Behörden' },
        purpose: {
          en: 'Recording which of your data we had to give to an authority (a court, the police, the tax office), on which legal basis and under which reference, so that we can tell you in an access request once we may.',
          de: 'Aufzeichnung, welche Ihrer Daten wir einer Behörde (Gericht, Polizei, Finanzamt) herausgeben mussten, auf welcher Rechtsgrundlage und unter welchem Aktenzeichen, damit wir Ihnen dies bei einer Auskunft mitteilen können, sobald wir dürfen.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: {
          en: 'Art. 15(1)(c) and Art. 5(2) GDPR: we must be able to name the recipients of your data; a disclosure an authority orders to stay confidential (e.g. § 101 StPO) is shown to you once that period ends.',
          de: 'Art. 15 Abs. 1 lit. c und Art. 5 Abs. 2 DSGVO: Wir müssen die Empfänger Ihrer Daten benennen können; eine Weitergabe, die eine Behörde geheim zu halten anordnet (z. B. § 101 StPO), zeigen wir Ihnen, sobald diese Frist endet.',
        },
        subjects: {
          en: 'people whose data an authority lawfully demanded from us',
          de: 'Personen, deren Daten eine Behörde rechtmäßig von uns verlangt hat',
        },
        recipients: [],
      },
      {
        // Policy 9c: the end of a dormant account (rights.dormancy.ts; helper H6).
        id: DORMANCY_ACTIVITY,
        name: { en: 'Ending dormant accounts', de: 'Beendigung ruhender Kundenkonten' },
        purpose: {
          en: 'Telling you by mail when your account has not been used for a long time (no sign-in and no order), and erasing it 30 days later unless you sign in; an account that holds licences or registered hardware is not erased for this, we offer you a copy of your data instead.',
          de: 'Benachrichtigung per E-Mail, wenn Ihr Kundenkonto lange nicht genutzt wurde (keine Anmeldung und keine Bestellung), und Löschung 30 Tage später, sofern Sie sich nicht anmelden; ein Konto mit Lizenzen oder registrierter Hardware wird dafür nicht gelöscht, wir bieten Ihnen stattdessen eine Kopie Ihrer Daten an.',
        },
        legalBasis: 'legal-obligation',
        basisDetail: {
          en: 'We may keep personal data only as long as it is needed (storage limitation, Art. 5(1)(e) and 17(1)(a) GDPR).',
          de: 'Wir dürfen personenbezogene Daten nur so lange speichern, wie sie benötigt werden (Speicherbegrenzung, Art. 5 Abs. 1 lit. e und Art. 17 Abs. 1 lit. a DSGVO).',
        },
        subjects: { en: 'customers whose account is unused', de: 'Kunden, deren Konto ungenutzt ist' },
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
        // Who at our company handled a request is another person's data (Art. 15(4) GDPR); the history says staff.
        withheldFromExport: {
          columns: ['actor_user_id'],
          because: {
            en: 'the account of the staff member who handled it',
            de: 'das Konto der Mitarbeiterin oder des Mitarbeiters, die oder der sie bearbeitet hat',
          },
        },
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
      {
        table: 'authority_disclosures',
        // A disclosure the authority ordered kept confidential is left out of exports and the report until then.
        hiddenFromSubjectUntil: { column: 'confidential_until' },
        activity: AUTHORITY_DISCLOSURES_ACTIVITY,
        subject: { via: 'user-id-or-email', column: 'subject' },
        columns: {
          id: 'not-personal',
          subject: 'account',
          authority: 'disclosure-record',
          legal_basis: 'disclosure-record',
          reference: 'disclosure-record',
          categories: 'disclosure-record',
          disclosed_at: 'disclosure-record',
          confidential_until: 'disclosure-record',
          recorded_at: 'disclosure-record',
          recorded_by: 'account',
          restricted_at: 'disclosure-record',
        },
        erasure: { action: 'keep', until: disclosureKept, basis: disclosureKeptBasis, restrictColumn: 'restricted_at' },
        retention: [
          {
            id: 'rights.delete-old-authority-disclosures',
            what: { en: 'Records of disclosures to authorities', de: 'Aufzeichnungen der Weitergaben an Behörden' },
            after: { years: AUTHORITY_DISCLOSURE_YEARS, fromEndOfYear: true },
            from: 'disclosed_at',
            fromEvent: { en: 'the disclosure', de: 'der Weitergabe' },
            basis: disclosureKeptBasis,
            action: { kind: 'delete' },
          },
        ],
      },
      {
        // A request without an account, waiting for its address to be proven (rights.guest.service.ts).
        table: 'privacy_request_links',
        activity: REQUESTS_ACTIVITY,
        subject: { via: 'email', column: 'email' },
        columns: {
          id: 'not-personal',
          email: 'contact',
          kind: 'communication',
          detail: 'communication',
          lang: 'language',
          created_at: 'communication',
          expires_at: 'not-personal',
        },
        erasure: { action: 'delete' },
        retention: [
          {
            id: 'rights.delete-expired-request-links',
            what: {
              en: 'Requests made without an account whose address was not confirmed',
              de: 'Anfragen ohne Kundenkonto, deren Adresse nicht bestätigt wurde',
            },
            after: { days: 0 },
            from: 'expires_at',
            fromEvent: {
              en: 'the end of the confirmation link, 24 hours after the request',
              de: 'dem Ablauf des Bestätigungslinks, 24 Stunden nach der Anfrage',
            },
            basis: {
              en: 'until you confirm, we may not act on the request; an unconfirmed one is not needed afterwards',
              de: 'vor Ihrer Bestätigung dürfen wir die Anfrage nicht bearbeiten; eine unbestätigte wird danach nicht mehr benötigt',
            },
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'dormancy_notices',
        activity: DORMANCY_ACTIVITY,
        subject: { via: 'user-id', column: 'user_id' },
        columns: {
          id: 'not-personal',
          user_id: 'account',
          kind: 'communication',
          notified_at: 'communication',
          erasure_at: 'communication',
          request_id: 'not-personal',
        },
        erasure: { action: 'delete' },
        retention: [],
        keptUntil: {
          en: 'A notice about a dormant account is kept until you sign in again (the next daily run deletes it) or until the account is erased.',
          de: 'Eine Benachrichtigung zu einem ruhenden Konto wird gespeichert, bis Sie sich wieder anmelden (der nächste tägliche Lauf löscht sie) oder das Konto gelöscht wird.',
        },
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
        notInExport: {
          en: 'an earlier copy of the same data',
          de: 'eine frühere Kopie derselben Daten',
        },
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
