// Tables of the TEST payment provider. They stand in for the provider's own storage (a real provider keeps
// this on its side): Candor's order code only ever sees a token, the brand, last four digits and expiry.
// They exist only while the test provider is active; under another provider they are dropped at start
// (docs/decisions/0014-hosted-payment-page-and-test-provider.md).

export interface TestPaymentTokensTable {
  /** SHA-256 (hex) of the token: the token itself is handed out once and never stored (migration 005). */
  token_hash: string;
  /** The customer (account id) the token was made for: only they can charge with it. */
  customer_ref: string | null;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** How the fake provider answers a charge with this token: test numbers decide it. */
  outcome: 'approve' | 'decline';
  /** Tokens are single-use. */
  used_at: number | null;
  created_at: number;
}

export interface TestPaymentChargesTable {
  id: string;
  /** SHA-256 (hex) of the token charged, for the card details; null for wallets and cancellations. */
  token_hash: string | null;
  method: 'card' | 'wallet';
  amount_cents: number;
  currency: string;
  /** The merchant's idempotency key: a repeated charge with the same key returns the first result. */
  idempotency_key: string;
  /** `cancelled`: the customer cancelled on the hosted page; the key can then never be charged. */
  status: 'succeeded' | 'declined' | 'cancelled';
  refunded_at: number | null;
  created_at: number;
}

/** One refund of a charge, under the merchant's idempotency key: the same key never refunds twice. */
export interface TestPaymentRefundsTable {
  idempotency_key: string;
  charge_id: string;
  amount_cents: number;
  created_at: number;
}

/** One visit to the hosted payment page. */
export interface TestPaymentSessionsTable {
  /** SHA-256 (hex) of the session id, which only the payment page's address carries. */
  id_hash: string;
  customer_ref: string;
  order_ref: string;
  amount_cents: number;
  currency: string;
  return_url: string;
  completed_at: number | null;
  created_at: number;
}

export interface PaymentTables {
  test_payment_tokens: TestPaymentTokensTable;
  test_payment_charges: TestPaymentChargesTable;
  test_payment_sessions: TestPaymentSessionsTable;
  test_payment_refunds: TestPaymentRefundsTable;
}
