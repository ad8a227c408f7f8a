// Credit checks (policy 7): only as part of an order on invoice, before it is accepted; a few per customer and day
// (CREDIT_CHECKS_PER_DAY). The answer decides but is never shown to the customer.
import { defineFeature } from '../../platform/feature.ts';
import { createCreditChecks } from './migrations/001-credit-checks.ts';

export { testCreditAgency, type CreditAgency, type CreditCheckAnswer, type CreditCheckRequest } from './credit-agency.ts';
export { runCreditCheck } from './credit.service.ts';
export { countCreditChecksSince } from './credit.queries.ts';
export type { CreditTables } from './credit.tables.ts';

export const creditFeature = defineFeature({
  name: 'credit',
  migrations: [createCreditChecks],
  dataMap: {
    activities: [
      {
        id: 'credit.credit-check',
        name: { en: 'Credit check', de: 'Bonitätsprüfung' },
        purpose: {
          en: 'Checking creditworthiness before accepting an order paid on account (invoice), to protect us against payment default. A check runs only as part of such an order, at most a few times a day per customer.',
          de: 'Prüfung der Kreditwürdigkeit vor Annahme einer Bestellung auf Rechnung, zum Schutz vor Zahlungsausfall. Eine Prüfung findet nur im Rahmen einer solchen Bestellung statt, höchstens einige Male am Tag je Kunde.',
        },
        legalBasis: 'legitimate-interests',
        basisDetail: { en: 'Our interest in not delivering goods that are never paid for.', de: 'Unser Interesse, keine Waren zu liefern, die nie bezahlt werden.' },
        subjects: { en: 'customers who order on account', de: 'Kunden, die auf Rechnung bestellen' },
        recipients: [{ id: 'credit-agency', name: { en: 'our credit agency', de: 'unsere Auskunftei' }, kind: 'third-party', receives: ['identity', 'address'] }],
      },
    ],
    tables: [
      {
        table: 'credit_checks',
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
    ],
  },
});
