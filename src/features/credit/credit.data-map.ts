// Policy 7: the credit check before an order on invoice, and its daily allowances.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const creditDataMap: DataMapPart = {
  activities: [
    {
      id: 'credit.credit-check',
      name: { en: 'Credit check', de: 'Bonitätsprüfung' },
      purpose: {
        en: 'Checking creditworthiness before accepting an order paid on account (invoice), to protect us against payment default. A check runs only as part of such an order, at most a few times a day per customer and per name and address.',
        de: 'Prüfung der Kreditwürdigkeit vor Annahme einer Bestellung auf Rechnung, zum Schutz vor Zahlungsausfall. Eine Prüfung findet nur im Rahmen einer solchen Bestellung statt, höchstens einige Male am Tag je Kunde und je Name und Anschrift.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our interest in not delivering goods that are never paid for.',
        de: 'Unser Interesse, keine Waren zu liefern, die nie bezahlt werden.',
      },
      subjects: { en: 'customers who order on account', de: 'Kunden, die auf Rechnung bestellen' },
      recipients: [
        {
          id: 'credit-agency',
          name: { en: 'our credit agency', de: 'unsere Auskunftei' },
          kind: 'third-party',
          receives: ['identity', 'address'],
        },
      ],
    },
  ],
  tables: [
    {
      table: 'credit_checks',
      refersTo: ['users'],
      activity: 'credit.credit-check',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        user_id: 'account',
        agency: 'not-personal',
        sent: 'address',
        requested_at: 'creditworthiness',
        decision: 'creditworthiness',
        reason: 'creditworthiness',
        answered_at: 'creditworthiness',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'credit.delete-old-checks',
          what: { en: 'Credit check records', de: 'Aufzeichnungen von Bonitätsprüfungen' },
          after: { days: 365 },
          from: 'answered_at',
          fromEvent: { en: 'the check', de: 'der Prüfung' },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      table: 'credit_check_limits',
      activity: 'credit.credit-check',
      subject: null,
      unlinkedBecause: {
        en: 'Each row is keyed by a keyed hash (HMAC) of an account id, or of a billing name and postal address, and holds only how many checks were made in the current day. This is pseudonymous data: whoever has the shop’s secret and a name and address can recompute the key. It is not linked to an account, holds nothing but a counter, and is therefore not part of the data export; rows are deleted one day after their window began.',
        de: 'Jede Zeile ist über einen geheimen Hash (HMAC) einer Konto-ID oder eines Rechnungsnamens mit Postanschrift gekennzeichnet und enthält nur, wie viele Prüfungen am laufenden Tag stattfanden. Das sind pseudonyme Daten: Wer das Geheimnis des Shops und Name und Anschrift kennt, kann den Schlüssel nachrechnen. Sie sind keinem Konto zugeordnet, enthalten nur einen Zähler und sind deshalb nicht Teil des Datenexports; Zeilen werden einen Tag nach Beginn ihres Zeitfensters gelöscht.',
      },
      columns: { key_hash: 'identity', window_start: 'creditworthiness', used: 'creditworthiness' },
      erasure: null,
      retention: [
        {
          id: 'credit.delete-check-allowances',
          what: { en: 'Daily credit check counters', de: 'Tageszähler der Bonitätsprüfungen' },
          after: { days: 1 },
          from: 'window_start',
          fromEvent: { en: 'the first check of the day', de: 'der ersten Prüfung des Tages' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
