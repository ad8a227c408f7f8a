// Credit checks (policy 7): for orders on account and by card, before the order is accepted.
import { defineFeature } from '../../platform/feature.ts';
import { createCreditChecks } from './migrations/001-credit-checks.ts';

export { testCreditAgency, type CreditAgency, type CreditCheckAnswer, type CreditCheckRequest } from './credit-agency.ts';
export { runCreditCheck } from './credit.service.ts';
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
          en: 'Checking creditworthiness before accepting an order paid on account (invoice) or by credit card, to protect us against payment default.',
          de: 'Prüfung der Kreditwürdigkeit vor Annahme einer Bestellung auf Rechnung oder per Kreditkarte, zum Schutz vor Zahlungsausfall.',
        },
        legalBasis: 'legitimate-interests',
        basisDetail: { en: 'Our interest in not delivering goods that are never paid for.', de: 'Unser Interesse, keine Waren zu liefern, die nie bezahlt werden.' },
        subjects: { en: 'customers who order on account or by credit card', de: 'Kunden, die auf Rechnung oder per Kreditkarte bestellen' },
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
