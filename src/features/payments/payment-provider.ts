// The interface every payment provider adapter implements, and the TEST provider that ships with Candor.
// The test provider is a stand-in for an outside company: it tokenises card numbers in this module (the
// number is checked and dropped; only brand, last four and expiry are kept) and charges idempotently.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import type { Clock } from '../../platform/clock.ts';
import { findTestChargeByKey, findTestToken, insertTestCharge, insertTestToken } from './payments.queries.ts';

export interface ChargeRequest {
  method: 'card' | 'wallet';
  token?: string | undefined;
  amountCents: number;
  currency: 'EUR';
  /** The same key never charges twice. */
  idempotencyKey: string;
}

export type ChargeResult =
  | { status: 'succeeded'; reference: string }
  | { status: 'declined'; reason: 'card_declined' | 'unknown_token' | 'expired_card' };

export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface PaymentProvider {
  readonly name: string;
  /** What the shop may show and keep about a token (never the number). */
  describeToken(token: string): Promise<CardDetails | undefined>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export type TokeniseResult = { ok: true; token: string; brand: string; last4: string } | { ok: false; field: 'number' | 'expMonth' | 'expYear' | 'cvc' };

const DECLINING = '4000000000000002';

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return 'card';
}

export function createTestPaymentProvider(db: Kysely<Database>, clock: Clock) {
  const provider: PaymentProvider & { tokenise(card: CardInput): Promise<TokeniseResult> } = {
    name: 'Test payment provider (fake, for development and tests)',

    async tokenise(card) {
      const digits = card.number.replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, field: 'number' };
      if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) return { ok: false, field: 'expMonth' };
      const now = new Date(clock.now());
      const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
      if (!Number.isInteger(year) || year < now.getUTCFullYear() || year > now.getUTCFullYear() + 20 || (year === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1)) {
        return { ok: false, field: 'expYear' };
      }
      if (!/^\d{3,4}$/.test(card.cvc)) return { ok: false, field: 'cvc' };
      const token = `tok_test_${randomBytes(18).toString('base64url')}`;
      const brand = brandOf(digits);
      const last4 = digits.slice(-4);
      // The number and the CVC go no further than this line.
      await insertTestToken(db, { token, brand, last4, exp_month: card.expMonth, exp_year: year, outcome: digits === DECLINING ? 'decline' : 'approve', created_at: clock.now() });
      return { ok: true, token, brand, last4 };
    },

    async describeToken(token) {
      const row = await findTestToken(db, token);
      return row && { brand: row.brand, last4: row.last4, expMonth: row.exp_month, expYear: row.exp_year };
    },

    async charge(request) {
      const earlier = await findTestChargeByKey(db, request.idempotencyKey);
      if (earlier) return earlier.status === 'succeeded' ? { status: 'succeeded', reference: earlier.id } : { status: 'declined', reason: 'card_declined' };
      let status: 'succeeded' | 'declined' = 'succeeded';
      let reason: 'card_declined' | 'unknown_token' | undefined;
      if (request.method === 'card') {
        const row = request.token ? await findTestToken(db, request.token) : undefined;
        if (!row) return { status: 'declined', reason: 'unknown_token' };
        if (row.outcome === 'decline') {
          status = 'declined';
          reason = 'card_declined';
        }
      }
      const id = `ch_test_${randomUUID()}`;
      try {
        await insertTestCharge(db, { id, token: request.token ?? null, method: request.method, amount_cents: request.amountCents, currency: request.currency, idempotency_key: request.idempotencyKey, status, created_at: clock.now() });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return provider.charge(request); // the same key charged concurrently: answer with that charge
      }
      return status === 'succeeded' ? { status, reference: id } : { status: 'declined', reason: reason ?? 'card_declined' };
    },
  };
  return provider;
}

export type TestPaymentProvider = ReturnType<typeof createTestPaymentProvider>;
