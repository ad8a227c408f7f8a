// Policy 8: the record of disclosures to recipients (by account, or by address for mail) and the queue of hand-offs
// (rows and files).
import type { DataMapPart } from '../data-map.ts';

/** Hand-offs, rows and files, are kept this long after delivery, to answer "what did you send them?". */
const HANDOFF_DAYS = 30;

/**
 * A mail's disclosure record is kept as long as the mail itself stays in the outbox (mail.data-map.ts: 30 days
 * after sending): while the message is there, the record says it went to the relay; afterwards the policy's
 * standing statement (every email we send passes the relay) answers the question, and keeping the address
 * longer would keep it only to repeat that (data minimisation, decision 0027).
 */
const MAIL_RECORD_DAYS = 30;

/** Claims from a disclosure become time-barred three years after the end of the year they arose (§§ 195, 199 BGB). */
const limitationPeriod = {
  en: 'the regular limitation period of claims that may arise from a disclosure: three years from the end of the year in which the claim arose, under §§ 195 and 199(1) BGB; until then we may need the record to establish or defend such claims, and it lets us tell you in an access request to whom we passed your data, as Art. 15(1)(c) GDPR requires',
  de: 'die regelmäßige Verjährungsfrist für Ansprüche, die aus einer Weitergabe entstehen können: drei Jahre ab Ende des Jahres, in dem der Anspruch entstanden ist, nach §§ 195, 199 Abs. 1 BGB; bis dahin kann die Aufzeichnung zur Geltendmachung oder Abwehr solcher Ansprüche nötig sein, und mit ihr können wir Ihnen bei einer Auskunft die Empfänger Ihrer Daten nennen, wie Art. 15 Abs. 1 lit. c DSGVO es verlangt',
};

export const disclosuresDataMap: DataMapPart = {
  activities: [
    {
      id: 'disclosures.accountability',
      name: { en: 'Record of disclosures', de: 'Protokoll der Weitergaben' },
      purpose: {
        en: 'Recording which data we passed to whom and when, so that we can tell you in an access request.',
        de: 'Aufzeichnung, welche Daten wir wann an wen weitergegeben haben, damit wir Ihnen bei einer Auskunft Bescheid geben können.',
      },
      // No statute orders such a log (Art. 6(1)(c) would need one): it serves our accountability and our defence.
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our legitimate interest (Art. 6(1)(f) GDPR) in being able to demonstrate that we pass on personal data only as this policy says (accountability, Art. 5(2) GDPR), in answering access requests completely (Art. 15(1)(c) GDPR), and in establishing, exercising or defending legal claims that may arise from a disclosure. The record holds which data went to whom and when, never the data itself.',
        de: 'Unser berechtigtes Interesse (Art. 6 Abs. 1 lit. f DSGVO), nachweisen zu können, dass wir personenbezogene Daten nur so weitergeben, wie diese Erklärung es beschreibt (Rechenschaftspflicht, Art. 5 Abs. 2 DSGVO), Auskunftsersuchen vollständig zu beantworten (Art. 15 Abs. 1 lit. c DSGVO) sowie Rechtsansprüche, die aus einer Weitergabe entstehen können, geltend zu machen, auszuüben oder abzuwehren. Die Aufzeichnung enthält, welche Daten wann an wen gingen, nie die Daten selbst.',
      },
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
        activity: 'disclosure-record',
        recipient: 'disclosure-record',
        fields: 'disclosure-record',
        handoff_id: 'not-personal',
        disclosed_at: 'disclosure-record',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-old-records',
          what: { en: 'Records of disclosures', de: 'Aufzeichnungen über Weitergaben' },
          after: { years: 3, fromEndOfYear: true },
          from: 'disclosed_at',
          fromEvent: { en: 'the disclosure', de: 'der Weitergabe' },
          basis: limitationPeriod,
          action: { kind: 'delete' },
        },
      ],
    },
    {
      // Mail through the relay: the call knows the person by the address it goes to (outbound.ts), as the outbox does.
      // One row per outbox message (its id), however often delivery is retried.
      table: 'address_disclosures',
      activity: 'disclosures.accountability',
      subject: { via: 'email', column: 'email' },
      columns: {
        id: 'not-personal',
        email: 'contact',
        activity: 'disclosure-record',
        recipient: 'disclosure-record',
        fields: 'disclosure-record',
        disclosed_at: 'disclosure-record',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-old-address-records',
          what: {
            en: 'Records of emails passed to the mail relay',
            de: 'Aufzeichnungen über an das Mail-Relay übergebene E-Mails',
          },
          after: { days: MAIL_RECORD_DAYS },
          from: 'disclosed_at',
          fromEvent: { en: 'the disclosure', de: 'der Weitergabe' },
          basis: {
            en: 'the same period for which the email itself stays in our outbox: the record shows that this email went to the mail relay; after that, the fact stated here that every email we send passes the relay answers that question, and we keep your address no longer only to repeat it',
            de: 'dieselbe Frist, für die die E-Mail selbst in unserem Postausgang bleibt: Die Aufzeichnung zeigt, dass diese E-Mail an das Mail-Relay ging; danach beantwortet die hier genannte Tatsache, dass jede von uns versandte E-Mail über das Relay läuft, diese Frage, und wir bewahren Ihre Adresse nicht länger auf, nur um das zu wiederholen',
          },
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
        recipient: 'disclosure-record',
        payload: 'address',
        created_at: 'disclosure-record',
        delivered_at: 'disclosure-record',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'disclosures.delete-delivered-handoffs',
          what: {
            en: 'Copies of data handed to recipients',
            de: 'Kopien der an Empfänger übergebenen Daten',
          },
          after: { days: HANDOFF_DAYS },
          from: 'delivered_at',
          fromEvent: { en: 'the hand-off', de: 'der Übergabe' },
          basis: {
            en: 'to answer what exactly we handed over, while questions about a delivery are likely',
            de: 'um beantworten zu können, was genau wir übergeben haben, solange Fragen zu einer Lieferung wahrscheinlich sind',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
  files: [
    {
      // DATA_DIR/handoffs/<recipient>/<hand-off id>.json: what the recipient's import picks up.
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
          what: { en: 'Hand-off files for recipients', de: 'Übergabedateien für Empfänger' },
          after: { days: HANDOFF_DAYS },
          fromEvent: { en: 'the hand-off', de: 'der Übergabe' },
          basis: {
            en: 'the recipient’s import has picked the file up by then; it shares the period of the hand-off record',
            de: 'der Import des Empfängers hat die Datei bis dahin abgeholt; sie teilt die Frist der Übergabeaufzeichnung',
          },
        },
      ],
    },
  ],
};
