// Credit checks (policy 7): only as part of an order on invoice, before it is accepted; a few a day per customer
// and per billing name and address across all accounts (CREDIT_CHECKS_PER_DAY). The answer is never shown.
import { defineFeature } from '../../feature.ts';
import { createCreditChecks } from './migrations/001-credit-checks.ts';
import { createCreditCheckLimits } from './migrations/002-credit-check-limits.ts';
import { creditDataMap } from './credit.data-map.ts';

export type { CreditAgency, CreditCheckAnswer, CreditCheckRequest } from '../../shop/credit-agency.ts';
export { createCreditAgency, testCreditAgency } from './credit-agency.ts';
export { accountHasCreditChecksLeft, reserveCreditCheck, runCreditCheck } from './credit.service.ts';
export type { CreditTables } from './credit.tables.ts';

export const creditFeature = defineFeature({
  name: 'credit',
  migrations: [createCreditChecks, createCreditCheckLimits],
  dataMap: creditDataMap,
});
