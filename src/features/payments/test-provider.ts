// The TEST payment provider that ships with Candor: a stand-in for an outside company, active only while
// PAYMENT_PROVIDER=test. It serves its own hosted payment page (payments.routes.ts), turns the card into a
// single-use token bound to the customer (the number and CVC are checked and dropped; brand, last four and
// expiry are kept), and charges, looks up and refunds idempotently. No real money moves. Tokens and session ids
// are stored only as SHA-256 hashes (migration 005): each is handed out once, in an answer or an address.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Company } from '../../platform/operator.ts';
import type {
  CardDetails,
  ChargeLookup,
  ChargeResult,
  PaymentProvider,
  RefundResult,
} from '../../shop/payment-provider.ts';
import * as q from './payments.queries.ts';
import type { TestPaymentSessionsTable } from './payments.tables.ts';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export type TokeniseResult =
  | { ok: true; token: string; brand: string; last4: string }
  | { ok: false; field: 'number' | 'expMonth' | 'expYear' | 'cvc' };

/** A hosted payment page stays usable this long. */
export const SESSION_MINUTES = 30;
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

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The test provider is part of Candor, run by the shop itself: its "company" is a stand-in that says so. */
export const testProviderCompany: Company = {
  name: 'Candor test payment provider (a stand-in built into this shop software: no real company, no real money)',
  address: ['none: it runs inside this shop'],
};

