// Orders. Lines, addresses and the status history are JSON in the row, so an order is one row that the data
// map can keep (restricted) for the statutory period after an erasure request.

/**
 * The order states, defined here once (issue 8, point 14):
 * - pending_payment: card or wallet order, stock reserved, the provider's answer not yet in (an invoice order, too,
 *   for the moment of its credit check); at most one per customer (decision 0015); not in the history.
 * - payment_failed: the charge was declined, cancelled or never came (orders.reconcile-payments); stock back.
 *   Shown only on the checkout as a failed attempt, kept a short period for fraud checks (data map), never an order.
 * - invoiced: an order on invoice that passed the credit check; waits for the customer's bank transfer.
 * - paid, shipped, completed; cancelled (before any payment); refunded (after a payment).
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'payment_failed',
  'invoiced',
  'paid',
  'shipped',
  'completed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
import type { PaymentMethod } from '../../shop/payment-methods.ts';
export { PAYMENT_METHODS, type PaymentMethod } from '../../shop/payment-methods.ts';

export interface Address {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  slug: string;
  kind: string;
  title: string;
  quantity: number;
  unitCents: number;
  lineCents: number;
  vatRate: number;
  /** The country whose VAT this line carries (absent on orders placed before VAT followed the destination: DE). */
  vatCountry?: string;
  /** For a bundle: what it contained when it was bought (licences are issued for its software). */
  contents?: { productId: string; kind: string; title: string }[];
}

export interface OrdersTable {
  id: string;
  /** Human-readable, e.g. 2026-4F7K2Q. */
  number: string;
  user_id: string;
  status: OrderStatus;
  lines: string;
  billing: string;
  shipping: string;
  payment_method: PaymentMethod;
  card_brand: string | null;
  card_last4: string | null;
  card_exp_month: number | null;
  payment_reference: string | null;
  total_cents: number;
  vat_cents: number;
  currency: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request (route, customer, body) that used the key; null for older orders. */
  request_hash: string | null;
  /** JSON array of { status, at }. */
  history: string;
  /** When the payment failed; a failed attempt is deleted a short period after it (data map). */
  payment_failed_at: number | null;
  /** JSON { terms, withdrawal }: the versions of the legal texts accepted at checkout; null when none were. */
  legal_versions: string | null;
  /** When the customer accepted the terms at checkout; null for orders without (older ones, the API without it). */
  terms_accepted_at: number | null;
  /** When the customer gave the express consent and acknowledgement for digital content (§ 356(5) BGB); else null. */
  digital_consent_at: number | null;
  /**
   * The country whose VAT the order's digital lines carry: the billing address's (decision 0031); goods carry their
   * shipping country's, recorded per line. DE for orders placed before VAT followed the destination.
   */
  vat_country: string | null;
  /** The carrier the order was shipped with (an id of the operator's `carriers`); null until shipped. */
  carrier: string | null;
  /** The carrier's tracking number of the parcel, normalised (capitals, no spaces); null until shipped. */
  tracking_number: string | null;
  /** An invoice order's payment as staff recorded it from the bank statement: the day (YYYY-MM-DD); else null. */
  invoice_paid_on: string | null;
  /** The bank statement's text of that payment (the remitter's reference), as staff copied it; else null. */
  invoice_paid_reference: string | null;
  /** Set when the customer asked for erasure: the row is then kept only for the statutory period. */
  restricted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrderTables {
  orders: OrdersTable;
}
