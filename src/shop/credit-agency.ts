// The CreditAgency interface: what a credit check sends and answers. Adapters live in features/credit (the rule-based
// TEST agency stands in for an outside company); the request carries only name, postal address and amount.

export interface CreditCheckRequest {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  amountCents: number;
  method: 'card' | 'invoice';
}

export interface CreditCheckAnswer {
  decision: 'approved' | 'declined';
  /** A code the shop turns into a message; agencies give reasons, not scores. */
  reason: 'ok' | 'amount_too_high' | 'address_unknown' | 'negative_record';
}

export interface CreditAgency {
  readonly name: string;
  check(request: CreditCheckRequest): Promise<CreditCheckAnswer>;
}

/**
 * TEST agency rules: postcode 99999 is "unknown address", a name containing "Insolvent" has a negative
 * record, invoices above €1,000 and any order above €5,000 are refused; everything else is approved.
 */
