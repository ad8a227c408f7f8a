// Credit checks (policy 7): only as part of an order with a checked method (CREDIT_CHECK_METHODS, default invoice),
// before it is accepted; a few a day per customer and per billing name and address across all accounts
// (CREDIT_CHECKS_PER_DAY). The answer is never shown to the customer; a decline can be reviewed by a person.
import { defineFeature } from '../../feature.ts';
import { createCreditChecks } from './migrations/001-credit-checks.ts';
import { createCreditCheckLimits } from './migrations/002-credit-check-limits.ts';
import { createCreditReviews } from './migrations/003-credit-reviews.ts';
import { registerCreditReviewRoutes } from './credit.reviews.routes.ts';
import { createCreditAgency } from './credit-agency.ts';
import { creditDataMap } from './credit.data-map.ts';

export type { CreditAgency, CreditCheckAnswer, CreditCheckRequest } from '../../shop/credit-agency.ts';
export { createCreditAgency, testCreditAgency } from './credit-agency.ts';
export { accountHasCreditChecksLeft, reserveCreditCheck, runCreditCheck } from './credit.service.ts';
export { hasCreditApproval, releaseCreditApproval, useCreditApproval } from './credit.reviews.service.ts';
export type { CreditTables } from './credit.tables.ts';

export const creditFeature = defineFeature({
  name: 'credit',
  navigation: [
    {
      href: '/staff/credit-reviews',
      label: { en: 'Credit reviews', de: 'Bonitätsentscheidungen prüfen' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],

      order: 53,
    },
  ],
  // Both review pages show a billing name and address; they lie under /account and /staff, which the
  // accounts manifest already declares sensitive (no vendor tag, no caching).
  migrations: [createCreditChecks, createCreditCheckLimits, createCreditReviews],
  dataMap: (config) =>
    creditDataMap({
      methods: config.creditCheckMethods ?? ['invoice'],
      agency: createCreditAgency(config.creditAgency ?? 'test').company,
      ...(config.creditChecksPerDay !== undefined ? { checksPerDay: config.creditChecksPerDay } : {}),
    }),
  routes: registerCreditReviewRoutes,
  policyLinks: [
    {
      right: 'contest-automated-decision',
      href: '/account/decision-review',
      label: { en: 'Review of a payment decision', de: 'Überprüfung einer Zahlungsentscheidung' },
      note: { en: 'this needs an account', de: 'dafür ist ein Kundenkonto nötig' },
      activity: 'credit.credit-check',
    },
  ],
});
