// Every credit check: what was sent to the agency, when, and its answer (policy 7).
import type { PaymentMethod } from '../../shop/payment-methods.ts';

export interface CreditChecksTable {
  id: string;
  user_id: string;
  agency: string;
  /** JSON of exactly the fields sent: billing name and address, order amount and payment method. */
  sent: string;
  requested_at: number;
  decision: 'approved' | 'declined';
  reason: string;
  answered_at: number;
}

/** How many checks a key (an HMAC of an account id, or of a normalised billing name and address) used in its window. */
export interface CreditCheckLimitsTable {
  key_hash: string;
  window_start: number;
  used: number;
}

export type CreditReviewStatus = 'open' | 'approved' | 'rejected';

/**
 * A customer's request that a person review a declined credit check (Art. 22(3) GDPR), with what the check
 * concerned (billing name and address, amount, method: a snapshot, as the check row may go first), the customer's
 * statement, staff's outcome and note, and, once approved, the single use of the approval for a next order.
 */
export interface CreditReviewsTable {
  id: string;
  /** The declined check; one request per check (unique). */
  check_id: string;
  user_id: string;
  method: PaymentMethod;
  amount_cents: number;
  /** JSON: name, street, postalCode, city, country, as sent to the agency. */
  billing: string;
  /** HMAC of the normalised billing identity: an approval holds only for the same name and address. */
  billing_key: string;
  statement: string | null;
  requested_at: number;
  status: CreditReviewStatus;
  staff_note: string | null;
  decided_at: number | null;
  /** Approved: the next order with the same identity, method and at most the amount passes until then, once. */
  approval_expires_at: number | null;
  approval_used_at: number | null;
  /**
   * The order that holds the approval while it is under way (set with approval_used_at, in one statement); the
   * approval is given back when that order fails or is withdrawn without being paid (releaseCreditApproval).
   */
  approval_order_id: string | null;
}

export interface CreditTables {
  credit_checks: CreditChecksTable;
  credit_check_limits: CreditCheckLimitsTable;
  credit_reviews: CreditReviewsTable;
}
