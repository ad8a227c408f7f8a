// Consent's part of the data map: the receipts (proof of each choice) and the chain head.
import type { DataMapPart } from '../data-map.ts';

export const consentDataMap = (config: { consentRecordDays: number }): DataMapPart => ({
  activities: [
    {
      id: 'consent.proof',
      name: { en: 'Proof of your privacy choices', de: 'Nachweis Ihrer Datenschutz-Auswahl' },
      purpose: {
        en: 'Recording each choice you make in the cookie banner or settings, so that we can show that we asked and what you decided.',
        de: 'Aufzeichnung jeder Auswahl, die Sie im Cookie-Banner oder in den Einstellungen treffen, damit wir belegen können, dass wir gefragt haben und was Sie entschieden haben.',
      },
      legalBasis: 'legal-obligation',
      basisDetail: {
        en: 'Art. 7(1) GDPR: we must be able to demonstrate consent.',
        de: 'Art. 7 Abs. 1 DSGVO: Wir müssen eine Einwilligung nachweisen können.',
      },
      subjects: {
        en: 'visitors who make a choice about cookies and third-party services',
        de: 'Besucher, die eine Auswahl zu Cookies und Diensten Dritter treffen',
      },
      recipients: [],
    },
  ],
  tables: [
    {
      table: 'consent_records',
      activity: 'consent.proof',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        seq: 'not-personal',
        consent_id: 'online-identifier',
        recorded_at: 'preferences',
        policy_hash: 'not-personal',
        locale: 'language',
        banner_hash: 'not-personal',
        choices: 'preferences',
        action: 'preferences',
        ip_anon: 'ip-prefix',
        browser: 'device',
        user_id: 'account',
        prev_hash: 'not-personal',
        hash: 'not-personal',
      },
      // The receipts stay as proof; only the link to the account goes. The link is outside the hash chain.
      erasure: { action: 'anonymise', columns: ['user_id'] },
      retention: [
        {
          id: 'consent.delete-old-receipts',
          what: { en: 'Consent receipts', de: 'Einwilligungsbelege' },
          after: { days: config.consentRecordDays },
          from: 'recorded_at',
          fromEvent: { en: 'the choice', de: 'der Auswahl' },
          basis: {
            en: 'to be able to demonstrate what you consented to or refused, as Art. 7(1) GDPR requires, for as long as it may be questioned; we set this period ourselves',
            de: 'um nachweisen zu können, worin Sie eingewilligt oder was Sie abgelehnt haben, wie es Art. 7 Abs. 1 DSGVO verlangt, solange dies in Frage gestellt werden kann; diese Frist legen wir selbst fest',
          },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      table: 'consent_chain',
      activity: 'consent.proof',
      subject: null,
      unlinkedBecause: {
        en: 'The head of the receipt chain: a counter and a hash.',
        de: 'Der Kopf der Belegkette: ein Zähler und ein Hash.',
      },
      columns: { id: 'not-personal', seq: 'not-personal', last_hash: 'not-personal', last_at: 'not-personal' },
      erasure: null,
      retention: [],
    },
  ],
});
