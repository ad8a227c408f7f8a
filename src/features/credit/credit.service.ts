// Runs a credit check through the configured agency and records what was sent, when, and the answer; and the
// daily allowances (per account, and per billing name and address across all accounts) reserved before a check.
import { createHmac, randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import type { CreditCheckAnswer, CreditCheckRequest } from '../../shop/credit-agency.ts';
import { findCreditCheckLimit, insertCreditCheck, reserveCreditCheckSlot } from './credit.queries.ts';

export interface BillingIdentity {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

/** The same person however written: NFKC, lower case, letters and digits only, fields kept apart. */
export function normaliseBillingIdentity(b: BillingIdentity): string {
  const norm = (v: string) =>
    v
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
  return [b.name, b.street, b.postalCode, b.city, b.country].map(norm).join('|');
}

const keyOf = (secret: string, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`credit-check:${purpose}:${value}`).digest('hex');

/** The pseudonymous key of a billing name and address, however written (allowances, approvals after a review). */
export const billingKey = (secret: string, billing: BillingIdentity): string =>
  keyOf(secret, 'billing', normaliseBillingIdentity(billing));

/**
 * Reserves one check for the account and one for the billing name and address (each `creditChecksPerDay` a day),
 * both or neither, in one transaction; false when either allowance is used up. Reserved before the agency is
 * asked, so concurrent orders cannot exceed it, and used up even when the agency then fails.
 */
export async function reserveCreditCheck(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  billing: BillingIdentity,
): Promise<boolean> {
  const now = deps.clock.now();
  const limit = deps.config.creditChecksPerDay;
  const keys = [
    keyOf(deps.config.secret, 'account', userId),
    keyOf(deps.config.secret, 'billing', normaliseBillingIdentity(billing)),
  ];
  const refused = new Error('credit check allowance used up');
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const key of keys) if (!(await reserveCreditCheckSlot(trx, key, now, DAY, limit))) throw refused;
    });
    return true;
  } catch (err) {
    if (err === refused) return false;
    throw err;
  }
}

/** Whether the account may still cause a check today (the checkout offers invoice only then). */
export async function accountHasCreditChecksLeft(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
): Promise<boolean> {
  const row = await findCreditCheckLimit(deps.db, keyOf(deps.config.secret, 'account', userId));
  return !row || row.window_start <= deps.clock.now() - DAY || row.used < deps.config.creditChecksPerDay;
}

export async function runCreditCheck(
  deps: Pick<Deps, 'db' | 'clock' | 'creditAgency'>,
  userId: string,
  request: CreditCheckRequest,
): Promise<CreditCheckAnswer> {
  const requestedAt = deps.clock.now();
  // deps.creditAgency is the gated adapter (composition.ts): it refuses a field the data map does not declare for
  // the credit agency and records the disclosure for this account before the agency is asked.
  const answer = await deps.creditAgency.check(request, { userId });
  await insertCreditCheck(deps.db, {
    id: randomUUID(),
    user_id: userId,
    agency: deps.creditAgency.name,
    sent: JSON.stringify(request),
    requested_at: requestedAt,
    decision: answer.decision,
    reason: answer.reason,
    answered_at: deps.clock.now(),
  });
  return answer;
}