export function createTestPaymentProvider(db: Kysely<Database>, clock: Clock) {
  const cardOf = async (tokenHash: string | null): Promise<CardDetails | undefined> => {
    const row = tokenHash ? await q.findTestToken(db, tokenHash) : undefined;
    return row && { brand: row.brand, last4: row.last4, expMonth: row.exp_month, expYear: row.exp_year };
  };

  const provider = {
    id: 'test',
    name: 'Test payment provider (fake, for development and tests)',
    company: testProviderCompany,
    testMode: true,

    /** Card details to a single-use token that only `customerRef` can charge with. */
    async tokenise(card: CardInput, customerRef: string): Promise<TokeniseResult> {
      const digits = card.number.replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, field: 'number' };
      if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12)
        return { ok: false, field: 'expMonth' };
      const now = new Date(clock.now());
      const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
      if (
        !Number.isInteger(year) ||
        year < now.getUTCFullYear() ||
        year > now.getUTCFullYear() + 20 ||
        (year === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1)
      ) {
        return { ok: false, field: 'expYear' };
      }
      if (!/^\d{3,4}$/.test(card.cvc)) return { ok: false, field: 'cvc' };
      const token = `tok_test_${randomBytes(18).toString('base64url')}`;
      const brand = brandOf(digits);
      const last4 = digits.slice(-4);
      // The number and the CVC go no further than this line.
      await q.insertTestToken(db, {
        token_hash: sha256(token),
        customer_ref: customerRef,
        brand,
        last4,
        exp_month: card.expMonth,
        exp_year: year,
        outcome: digits === DECLINING ? 'decline' : 'approve',
        used_at: null,
        created_at: clock.now(),
      });
      return { ok: true, token, brand, last4 };
    },

    async startHostedPayment(request) {
      const id = randomBytes(24).toString('base64url');
      await q.insertTestSession(db, {
        id_hash: sha256(id),
        customer_ref: request.customerRef,
        order_ref: request.orderRef,
        amount_cents: request.amountCents,
        currency: request.currency,
        return_url: request.returnUrl,
        completed_at: null,
        created_at: clock.now(),
      });
      return { redirectUrl: `/test-payments/pay/${id}` };
    },

    /** An open session (not completed, not expired), for the hosted page; `id` is the one from its address. */
    async findOpenSession(id: string): Promise<TestPaymentSessionsTable | undefined> {
      const session = await q.findTestSession(db, sha256(id));
      if (!session || session.completed_at !== null || session.created_at < clock.now() - SESSION_MINUTES * 60_000)
        return undefined;
      return session;
    },

    /** Marks the session used; false when another request completed it first. */
    async completeSession(session: TestPaymentSessionsTable): Promise<boolean> {
      return q.completeTestSession(db, session.id_hash, clock.now());
    },

    async charge(request): Promise<ChargeResult> {
      const earlier = await provider.findCharge(request.idempotencyKey);
      if (earlier.status !== 'none') return earlier;
      let status: 'succeeded' | 'declined' = 'succeeded';
      if (request.method === 'card') {
        const row = request.token ? await q.findTestToken(db, sha256(request.token)) : undefined;
        // Another customer's token is as good as none.
        if (!row || row.customer_ref !== request.customerRef) return { status: 'declined', reason: 'unknown_token' };
        if (row.used_at !== null || !(await q.useTestToken(db, row.token_hash, clock.now())))
          return { status: 'declined', reason: 'token_used' };
        if (row.outcome === 'decline') status = 'declined';
      }
      const id = `ch_test_${randomUUID()}`;
      try {
        await q.insertTestCharge(db, {
          id,
          token_hash: request.token ? sha256(request.token) : null,
          method: request.method,
          amount_cents: request.amountCents,
          currency: request.currency,
          idempotency_key: request.idempotencyKey,
          status,
          refunded_at: null,
          created_at: clock.now(),
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return provider.charge(request); // the same key charged concurrently: answer with that charge
      }
      return status === 'succeeded'
        ? { status, reference: id, card: await cardOf(request.token ? sha256(request.token) : null) }
        : { status: 'declined', reason: 'card_declined' };
    },

    async findCharge(idempotencyKey): Promise<ChargeLookup> {
      const row = await q.findTestChargeByKey(db, idempotencyKey);
      if (!row) return { status: 'none' };
      if (row.status === 'cancelled') return { status: 'declined', reason: 'cancelled' };
      return row.status === 'succeeded'
        ? { status: 'succeeded', reference: row.id, card: await cardOf(row.token_hash) }
        : { status: 'declined', reason: 'card_declined' };
    },

    /**
     * The customer cancelled on the hosted page (a form post): the session's order can no longer be charged, and
     * findCharge says so, which is how the shop learns of it (never from its return address alone).
     */
    async cancelSession(session: TestPaymentSessionsTable): Promise<void> {
      try {
        await q.insertTestCharge(db, {
          id: `ch_test_${randomUUID()}`,
          token_hash: null,
          method: 'card',
          amount_cents: session.amount_cents,
          currency: session.currency,
          idempotency_key: session.order_ref,
          status: 'cancelled',
          refunded_at: null,
          created_at: clock.now(),
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // already charged or cancelled under this key: that answer stands
      }
    },

    /**
     * One refund per idempotency key: a key seen before answers `refunded` again without moving money; a new key
     * refunds if the charge succeeded and what is refunded of it stays within its amount.
     */
    async refund(reference, amountCents, idempotencyKey): Promise<RefundResult> {
      if (await q.findTestRefundByKey(db, idempotencyKey)) return { status: 'refunded' };
      const charge = await q.findTestChargeById(db, reference);
      if (!charge || charge.status !== 'succeeded' || !Number.isInteger(amountCents) || amountCents <= 0)
        return { status: 'failed' };
      if ((await q.sumTestRefundsOfCharge(db, reference)) + amountCents > Number(charge.amount_cents))
        return { status: 'failed' };
      try {
        await q.insertTestRefund(db, {
          idempotency_key: idempotencyKey,
          charge_id: reference,
          amount_cents: amountCents,
          created_at: clock.now(),
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return { status: 'refunded' }; // the same key refunded concurrently: that refund stands
      }
      await q.refundTestCharge(db, reference, clock.now());
      return { status: 'refunded' };
    },
  } satisfies PaymentProvider & Record<string, unknown>;
  return provider;
}

export type TestPaymentProvider = ReturnType<typeof createTestPaymentProvider>;
