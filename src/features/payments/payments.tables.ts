// Tables of the TEST payment provider. They stand in for the provider's own storage (a real provider keeps
// this on its side): Candor's order code only ever sees a token, the brand, last four digits and expiry.

export interface TestPaymentTokensTable {
  token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** How the fake provider answers a charge with this token: test numbers decide it. */
  outcome: 'approve' | 'decline';
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
  created_at: number;
}

export interface PaymentTables {
  test_payment_tokens: TestPaymentTokensTable;
  test_payment_charges: TestPaymentChargesTable;
}
