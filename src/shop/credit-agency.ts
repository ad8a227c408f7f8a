// The CreditAgency interface: what a credit check sends and answers. Adapters live in features/credit (the rule-based
// TEST agency stands in for an outside company). The request is exactly what the agency receives; the data map
// declares each of its fields for the credit agency, and the outbound gate refuses any other.
import type { PaymentMethod } from './payment-methods.ts';

export interface CreditCheckRequest {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  amountCents: number;
  method: PaymentMethod;
}

export interface CreditCheckAnswer {
  decision: 'approved' | 'declined';
  /** A code the shop turns into a message; agencies give reasons, not scores. */
  reason: 'ok' | 'amount_too_high' | 'address_unknown' | 'negative_record';
}

/** Whom a call is about, for the record of the disclosure (privacy/disclosures): never sent to the agency. */
export interface CallSubject {
  userId: string;
}

/** The company behind an agency, as the privacy policy names it (recipient, Art. 14 source). */
export interface CreditAgencyCompany {
  name: string;
  address: string;
}

export interface CreditAgency {
  readonly name: string;
  readonly company: CreditAgencyCompany;
  check(request: CreditCheckRequest, about: CallSubject): Promise<CreditCheckAnswer>;
}

/**
 * TEST agency rules: postcode 99999 is "unknown address", a name containing "Insolvent" has a negative
 * record, invoices above €1,000 and any order above €5,000 are refused; everything else is approved.
 */
