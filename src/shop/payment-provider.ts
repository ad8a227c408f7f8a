// The interface every payment provider adapter implements. Candor never sees a card number: the customer
// enters it on the provider's hosted payment page, and Candor receives a single-use token bound to that
// customer, charges with it, looks up charges to reconcile pending orders, and refunds.
import type { Company } from '../platform/operator.ts';

export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface HostedPaymentRequest {
  /** The order this payment is for; the provider sends the customer back to `returnUrl` with a token. */
  orderRef: string;
  /** Who may use the resulting token (the shop's account id; tokens of another customer are refused). */
  customerRef: string;
  amountCents: number;
  currency: 'EUR';
  returnUrl: string;
}

export interface ChargeRequest {
  method: 'card' | 'wallet';
  token?: string | undefined;
  customerRef: string;
  amountCents: number;
  currency: 'EUR';
  /** The same key never charges twice; it is also the key `findCharge` looks up. */
  idempotencyKey: string;
}

export type DeclineReason = 'card_declined' | 'unknown_token' | 'token_used' | 'expired_card' | 'cancelled';

export type ChargeResult =
  | { status: 'succeeded'; reference: string; card?: CardDetails | undefined }
  | { status: 'declined'; reason: DeclineReason };

/** What the provider knows about a charge key: `none` means it never charged (nor declined) under it. */
export type ChargeLookup = ChargeResult | { status: 'none' };

export type RefundResult = { status: 'refunded' } | { status: 'failed' };

export interface PaymentProvider {
  /** The value of PAYMENT_PROVIDER that selects it. */
  readonly id: string;
  readonly name: string;
  /** The company behind the adapter, named as a recipient in the policy and the access export (Art. 13, 15 GDPR). */
  readonly company: Company;
  /** True for a provider that moves no real money: the shop then says so on every checkout page. */
  readonly testMode: boolean;
  startHostedPayment(request: HostedPaymentRequest): Promise<{ redirectUrl: string }>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  findCharge(idempotencyKey: string): Promise<ChargeLookup>;
  /**
   * Refunds `amountCents` of the charge `reference` (a part or all of what is left of it). Idempotent per
   * `idempotencyKey` (the shop's refund id): the same key gives the same answer and moves the money once, so a
   * retry after a timeout or crash never pays twice. `failed` means nothing was refunded under that key.
   */
  refund(reference: string, amountCents: number, idempotencyKey: string): Promise<RefundResult>;
}
