// Tables of the TEST payment provider. They stand in for the provider's own storage (a real provider keeps
// this on its side): Candor's order code only ever sees a token, the brand, last four digits and expiry.
// They exist whatever PAYMENT_PROVIDER says (migrations do not depend on configuration) and stay empty unless
// the test provider is active (docs/decisions/0014-hosted-payment-page-and-test-provider.md).

export interface TestPaymentTokensTable {
  token: string;
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
  token: string | null;
  method: 'card' | 'wallet';
  amount_cents: number;
  currency: string;
  /** The merchant's idempotency key: a repeated charge with the same key returns the first result. */
  idempotency_key: string;
  status: 'succeeded' | 'declined';
  refunded_at: number | null;
  created_at: number;
}

/** One visit to the hosted payment page. */
export interface TestPaymentSessionsTable {
  id: string;
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
}
