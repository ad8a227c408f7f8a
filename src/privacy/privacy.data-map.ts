// The privacy engine's own records: published policy versions, objections and restrictions per activity, and the
// audit of staff access.
import { pseudonymiseAccessRecords } from './access-audit.ts';
import type { DataMapPart } from './data-map.ts';

export const ACCESS_AUDIT_DAYS = 2 * 365;

export const privacyDataMap: DataMapPart = {
  activities: [
    {
      id: 'privacy.objections',
      name: { en: 'Respecting objections and restrictions', de: 'Beachtung von Widersprüchen und Einschränkungen' },
      purpose: {
        en: 'Recording that you objected to a processing or had it restricted, so that we stop it and keep it stopped.',
        de: 'Festhalten, dass Sie einer Verarbeitung widersprochen oder deren Einschränkung verlangt haben, damit wir sie einstellen und sie dauerhaft unterbleibt.',
      },
      legalBasis: 'legal-obligation',
      basisDetail: { en: 'Art. 18 and Art. 21 GDPR.', de: 'Art. 18 und Art. 21 DSGVO.' },
      subjects: {
        en: 'people who objected or asked for restriction',
        de: 'Personen, die widersprochen oder eine Einschränkung verlangt haben',
      },
      recipients: [],
    },
    {
      id: 'privacy.access-audit',
      name: {
        en: 'Record of staff access to your data',
        de: 'Protokoll der Zugriffe unserer Mitarbeiter auf Ihre Daten',
      },
      purpose: {
        en: 'Recording which staff member looked at whose data, when and why, so that misuse can be found and we can tell you who saw your data.',
        de: 'Festhalten, wer von unseren Beschäftigten wann und warum wessen Daten angesehen hat, damit Missbrauch auffällt und wir Ihnen sagen können, wer Ihre Daten gesehen hat.',
      },
      legalBasis: 'legal-obligation',
      basisDetail: { en: 'Art. 5(2), Art. 24 and Art. 32 GDPR.', de: 'Art. 5 Abs. 2, Art. 24 und Art. 32 DSGVO.' },
      subjects: {
        en: 'customers whose data staff opened, and our staff',
        de: 'Kunden, deren Daten Mitarbeiter geöffnet haben, und unsere Mitarbeiter',
      },
      recipients: [],
    },
  ],
  onErasure: pseudonymiseAccessRecords,
  tables: [
    {
      table: 'access_audit_chain',
      activity: 'privacy.access-audit',
      subject: null,
      columns: { id: 'not-personal', seq: 'not-personal', last_hash: 'not-personal', last_at: 'not-personal' },
      erasure: null,
      retention: [],
    },
    {
      table: 'policy_versions',
      activity: 'platform.operation',
      subject: null,
      columns: {
        number: 'not-personal',
        hash: 'not-personal',
        published_at: 'not-personal',
        body_en: 'not-personal',
        body_de: 'not-personal',
      },
      erasure: null,
      retention: [],
    },
    {
      table: 'processing_objections',
      activity: 'privacy.objections',
      // Listed with each objectable activity too: the record is what makes that activity stop.
      describesObjectable: true,
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        user_id: 'account',
        activity: 'preferences',
        kind: 'preferences',
        recorded_at: 'preferences',
        via: 'preferences',
        ends_at: 'preferences',
      },
      erasure: { action: 'delete' },
      retention: [],
      // An objection must outlast nothing but itself: withdrawing it (liftObjection) or erasure deletes the row.
      keptUntil: {
        en: 'An objection or a restriction is kept as long as it stands, so that the processing stays stopped: until you withdraw it, or until you ask us to erase your data.',
        de: 'Ein Widerspruch oder eine Einschränkung bleibt gespeichert, solange er oder sie gilt, damit die Verarbeitung unterbleibt: bis Sie ihn oder sie zurücknehmen oder die Löschung Ihrer Daten verlangen.',
      },
    },
    {
      table: 'access_audit',
      activity: 'privacy.access-audit',
      subject: { via: 'user-id', column: 'subject_user_id' },
      columns: {
        id: 'not-personal',
        at: 'access-record',
        actor_user_id: 'account',
        actor_role: 'access-record',
        subject_user_id: 'account',
        what: 'access-record',
        why: 'access-record',
        path: 'access-record',
        seq: 'not-personal',
        prev_hash: 'not-personal',
        hash: 'not-personal',
        path_salt: 'not-personal',
        path_digest: 'not-personal',
      },
      // The record of what staff did stays (accountability); whom it was about goes. The path (it can hold the
      // person's account or order id) is cleared with its salt: the hash covers only the salted digest, which
      // without the salt tells nothing. The reference becomes a keyed pseudonym in the hook (outside the hash).
      erasure: { action: 'anonymise', columns: ['path', 'path_salt'] },
      retention: [
        {
          id: 'privacy.delete-old-access-records',
          what: { en: 'Records of staff access', de: 'Aufzeichnungen über Zugriffe von Mitarbeitern' },
          after: { days: ACCESS_AUDIT_DAYS },
          from: 'at',
          fromEvent: { en: 'the access', de: 'dem Zugriff' },
          basis: {
            en: 'to find misuse of access and tell you who saw your data; we chose two years so that misuse found late can still be traced',
            de: 'um Missbrauch von Zugriffen aufzudecken und Ihnen sagen zu können, wer Ihre Daten gesehen hat; wir haben zwei Jahre gewählt, damit sich auch spät entdeckter Missbrauch noch nachvollziehen lässt',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
